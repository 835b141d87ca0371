#include "services/course/catalogue.h"

#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"

namespace lms::course {

absl::StatusOr<std::shared_ptr<const CatalogueSnapshot>> Catalogue::Snapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  if (snapshot_ == nullptr) {
    return absl::UnavailableError("catalogue not loaded yet: database unavailable");
  }
  return snapshot_;
}

absl::Status Catalogue::Refresh(absl::Time deadline) {
  absl::MutexLock rebuild(&rebuild_mu_);
  int64_t watermark = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (snapshot_ != nullptr) watermark = snapshot_->watermark();
  }
  int64_t generation = 0;
  std::vector<Course> changed;
  RETURN_IF_ERROR(db::RunTransaction(pool_, deadline, [&](db::Transaction& tx) -> absl::Status {
    // Both reads share one REPEATABLE READ snapshot: the generation matches the rows.
    ASSIGN_OR_RETURN(changed, courses_.ChangedSince(tx, watermark));
    ASSIGN_OR_RETURN(generation, courses_.CurrentGeneration(tx));
    return absl::OkStatus();
  }));
  bool loaded = false;
  {
    absl::ReaderMutexLock lock(&mu_);
    loaded = snapshot_ != nullptr;
  }
  if (changed.empty() && generation == watermark && loaded) return absl::OkStatus();
  Merge(std::move(changed), generation, /*counts_only=*/false);
  return absl::OkStatus();
}

absl::Status Catalogue::RefreshLearnerCounts(absl::Time deadline) {
  absl::MutexLock rebuild(&rebuild_mu_);
  ASSIGN_OR_RETURN(
      const auto counts,
      db::RunTransactionFor<std::vector<std::pair<int64_t, int64_t>>>(
          pool_, deadline, [&](db::Transaction& tx) { return courses_.LearnerCounts(tx); }));
  std::shared_ptr<const CatalogueSnapshot> current;
  {
    absl::ReaderMutexLock lock(&mu_);
    current = snapshot_;
  }
  if (current == nullptr) return absl::OkStatus();
  std::vector<Course> changed;
  for (const auto& [id, count] : counts) {
    const CoursePtr course = current->Find(id);
    if (course != nullptr && course->learner_count != count) {
      Course updated = *course;
      updated.learner_count = count;
      changed.push_back(std::move(updated));
    }
  }
  if (!changed.empty()) Merge(std::move(changed), current->watermark(), /*counts_only=*/true);
  return absl::OkStatus();
}

void Catalogue::Apply(Course course) {
  absl::MutexLock rebuild(&rebuild_mu_);
  int64_t watermark = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    // Before the first load there is nothing to patch; the first Refresh will see it.
    if (snapshot_ == nullptr) return;
    watermark = snapshot_->watermark();
  }
  std::vector<Course> changed;
  changed.push_back(std::move(course));
  Merge(std::move(changed), watermark, /*counts_only=*/false);
}

void Catalogue::Merge(std::vector<Course> changed, int64_t watermark, bool counts_only) {
  std::shared_ptr<const CatalogueSnapshot> current;
  {
    absl::ReaderMutexLock lock(&mu_);
    current = snapshot_;
  }
  absl::flat_hash_map<int64_t, CoursePtr> courses;
  if (current != nullptr) courses = current->courses();
  for (Course& course : changed) {
    const auto it = courses.find(course.id);
    // An older copy (a slow refresh racing a local Apply) never replaces a newer one.
    if (!counts_only && it != courses.end() && it->second->change_seq > course.change_seq) {
      continue;
    }
    const int64_t id = course.id;
    courses[id] = std::make_shared<const Course>(std::move(course));
  }
  std::shared_ptr<const CatalogueSnapshot> next =
      CatalogueSnapshot::Build(std::move(courses), watermark);
  absl::MutexLock lock(&mu_);
  snapshot_ = std::move(next);
}

}  // namespace lms::course

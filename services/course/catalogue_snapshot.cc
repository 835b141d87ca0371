#include "services/course/catalogue_snapshot.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace lms::course {
namespace {

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// Newest first: (sort time, id) descending.
bool NewerThan(const Course* a, const Course* b) {
  const int64_t ta = Micros(a->SortTime());
  const int64_t tb = Micros(b->SortTime());
  return ta != tb ? ta > tb : a->id > b->id;
}

// Most studied first: (learner count, sort time, id) descending.
bool MoreStudiedThan(const Course* a, const Course* b) {
  return a->learner_count != b->learner_count ? a->learner_count > b->learner_count
                                              : NewerThan(a, b);
}

// Whether `course` sorts strictly after the cursor in `order`.
bool AfterCursor(const Course* course, const CourseCursor& cursor, CourseOrder order) {
  Course probe;
  probe.id = cursor.id;
  probe.learner_count = cursor.learner_count;
  probe.create_time = absl::FromUnixMicros(cursor.sort_time_micros);
  return order == CourseOrder::kNewest ? NewerThan(&probe, course)
                                       : MoreStudiedThan(&probe, course);
}

}  // namespace

std::shared_ptr<const CatalogueSnapshot> CatalogueSnapshot::Build(
    absl::flat_hash_map<int64_t, CoursePtr> courses, int64_t watermark) {
  std::shared_ptr<CatalogueSnapshot> snapshot(new CatalogueSnapshot());
  snapshot->by_id_ = std::move(courses);
  snapshot->watermark_ = watermark;
  for (const auto& [id, course] : snapshot->by_id_) {
    snapshot->newest_.push_back(course.get());
    snapshot->index_.Add(id, absl::StrCat(course->title, "\n", course->summary));
  }
  snapshot->index_.Finish();
  std::sort(snapshot->newest_.begin(), snapshot->newest_.end(), NewerThan);
  snapshot->most_studied_ = snapshot->newest_;
  std::stable_sort(snapshot->most_studied_.begin(), snapshot->most_studied_.end(), MoreStudiedThan);
  snapshot->by_change_ = snapshot->newest_;
  std::sort(snapshot->by_change_.begin(), snapshot->by_change_.end(),
            [](const Course* a, const Course* b) { return a->change_seq < b->change_seq; });
  return snapshot;
}

CoursePtr CatalogueSnapshot::Find(int64_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

bool CatalogueSnapshot::Visible(const Course& course, const CourseListing& listing) const {
  if (!listing.admin_view) return course.state == CourseState::kPublished;
  if (listing.state != CourseState::kUnspecified) return course.state == listing.state;
  return course.state != CourseState::kArchived;
}

CoursePage CatalogueSnapshot::List(const CourseListing& listing) const {
  std::optional<absl::flat_hash_set<int64_t>> matches;
  if (!listing.query.empty()) {
    const std::vector<int64_t> ids = index_.Match(listing.query);
    matches.emplace(ids.begin(), ids.end());
  }
  const std::vector<const Course*>& ordered =
      listing.order == CourseOrder::kNewest ? newest_ : most_studied_;
  auto it = ordered.begin();
  if (listing.after.has_value()) {
    // The order is monotone in "after the cursor", so binary search finds the start.
    it = std::upper_bound(ordered.begin(), ordered.end(), nullptr,
                          [&](const Course*, const Course* course) {
                            return AfterCursor(course, *listing.after, listing.order);
                          });
  }
  CoursePage page;
  const Course* last = nullptr;
  for (; it != ordered.end(); ++it) {
    const Course& course = **it;
    if (!Visible(course, listing)) continue;
    if (listing.content_category != ContentCategory::kUnspecified &&
        course.content_category != listing.content_category) {
      continue;
    }
    if (listing.audience != MemberCategory::kUnspecified && !course.IsMeantFor(listing.audience)) {
      continue;
    }
    if (!listing.tag.empty() && !course.HasTag(listing.tag)) continue;
    if (matches.has_value() && !matches->contains(course.id)) continue;
    if (static_cast<int>(page.courses.size()) == listing.page_size) {
      page.next = CourseCursor{static_cast<int32_t>(listing.order), last->learner_count,
                               Micros(last->SortTime()), last->id, listing.filter_fingerprint};
      break;
    }
    page.courses.push_back(by_id_.at(course.id));
    last = &course;
  }
  return page;
}

CatalogueChanges CatalogueSnapshot::ChangedSince(int64_t generation, size_t limit) const {
  CatalogueChanges changes;
  changes.generation = std::max(generation, watermark_);
  auto it = std::upper_bound(by_change_.begin(), by_change_.end(), generation,
                             [](int64_t g, const Course* c) { return g < c->change_seq; });
  for (; it != by_change_.end() && (*it)->change_seq <= watermark_; ++it) {
    if (changes.courses.size() == limit) {
      changes.more = true;
      changes.generation = changes.courses.back()->change_seq;
      break;
    }
    changes.courses.push_back(by_id_.at((*it)->id));
  }
  return changes;
}

}  // namespace lms::course

#pragma once

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "services/course/catalogue_snapshot.h"
#include "services/course/course_repository.h"

namespace lms::course {

// The live catalogue: the current CatalogueSnapshot, kept fresh two ways.
// - Apply(): a write in this process puts the committed course in before its RPC
//   returns, so no read after the commit sees the old version.
// - Refresh(): loads everything changed after the watermark generation (writes of other
//   processes, the demo loader); the course module's "catalogue_refresh" task calls it a few times
//   a second.
// Reads never touch the database. Thread-safe.
class Catalogue {
 public:
  Catalogue(db::ConnectionPool& pool, const CourseRepository& courses)
      : pool_(pool), courses_(courses) {}

  // Loads what changed since the last load (everything the first time).
  [[nodiscard]] absl::Status Refresh(absl::Time deadline);
  // Reloads learner counts, which change without a catalogue generation.
  [[nodiscard]] absl::Status RefreshLearnerCounts(absl::Time deadline);
  // Puts a course this process has just committed into the catalogue.
  void Apply(Course course);

  // The current snapshot; UNAVAILABLE until the first load succeeded.
  [[nodiscard]] absl::StatusOr<std::shared_ptr<const CatalogueSnapshot>> Snapshot() const;

 private:
  // Replaces entries that are newer than what the snapshot holds.
  void Merge(std::vector<Course> changed, int64_t watermark, bool counts_only)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(rebuild_mu_);

  db::ConnectionPool& pool_;
  const CourseRepository& courses_;
  // Serialises rebuilds (rare); readers only take mu_ to copy the pointer.
  absl::Mutex rebuild_mu_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const CatalogueSnapshot> snapshot_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::course

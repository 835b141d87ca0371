#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/progress/lesson_catalog.h"

namespace lms::progress {

// The facts of studiable lessons (published course, not removed) for a few seconds: every
// progress report needs them, and they change only when an admin edits a course. Other
// lessons are read each time, so a publication takes effect at once; an archival or a
// removal reaches progress within kTtl. Thread-safe.
class LessonFactsCache {
 public:
  explicit LessonFactsCache(const LessonCatalog& catalog) : catalog_(catalog) {}

  // As LessonCatalog::Lessons, from the cache where fresh at `now`.
  [[nodiscard]] absl::StatusOr<std::map<int64_t, LessonFacts>> Lessons(
      db::Transaction& tx, const std::vector<int64_t>& lesson_ids, absl::Time now);

  static constexpr absl::Duration kTtl = absl::Seconds(5);
  // Beyond this many lessons the cache starts over (a catalogue has a few thousand).
  static constexpr size_t kMaxEntries = 100'000;

 private:
  struct Entry {
    LessonFacts facts;
    absl::Time read_at;
  };
  const LessonCatalog& catalog_;
  absl::Mutex mu_;
  absl::flat_hash_map<int64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::progress

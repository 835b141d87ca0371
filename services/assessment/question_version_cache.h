#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/db/transaction.h"
#include "services/assessment/question.h"
#include "services/assessment/question_repository.h"

namespace lms::assessment {

// Question versions by (id, version), kept in memory. A version is never changed once
// written (an edit writes the next one), so a cached version is never stale: every
// attempt's start, save and submit reads its questions from here instead of the
// database. Retiring changes the question's state, not a version: draws check it
// against the database. Bounded: past `capacity` versions the cache starts afresh.
// Thread-safe.
class QuestionVersionCache {
 public:
  explicit QuestionVersionCache(const QuestionRepository& questions, size_t capacity = 50'000)
      : questions_(questions), capacity_(capacity) {}

  // The versions among `keys` that exist; misses are read in the caller's transaction.
  [[nodiscard]] absl::StatusOr<std::map<QuestionVersionKey, Question>> Get(
      db::Transaction& tx, const std::vector<QuestionVersionKey>& keys) const;

 private:
  struct KeyHash {
    size_t operator()(const QuestionVersionKey& key) const {
      return absl::HashOf(key.first, key.second);
    }
  };

  const QuestionRepository& questions_;
  const size_t capacity_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<QuestionVersionKey, Question, KeyHash> cached_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::assessment

#pragma once

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/assessment/question_repository.h"

namespace lms::assessment {

// The candidates of each published paper's draw rules, kept for a few seconds: every
// start of a random paper would otherwise scan its rules' questions again. A pool may be
// stale (a question retired or edited since): the draw checks the questions it drew
// against the database and, if any changed, forgets the pool and draws again from a
// fresh one, so a retired question is never drawn. Thread-safe.
class DrawPoolCache {
 public:
  explicit DrawPoolCache(absl::Duration lifetime = absl::Seconds(10)) : lifetime_(lifetime) {}

  // The pool of rule `rule` of version `version` of paper `paper_id`, if fresh at `now`.
  [[nodiscard]] std::optional<std::vector<QuestionVersionKey>> Get(int64_t paper_id,
                                                                   int64_t version, size_t rule,
                                                                   absl::Time now) const;
  void Put(int64_t paper_id, int64_t version, size_t rule, std::vector<QuestionVersionKey> pool,
           absl::Time now) const;
  // Forgets every pool of the paper.
  void Forget(int64_t paper_id) const;

 private:
  using Key = std::tuple<int64_t, int64_t, size_t>;
  struct Entry {
    std::vector<QuestionVersionKey> pool;
    absl::Time expires;
  };

  const absl::Duration lifetime_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<Key, Entry> pools_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::assessment

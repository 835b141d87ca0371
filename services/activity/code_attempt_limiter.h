#pragma once

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::activity {

// Limits wrong sign-in codes per member, across activities: a six-digit code that lasts a
// minute cannot be guessed in 10 tries (odds 2 in 100,000 per window), and a member who
// mistypes waits out the window. In memory, per server process: with several servers the
// odds multiply by their number, still far from a guess. Thread-safe.
class CodeAttemptLimiter {
 public:
  static constexpr int kWrongCodesPerWindow = 10;
  static constexpr absl::Duration kWindow = absl::Minutes(10);

  // RESOURCE_EXHAUSTED while the member has used up the window's wrong codes.
  [[nodiscard]] absl::Status Admit(int64_t member_id, absl::Time now) const;
  // Counts a wrong code.
  void RecordWrong(int64_t member_id, absl::Time now);

 private:
  struct Window {
    absl::Time start;
    int wrong = 0;
  };
  // Drops windows that ended (when the map grows), so it holds only recent mistypers.
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::flat_hash_map<int64_t, Window> windows_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::activity

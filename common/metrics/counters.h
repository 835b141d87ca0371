#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"

namespace lms::metrics {

// Named event counters of one process (password hashes computed, sign-ins turned away
// by admission, ...), for the benchmark's report and for tests that must count work
// rather than time it. A counter, once created, lives as long as the set, so the
// reference Get returns may be kept and bumped without a lock. Thread-safe.
class Counters {
 public:
  // The counter called `name`, created at 0 on first use.
  std::atomic<int64_t>& Get(const std::string& name);
  // Its current value; 0 for a counter never created.
  int64_t Value(const std::string& name) const;
  // Every counter and its value, by name.
  std::map<std::string, int64_t> Snapshot() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<std::atomic<int64_t>>> counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lms::metrics

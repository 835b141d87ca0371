#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::sched {

// Runs `tick` on a background thread at once and then every `interval` until destroyed.
// A failing tick is logged when the task starts failing and when it recovers (not on every
// tick), and retried on the next one. The destructor stops and joins. Thread-safe.
class PeriodicTask {
 public:
  PeriodicTask(std::string name, absl::Duration interval, std::function<absl::Status()> tick);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Run();

  const std::string name_;
  const absl::Duration interval_;
  const std::function<absl::Status()> tick_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lms::sched

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
// tick), and retried on the next one. RunNow() runs a tick on the caller's thread, in
// turn with the background ones, so a test (or an admin command) need not wait for the
// next interval. The destructor stops and joins. Thread-safe.
class PeriodicTask {
 public:
  PeriodicTask(std::string name, absl::Duration interval, std::function<absl::Status()> tick);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  const std::string& name() const { return name_; }
  // Runs one tick now, after any tick in progress, and returns its status.
  [[nodiscard]] absl::Status RunNow();

 private:
  void Run();
  absl::Status Tick();

  const std::string name_;
  const absl::Duration interval_;
  const std::function<absl::Status()> tick_;
  // Serialises ticks: the background thread's and RunNow()'s never overlap.
  absl::Mutex tick_mu_;
  bool was_failing_ ABSL_GUARDED_BY(tick_mu_) = false;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lms::sched

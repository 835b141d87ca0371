#include "common/sched/periodic_task.h"

#include "common/log/log.h"

namespace lms::sched {

PeriodicTask::PeriodicTask(std::string name, absl::Duration interval,
                           std::function<absl::Status()> tick)
    : name_(std::move(name)),
      interval_(interval),
      tick_(std::move(tick)),
      thread_([this] { Run(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status PeriodicTask::RunNow() { return Tick(); }

absl::Status PeriodicTask::Tick() {
  absl::MutexLock lock(&tick_mu_);
  const absl::Status status = tick_();
  if (!status.ok() && !was_failing_) {
    log::Warn("periodic_task_failing", {{"task", name_}, {"error", std::string(status.message())}});
  } else if (status.ok() && was_failing_) {
    log::Info("periodic_task_recovered", {{"task", name_}});
  }
  was_failing_ = !status.ok();
  return status;
}

void PeriodicTask::Run() {
  while (true) {
    Tick().IgnoreError();
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
  }
}

}  // namespace lms::sched

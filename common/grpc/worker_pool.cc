#include "common/grpc/worker_pool.h"

#include "common/log/log.h"

namespace lms::grpc_util {

WorkerPool::WorkerPool(int threads, size_t max_queued, std::string busy_message)
    : max_queued_(max_queued), busy_message_(std::move(busy_message)) {
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

bool WorkerPool::TryPost(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  return true;
}

size_t WorkerPool::queued() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

void WorkerPool::Run() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WorkerPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mu_) {
            return pool->stopping_ || !pool->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to do
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    RunGuarded(task);
  }
}

void WorkerPool::RunGuarded(const std::function<void()>& task) {
  // The last line of defence: callers finish their calls themselves (UnaryCallRunner
  // turns exceptions into INTERNAL), but an exception escaping a task must cost one task,
  // never the process and every call in flight.
  try {
    task();
  } catch (const std::exception& e) {
    log::Error("worker_task_threw", {{"error", e.what()}});
  } catch (...) {
    log::Error("worker_task_threw", {{"error", "unknown exception"}});
  }
}

}  // namespace lms::grpc_util

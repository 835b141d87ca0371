#pragma once

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace lms::grpc_util {

// A fixed set of threads for blocking work (database calls) handed over by callback
// handlers, which must never block a gRPC thread. The queue is bounded: when it is full,
// TryPost refuses at once and the handler answers RESOURCE_EXHAUSTED, so overload sheds
// load instead of building an unbounded backlog of calls that will miss their deadlines.
// A task that throws is logged and the worker goes on. Thread-safe. The destructor
// finishes queued tasks, then joins.
class WorkerPool {
 public:
  // `busy_message` is what a call refused by a full queue is told.
  WorkerPool(int threads, size_t max_queued,
             std::string busy_message = "server busy: too many calls waiting; retry with backoff");
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (and `task` dropped) when the queue is full or the pool is shutting down.
  [[nodiscard]] bool TryPost(std::function<void()> task);

  size_t queued() const;
  const std::string& busy_message() const { return busy_message_; }

 private:
  void Run();
  static void RunGuarded(const std::function<void()>& task);

  const size_t max_queued_;
  const std::string busy_message_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace lms::grpc_util

#pragma once

#include <atomic>

namespace lms::grpc_util {

// How many imports one server runs at once: each holds its rows in memory and, at the
// end, a long transaction.
class ImportSlots {
 public:
  explicit ImportSlots(int max) : max_(max) {}
  [[nodiscard]] bool TryEnter() {
    int running = running_.load();
    while (running < max_) {
      if (running_.compare_exchange_weak(running, running + 1)) return true;
    }
    return false;
  }
  void Leave() { --running_; }
  int max() const { return max_; }

 private:
  const int max_;
  std::atomic<int> running_{0};
};

}  // namespace lms::grpc_util

#include "common/metrics/counters.h"

namespace lms::metrics {

std::atomic<int64_t>& Counters::Get(const std::string& name) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<std::atomic<int64_t>>& counter = counters_[name];
  if (counter == nullptr) counter = std::make_unique<std::atomic<int64_t>>(0);
  return *counter;
}

int64_t Counters::Value(const std::string& name) const {
  absl::MutexLock lock(&mu_);
  const auto found = counters_.find(name);
  return found == counters_.end() ? 0 : found->second->load();
}

std::map<std::string, int64_t> Counters::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, int64_t> values;
  for (const auto& [name, counter] : counters_) values[name] = counter->load();
  return values;
}

}  // namespace lms::metrics

#include "services/identity/hash_admission.h"

#include <algorithm>
#include <thread>

#include "absl/time/clock.h"

namespace lms::identity {
namespace {

int DefaultSlots() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

}  // namespace

HashPermit::~HashPermit() {
  if (admission_ != nullptr) admission_->Release();
}

HashAdmission::HashAdmission(HashAdmissionLimits limits, std::atomic<int64_t>& refused)
    : slots_(limits.slots > 0 ? limits.slots : DefaultSlots()),
      max_waiting_(limits.max_waiting > 0 ? limits.max_waiting : 2 * slots_),
      max_wait_(limits.max_wait),
      refused_(refused) {}

absl::StatusOr<HashPermit> HashAdmission::Admit(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  if (running_ < slots_) {
    ++running_;
    return HashPermit(this);
  }
  if (waiting_ >= max_waiting_) return Refuse();
  ++waiting_;
  const auto has_slot = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ < slots_; };
  const bool admitted = mu_.AwaitWithDeadline(absl::Condition(&has_slot),
                                              std::min(deadline, absl::Now() + max_wait_));
  --waiting_;
  if (!admitted) return Refuse();
  ++running_;
  return HashPermit(this);
}

void HashAdmission::Release() {
  absl::MutexLock lock(&mu_);
  --running_;
}

absl::Status HashAdmission::Refuse() {
  refused_.fetch_add(1, std::memory_order_relaxed);
  return absl::ResourceExhaustedError(
      "sign-in is busy: too many password checks at once; retry in a moment");
}

}  // namespace lms::identity

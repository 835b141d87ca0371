#include "services/identity/hash_admission.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "absl/time/clock.h"

namespace lms::identity {
namespace {

// A hash's thread priority (nice value), and "nothing to restore".
constexpr int kHashNice = -5;
constexpr int kNoPriority = 100;

int DefaultSlots() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, cores - 1);
}

}  // namespace

void HashPermit::Release() {
  if (admission_ != nullptr) admission_->Release();
  admission_ = nullptr;
}

HashAdmission::HashAdmission(HashAdmissionLimits limits, std::atomic<int64_t>& refused)
    : slots_(limits.slots > 0 ? limits.slots : DefaultSlots()),
      max_waiting_(limits.max_waiting > 0 ? limits.max_waiting : 3 * slots_),
      max_wait_(limits.max_wait),
      refused_(refused) {}

absl::StatusOr<HashPermit> HashAdmission::Admit(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  const auto has_room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return admitted_ < slots_ + max_waiting_;
  };
  if (!has_room()) {
    // Waiting holds a worker thread: only a few may, the rest are refused at once.
    if (waiting_ >= max_waiting_) return Refuse();
    ++waiting_;
    const bool admitted = mu_.AwaitWithDeadline(absl::Condition(&has_room),
                                                std::min(deadline, absl::Now() + max_wait_));
    --waiting_;
    if (!admitted) return Refuse();
  }
  ++admitted_;
  return HashPermit(this);
}

void HashAdmission::Release() {
  absl::MutexLock lock(&mu_);
  --admitted_;
}

int HashAdmission::AcquireSlot() {
  {
    absl::MutexLock lock(&mu_);
    const auto has_slot = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return hashing_ < slots_; };
    mu_.Await(absl::Condition(&has_slot));
    ++hashing_;
  }
  const id_t thread = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  const int previous = getpriority(PRIO_PROCESS, thread);
  if (errno != 0) return kNoPriority;
  // Without the privilege to raise it the hash simply runs at the thread's priority.
  if (setpriority(PRIO_PROCESS, thread, std::min(previous, kHashNice)) != 0) return kNoPriority;
  return previous;
}

void HashAdmission::ReleaseSlot(int previous_priority) {
  if (previous_priority != kNoPriority) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), previous_priority);
  }
  absl::MutexLock lock(&mu_);
  --hashing_;
}

absl::Status HashAdmission::Refuse() {
  refused_.fetch_add(1, std::memory_order_relaxed);
  return absl::ResourceExhaustedError(kSignInBusy);
}

}  // namespace lms::identity

#pragma once

#include <atomic>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::identity {

// How many Argon2id computations may run at once, and how a sign-in waits for one.
struct HashAdmissionLimits {
  // Computations at once (19 MiB and a core each). 0: the cores less one, at least one,
  // so that a flood of sign-ins always leaves a core to every other RPC.
  int slots = 0;
  // Attempts that may wait for a slot; beyond them an attempt is refused at once. 0: two
  // per slot, enough to keep the slots busy between one hash and the next.
  int max_waiting = 0;
  // The longest an attempt waits for a slot before it is refused.
  absl::Duration max_wait = absl::Milliseconds(50);
};

class HashAdmission;

// The right to compute hashes, held from admission until it goes out of scope. Every
// PasswordHasher computation asks for one, so none runs unadmitted. Move-only.
class HashPermit {
 public:
  HashPermit(HashPermit&& other) noexcept : admission_(other.admission_) {
    other.admission_ = nullptr;
  }
  HashPermit& operator=(HashPermit&&) = delete;
  HashPermit(const HashPermit&) = delete;
  ~HashPermit();

 private:
  friend class HashAdmission;
  explicit HashPermit(HashAdmission* admission) : admission_(admission) {}
  HashAdmission* admission_;
};

// Bounded admission to password hashing, apart from the shared worker pool: a sign-in
// flood gets RESOURCE_EXHAUSTED within `max_wait` instead of holding workers (and the
// database calls queued behind them) for as long as its deadlines allow. Admit before
// anything else an attempt does, so a refused attempt costs neither a hash nor a
// throttle reservation. Thread-safe.
class HashAdmission {
 public:
  // `refused` counts the attempts turned away.
  HashAdmission(HashAdmissionLimits limits, std::atomic<int64_t>& refused);

  // A permit, or RESOURCE_EXHAUSTED when every slot stays busy for `max_wait` (or
  // until `deadline`, if sooner), or at once when too many already wait.
  [[nodiscard]] absl::StatusOr<HashPermit> Admit(absl::Time deadline);

  int slots() const { return slots_; }
  int max_waiting() const { return max_waiting_; }

 private:
  friend class HashPermit;
  void Release();
  absl::Status Refuse();

  const int slots_;
  const int max_waiting_;
  const absl::Duration max_wait_;
  std::atomic<int64_t>& refused_;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lms::identity

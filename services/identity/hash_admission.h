#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lms::identity {

// How many Argon2id computations may run at once, and how many attempts may be under way.
struct HashAdmissionLimits {
  // Computations at once (19 MiB and a core each). 0: the cores less one, at least one,
  // so that a flood of sign-ins always leaves a core to every other RPC.
  int slots = 0;
  // Attempts under way beyond the slots (reserving their throttle record, or waiting for
  // a slot), and again as many waiting to be admitted; beyond them an attempt is refused
  // at once. 0: three per slot: while one attempt hashes, the others reserve their throttle
  // records (a durable commit, slower than a hash when the database is busy).
  int max_waiting = 0;
  // The longest an attempt waits to be admitted before it is refused.
  absl::Duration max_wait = absl::Milliseconds(50);
};

class HashAdmission;

// What a sign-in turned away by admission (or by the hashing pool's full queue) is told.
inline constexpr char kSignInBusy[] =
    "sign-in is busy: too many password checks at once; retry in a moment";

// An admitted attempt: held from admission until it goes out of scope (release it as
// soon as the hashes are done). Every PasswordHasher computation runs through one, on
// one of the slots. Move-only.
class HashPermit {
 public:
  HashPermit(HashPermit&& other) noexcept : admission_(other.admission_) {
    other.admission_ = nullptr;
  }
  HashPermit& operator=(HashPermit&&) = delete;
  HashPermit(const HashPermit&) = delete;
  ~HashPermit() { Release(); }

  // Ends the admission early (once the hashes are done, before the attempt writes its
  // outcome). The permit computes nothing after.
  void Release();

  // Runs `compute` on a slot, waiting for one (the admitted attempts bound the wait).
  template <typename Compute>
  auto OnSlot(Compute&& compute) const;

 private:
  friend class HashAdmission;
  explicit HashPermit(HashAdmission* admission) : admission_(admission) {}
  HashAdmission* admission_;
};

// Bounded admission to password hashing, apart from the shared worker pool: at most
// slots + max_waiting attempts are under way, at most `slots` of them hashing, and at
// most max_waiting more wait to be admitted; beyond that an attempt gets
// RESOURCE_EXHAUSTED at once, or within `max_wait`, instead of holding a worker
// (and the database calls queued behind it) for as long as its deadline allows. Admit
// before anything else an attempt does, so a refused attempt costs neither a hash nor a
// throttle reservation. Thread-safe.
class HashAdmission {
 public:
  // `refused` counts the attempts turned away.
  HashAdmission(HashAdmissionLimits limits, std::atomic<int64_t>& refused);

  // A permit, or RESOURCE_EXHAUSTED when no attempt finishes within `max_wait` (or
  // before `deadline`, if sooner).
  [[nodiscard]] absl::StatusOr<HashPermit> Admit(absl::Time deadline);

  int slots() const { return slots_; }
  int max_waiting() const { return max_waiting_; }

 private:
  friend class HashPermit;
  void Release();
  // Takes a slot and raises the calling thread's CPU priority for the hash (nice −5,
  // where the process may: root or CAP_SYS_NICE), so the cores given to hashing are
  // given in fact when every core is busy; returns the priority to restore.
  int AcquireSlot();
  void ReleaseSlot(int previous_priority);
  absl::Status Refuse();

  const int slots_;
  const int max_waiting_;
  const absl::Duration max_wait_;
  std::atomic<int64_t>& refused_;
  absl::Mutex mu_;
  int admitted_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  int hashing_ ABSL_GUARDED_BY(mu_) = 0;
};

template <typename Compute>
auto HashPermit::OnSlot(Compute&& compute) const {
  if (admission_ == nullptr) std::abort();  // used after Release(): a programming error
  struct Releaser {
    HashAdmission* admission;
    int previous_priority;
    ~Releaser() { admission->ReleaseSlot(previous_priority); }
  } releaser{admission_, admission_->AcquireSlot()};
  return std::forward<Compute>(compute)();
}

}  // namespace lms::identity

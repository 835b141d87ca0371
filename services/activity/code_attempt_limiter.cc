#include "services/activity/code_attempt_limiter.h"

#include "absl/strings/str_cat.h"

namespace lms::activity {
namespace {

constexpr size_t kPruneAbove = 10'000;

}  // namespace

absl::Status CodeAttemptLimiter::Admit(int64_t member_id, absl::Time now) const {
  absl::MutexLock lock(&mu_);
  const auto found = windows_.find(member_id);
  if (found == windows_.end() || now >= found->second.start + kWindow) return absl::OkStatus();
  if (found->second.wrong < kWrongCodesPerWindow) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many wrong sign-in codes: try again in ",
      absl::FormatDuration(absl::Ceil(found->second.start + kWindow - now, absl::Seconds(1)))));
}

void CodeAttemptLimiter::RecordWrong(int64_t member_id, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (windows_.size() > kPruneAbove) Prune(now);
  Window& window = windows_[member_id];
  if (now >= window.start + kWindow) window = Window{now, 0};
  ++window.wrong;
}

void CodeAttemptLimiter::Prune(absl::Time now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now >= it->second.start + kWindow) {
      windows_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace lms::activity

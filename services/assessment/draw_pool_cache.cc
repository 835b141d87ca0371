#include "services/assessment/draw_pool_cache.h"

#include <utility>

namespace lms::assessment {
namespace {

// Published papers are few; a bound keeps a long-running server's map small anyway.
constexpr size_t kMaxPools = 10'000;

}  // namespace

std::optional<std::vector<QuestionVersionKey>> DrawPoolCache::Get(int64_t paper_id, int64_t version,
                                                                  size_t rule,
                                                                  absl::Time now) const {
  absl::MutexLock lock(&mu_);
  const auto found = pools_.find(Key{paper_id, version, rule});
  if (found == pools_.end() || found->second.expires <= now) return std::nullopt;
  return found->second.pool;
}

void DrawPoolCache::Put(int64_t paper_id, int64_t version, size_t rule,
                        std::vector<QuestionVersionKey> pool, absl::Time now) const {
  absl::MutexLock lock(&mu_);
  if (pools_.size() >= kMaxPools) pools_.clear();
  pools_[Key{paper_id, version, rule}] = Entry{std::move(pool), now + lifetime_};
}

void DrawPoolCache::Forget(int64_t paper_id) const {
  absl::MutexLock lock(&mu_);
  for (auto it = pools_.begin(); it != pools_.end();) {
    if (std::get<0>(it->first) == paper_id) {
      pools_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace lms::assessment

#include "common/auth/session_revocations.h"

#include "common/db/connection_pool.h"
#include "common/db/run_transaction.h"

namespace lms::auth {
namespace {

constexpr char kSelectRevoked[] = "SELECT id, revoked_at FROM session WHERE revoked_at >= ?";
// A session revoked by a transaction that committed a little after a later-stamped one
// still shows up: each refresh looks back this far past the previous one.
constexpr absl::Duration kLookBack = absl::Seconds(30);

}  // namespace

bool SessionRevocations::IsRevoked(int64_t session_id) const {
  absl::ReaderMutexLock lock(&mu_);
  return revoked_.contains(session_id);
}

void SessionRevocations::Add(const std::vector<int64_t>& session_ids, absl::Time revoked_at) {
  absl::MutexLock lock(&mu_);
  for (const int64_t id : session_ids) revoked_.emplace(id, revoked_at);
}

absl::Status SessionRevocations::Refresh(db::ConnectionPool& pool, absl::Time now) {
  absl::Time since;
  {
    absl::MutexLock lock(&mu_);
    since = loaded_until_ == absl::InfinitePast() ? now - retention_ : loaded_until_ - kLookBack;
  }
  std::vector<std::pair<int64_t, absl::Time>> found;
  const absl::Status status =
      db::RunTransaction(pool, absl::Now() + absl::Seconds(5), [&](db::Transaction& tx) {
        found.clear();
        return tx.Query(kSelectRevoked, {since},
                        [&](const db::Row& row) { found.emplace_back(row.Int64(1), row.Time(2)); });
      });
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  for (const auto& [id, at] : found) revoked_.emplace(id, at);
  absl::erase_if(revoked_, [&](const auto& entry) { return entry.second < now - retention_; });
  loaded_until_ = now;
  return absl::OkStatus();
}

}  // namespace lms::auth

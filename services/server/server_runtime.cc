#include "services/server/server_runtime.h"

#include "common/log/log.h"

namespace lms::server {

ServerRuntime::ServerRuntime(const ServerConfig& config, auth::TokenKeys keys, const Clock& clock)
    : config_(config),
      clock_(clock),
      keys_(std::move(keys)),
      pool_(config.db),
      verifier_(keys_.public_key, clock, config.access_token_lifetime),
      // Longer than any access token lives, so a revoked session's tokens all expire first.
      revocations_(config.access_token_lifetime + absl::Minutes(5)),
      authorizer_(verifier_, revocations_, config.allow_development_tokens),
      scope_checker_(pool_),
      workers_(config.workers, static_cast<size_t>(config.max_queued_calls)),
      runner_(authorizer_, scope_checker_, workers_, config.max_call_deadline),
      revocation_refresh_("session_revocations", config.revocation_refresh_interval,
                          [this] { return revocations_.Refresh(pool_, clock_.Now()); }),
      housekeeping_(pool_),
      housekeeping_task_("housekeeping", config.housekeeping_interval, [this]() -> absl::Status {
        const absl::StatusOr<int64_t> deleted = housekeeping_.RunOnce(clock_.Now());
        if (!deleted.ok()) return deleted.status();
        if (*deleted > 0) log::Info("housekeeping", {{"rows_deleted", *deleted}});
        return absl::OkStatus();
      }) {
  const auto older_than = [](absl::Duration age) {
    return [age](absl::Time now) { return std::vector<db::Param>{now - age}; };
  };
  housekeeping_.Add(
      {{"request_log", "DELETE FROM request_log WHERE created_at < ? LIMIT 5000",
        older_than(config.request_log_retention)},
       // Deliveries at or below their consumer's cursor are never consulted
       // again; events go once every consumer's cursor has passed them (none
       // while no consumer exists: a consumer starting later finds them).
       {"outbox_delivery",
        "DELETE FROM outbox_delivery WHERE delivered_at < ? AND event_id <="
        " (SELECT c.after_event_id FROM outbox_cursor c"
        " WHERE c.consumer = outbox_delivery.consumer) LIMIT 5000",
        older_than(config.outbox_retention)},
       {"outbox_event",
        "DELETE FROM outbox_event WHERE created_at < ? AND id <="
        " (SELECT COALESCE(MIN(c.after_event_id), 0) FROM outbox_cursor c)"
        " LIMIT 5000",
        older_than(config.outbox_retention)},
       // Members queued for the statistics rollups (any server's writes queue
       // them): a row two days old is covered by the rebuild of each day that
       // turned since, and rollups not rebuilt are never read (the recount
       // answers); so servers without a statistics job never grow the queue.
       {"statistics_queue", "DELETE FROM statistics_queue WHERE queued_time < ? LIMIT 5000",
        older_than(absl::Hours(48))}});
}

void ServerRuntime::SetBeforeCommitHookForTesting(
    std::function<void(const call::CallContext&)> hook) {
  runner_.SetBeforeCommitHook(std::move(hook));
}

}  // namespace lms::server

#include "services/progress/progress_module.h"

namespace lms::progress {
namespace {

// Compaction has no hurry: a few thousand rows a minute keep up with any site.
constexpr absl::Duration kCompactionInterval = absl::Minutes(1);
constexpr int kCompactionBatch = 5000;

}  // namespace

ProgressModule::ProgressModule(server::ServerRuntime& runtime)
    : rules_(runtime.pool(), runtime.clock()),
      service_(runtime.pool(), runtime.clock(), rules_, progress_, catalog_, completion_, recorder_,
               ledger_, enrollments_, hours_owed_),
      evidence_(runtime.token_keys().public_key, offline_),
      kiosk_sync_(runtime.pool(), runtime.clock(), rules_, progress_, recorder_, offline_, members_,
                  evidence_, runtime.scope_checker()),
      pending_(runtime.pool(), runtime.clock(), rules_, progress_, recorder_, offline_),
      rpcs_("lms.v1.ProgressService", runtime.runner()) {
  runtime.mutable_scope_checker().RegisterObjectKind(
      "hours_credit",
      [this](db::Transaction& tx, int64_t id,
             bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
        absl::StatusOr<std::optional<HoursCredit>> credit = ledger_.Find(tx, id, lock);
        if (!credit.ok()) return credit.status();
        if (!credit->has_value()) return std::nullopt;
        return auth::ObjectOwner{auth::ScopeKind::kMember, (*credit)->member_id};
      });
  handler_.Bind(rpcs_);
  compaction_task_ =
      std::make_unique<sched::PeriodicTask>("progress_compaction", kCompactionInterval, [this] {
        return service_.CompactEvents(absl::Now() + absl::Seconds(30), kCompactionBatch).status();
      });
}

}  // namespace lms::progress

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/statistics/figures_recount.h"
#include "services/statistics/organization_figures.h"
#include "services/statistics/organization_report.h"
#include "services/statistics/report_directory.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/scoped_standings.h"
#include "services/statistics/statistics_scope.h"

namespace lms::statistics {

// lms.v1.MembersBehindOrder.
enum class MembersBehindOrder : int {
  kUnspecified = 0,
  kShortfall = 1,
  kOrganization = 2,
  kLastStudy = 3
};

struct MembersBehindInput {
  ScopeRequest scope;
  // A MemberCategory value; 0: all.
  int category = 0;
  MembersBehindOrder order = MembersBehindOrder::kUnspecified;
  int page_size = 0;
  std::string page_token;
};

struct MemberBehindRow {
  MemberStanding standing;
  MemberLabel member;
  std::string organization_name;
  int64_t plan_id = 0;
  std::string plan_title;
};

struct MembersBehindPage {
  ReportStamp stamp;
  std::vector<MemberBehindRow> members;
  std::string next_page_token;
  int64_t total = 0;
};

struct RankedChild {
  int rank = 0;
  int64_t organization_id = 0;
  std::string name;
  int64_t members = 0;
  int32_t coverage_permille = 0;
  int32_t completion_permille = 0;
};

struct ChildRanking {
  ReportStamp stamp;
  std::vector<RankedChild> best;
  std::vector<RankedChild> worst;
};

struct EscalationRow {
  int64_t organization_id = 0;
  std::string name;
  int64_t members_behind = 0;
  int64_t members_overdue = 0;
  std::vector<AdminLabel> admins;
};

// Members by credited hours as a share of their requirement: [0, 25), [25, 50), [50, 75),
// [75, 100) per cent, and met (100 and above); those with no requirement apart.
struct HoursBucket {
  int32_t from_percent = 0;
  // 0 for the last, open bucket.
  int32_t to_percent = 0;
  int64_t members = 0;
};

struct HoursDistributionReport {
  ReportStamp stamp;
  std::vector<HoursBucket> buckets;
  int64_t members_without_requirement = 0;
};

struct EscalationReport {
  ReportStamp stamp;
  std::vector<EscalationRow> rows;
};

// Share in per-mille (0 of 0 is 0).
[[nodiscard]] int32_t Permille(int64_t part, int64_t whole);

// The figures built on each member's standing as of a day (README "Statistics"): an
// organisation's, members behind, the children's ranking, the escalation view. Each call
// reads one consistent snapshot; authorization (the scope's organisation in the caller's
// subtree) was decided before. Thread-safe.
class StatisticsService {
 public:
  StatisticsService(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  [[nodiscard]] absl::StatusOr<OrganizationReport> Organization(const call::CallContext& call,
                                                                const ScopeRequest& request) const;
  [[nodiscard]] absl::StatusOr<MembersBehindPage> MembersBehind(
      const call::CallContext& call, const MembersBehindInput& input) const;
  // `count` best and worst children (0: 5; at most 50).
  [[nodiscard]] absl::StatusOr<ChildRanking> RankChildren(const call::CallContext& call,
                                                          const ScopeRequest& request,
                                                          int count) const;
  [[nodiscard]] absl::StatusOr<EscalationReport> Escalation(const call::CallContext& call,
                                                            const ScopeRequest& request) const;
  // `category` a MemberCategory value (0: all members).
  [[nodiscard]] absl::StatusOr<HoursDistributionReport> HoursDistribution(
      const call::CallContext& call, const ScopeRequest& request, int category) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const StandingsLoader standings_{};
  const RollupRepository rollups_{};
  const ReportDirectory directory_{};
};

}  // namespace lms::statistics

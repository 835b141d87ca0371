#include "tools/bench/statistics_scenarios.h"

#include <algorithm>
#include <functional>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/call/call_context.h"
#include "common/time/china_time.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "services/statistics/month_snapshots.h"
#include "services/statistics/rollup_repository.h"
#include "services/statistics/statistics_service.h"
#include "services/statistics/tree_on_date.h"
#include "tools/bench/db_loop.h"
#include "tools/bench/echo.pb.h"

namespace lms::bench {
namespace {

constexpr char kBiggestGeneralBranch[] =
    "SELECT c.ancestor_id FROM statistics_member_standing s JOIN organization_closure c ON"
    " c.descendant_id = s.organization_id JOIN organization o ON o.id = c.ancestor_id"
    " WHERE o.kind = 2 GROUP BY c.ancestor_id ORDER BY COUNT(*) DESC LIMIT 1";

absl::Duration Median(std::vector<absl::Duration> values) {
  if (values.empty()) return absl::ZeroDuration();
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

// One latency comparison: S by the server, B by the recount in process.
struct Latency {
  std::string name;
  absl::Duration target;
  // One timed call of each; false when the answer is wrong (not the source measured).
  std::function<bool()> served;
  std::function<bool()> recounted;
  std::vector<absl::Duration> s_medians = {};
  std::vector<absl::Duration> b_rounds = {};
};

// Times `call` (`times` runs); false as soon as one fails.
bool Time(const std::function<bool()>& call, int times, std::vector<absl::Duration>& out) {
  for (int i = 0; i < times; ++i) {
    const absl::Time start = absl::Now();
    if (!call()) return false;
    out.push_back(absl::Now() - start);
  }
  return true;
}

}  // namespace

std::string SystemAdminAuthorization(const auth::TokenKeys& keys, const Clock& clock,
                                     absl::Duration token_lifetime) {
  auth::Caller admin;
  admin.role = auth::Role::kSystemAdmin;
  admin.member_id = 1;
  admin.organization_id = 1;
  return absl::StrCat("Bearer ", auth::AccessTokenSigner(keys, clock).Sign(admin, token_lifetime));
}

int RunStatisticsScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys,
                           const Clock& clock, absl::Duration token_lifetime,
                           const StatisticsBenchOptions& options, const PrintFn& print) {
  const absl::CivilDay today = TodayInChina(clock.Now());
  const int year = static_cast<int>(today.year());
  const absl::CivilMonth last_month = absl::CivilMonth(today) - 1;
  int64_t branch = 0;
  {
    absl::StatusOr<db::Transaction> tx = pool.Begin(absl::Now() + absl::Minutes(1));
    if (!tx.ok()) return 1;
    absl::StatusOr<std::optional<int64_t>> found = tx->QueryInt64(kBiggestGeneralBranch, {});
    if (!found.ok() || !found->has_value()) {
      std::cerr << "statistics: no rolled-up general branch here: generate a site with "
                   "lms-generate and pass its --db_name\n";
      return 1;
    }
    branch = **found;
  }
  const std::string authorization = SystemAdminAuthorization(keys, clock, token_lifetime);
  auto stub = v1::StatisticsService::NewStub(
      grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
  const auto scope_of = [&](int64_t organization) {
    v1::StatisticsScope scope;
    scope.set_organization_id(organization);
    scope.set_year(year);
    return scope;
  };
  const auto context = [&](grpc::ClientContext& c) {
    c.AddMetadata("authorization", authorization);
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  };
  const auto organization_call = [&](int64_t organization, v1::OrganizationStatistics* out) {
    v1::GetOrganizationStatisticsRequest request;
    *request.mutable_scope() = scope_of(organization);
    grpc::ClientContext c;
    context(c);
    const grpc::Status status = stub->GetOrganizationStatistics(&c, request, out);
    if (!status.ok()) std::cerr << "statistics: " << status.error_message() << "\n";
    return status.ok() && out->stamp().source() == v1::ReportStamp::SOURCE_ROLLUP;
  };
  // The recount, in process: the same service with a received-by bound.
  const statistics::StatisticsService service(pool, clock);
  const auto recount_scope = [&](int64_t organization) {
    statistics::ScopeRequest request;
    request.organization_id = organization;
    request.year = year;
    request.received_by = clock.Now();
    return request;
  };
  call::CallContext call;
  const auto long_call = [&] {
    call.deadline = absl::Now() + absl::Minutes(10);
    return call;
  };
  std::vector<Latency> latencies;
  for (const auto& [name, organization, target] :
       std::vector<std::tuple<std::string, int64_t, absl::Duration>>{
           {"tree", 1, absl::Milliseconds(500)}, {"branch", branch, absl::Milliseconds(50)}}) {
    const int64_t id = organization;
    latencies.push_back({name, target,
                         [&, id] {
                           v1::OrganizationStatistics out;
                           return organization_call(id, &out);
                         },
                         [&, id] {
                           const auto report = service.Organization(long_call(), recount_scope(id));
                           return report.ok() &&
                                  report->stamp.source == statistics::FiguresSource::kRecount;
                         }});
  }
  latencies.push_back({"behind", absl::Milliseconds(100),
                       [&] {
                         v1::ListMembersBehindRequest request;
                         *request.mutable_scope() = scope_of(1);
                         request.set_page_size(20);
                         v1::ListMembersBehindResponse out;
                         grpc::ClientContext c;
                         context(c);
                         return stub->ListMembersBehind(&c, request, &out).ok() &&
                                out.stamp().source() == v1::ReportStamp::SOURCE_ROLLUP &&
                                out.members_size() > 0;
                       },
                       [&] {
                         statistics::MembersBehindInput input;
                         input.scope = recount_scope(1);
                         input.page_size = 20;
                         const auto page = service.MembersBehind(long_call(), input);
                         return page.ok() &&
                                page->stamp.source == statistics::FiguresSource::kRecount;
                       }});
  latencies.push_back({"snapshot", absl::Milliseconds(50),
                       [&] {
                         v1::GetMonthSnapshotRequest request;
                         request.set_organization_id(1);
                         request.set_year(static_cast<int>(last_month.year()));
                         request.set_month(static_cast<int>(last_month.month()));
                         v1::OrganizationStatistics out;
                         grpc::ClientContext c;
                         context(c);
                         const grpc::Status status = stub->GetMonthSnapshot(&c, request, &out);
                         if (!status.ok())
                           std::cerr << "snapshot: " << status.error_message() << "\n";
                         return status.ok() &&
                                out.stamp().source() == v1::ReportStamp::SOURCE_SNAPSHOT;
                       },
                       [&] {
                         statistics::ScopeRequest request = recount_scope(1);
                         request.year = static_cast<int>(last_month.year());
                         request.as_of = absl::CivilDay(last_month + 1) - 1;
                         const auto report = service.Organization(long_call(), request);
                         return report.ok();
                       }});

  for (int round = 0; round < options.rounds; ++round) {
    for (Latency& l : latencies) {
      std::vector<absl::Duration> served;
      // A warm-up call, then the samples.
      if (!Time(l.served, 1, served) || !Time(l.served, options.samples, served)) {
        std::cerr << "statistics " << l.name << ": the server's answer failed\n";
        return 1;
      }
      served.erase(served.begin());
      std::vector<absl::Duration> recounted;
      if (!Time(l.recounted, 1, recounted)) {
        std::cerr << "statistics " << l.name << ": the recount failed\n";
        return 1;
      }
      l.s_medians.push_back(Median(served));
      l.b_rounds.push_back(recounted.front());
      std::cout << absl::StrFormat("%-14s round %d   S p50 %9.2f ms   B %10.1f ms\n",
                                   absl::StrCat("stat_", l.name), round + 1, Ms(l.s_medians.back()),
                                   Ms(l.b_rounds.back()));
    }
  }
  for (const Latency& l : latencies) {
    const absl::Duration s = Median(l.s_medians);
    const absl::Duration b = Median(l.b_rounds);
    std::cout << absl::StrFormat(
        "%-14s RESULT     S %.2f ms (target <= %.0f ms), B %.1f ms, S/B = 1/%.0f%s\n",
        absl::StrCat("stat_", l.name), Ms(s), Ms(l.target), Ms(b), absl::FDivDuration(b, s),
        l.name == "tree" ? " (target 1/100 or better)" : "");
  }

  // The branch at --in_flight against the echo and the rollup read SQL.
  v1::OrganizationStatistics sample;
  if (!organization_call(branch, &sample)) return 1;
  lms::bench::EchoRequest echo_request;
  echo_request.set_response_size(static_cast<int>(sample.ByteSizeLong()) - 3);
  const CallSpec echo_call{"/lms.bench.Echo/Echo", echo_request.SerializeAsString(), ""};
  v1::GetOrganizationStatisticsRequest branch_request;
  *branch_request.mutable_scope() = scope_of(branch);
  const CallSpec branch_call{"/lms.v1.StatisticsService/GetOrganizationStatistics",
                             branch_request.SerializeAsString(), authorization};
  const statistics::RollupRepository rollups;
  const BenchTransaction rollup_read = [&](db::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<statistics::RollupView>> view =
        rollups.View(tx, year, today, clock.Now());
    if (!view.ok()) return view.status();
    if (!view->has_value()) return absl::FailedPreconditionError("the rollups are not fresh");
    absl::StatusOr<statistics::TreeOnDate> tree = statistics::TreeOnDate::Load(tx, today);
    if (!tree.ok()) return tree.status();
    return rollups.Rollups(tx, tree->Subtree(branch)).status();
  };
  LoadGenerator echo_load(options.echo_address, options.channels, options.in_flight);
  LoadGenerator server_load(options.address, options.channels, options.in_flight);
  double sum_c = 0;
  for (int round = 0; round < options.rounds; ++round) {
    const LoadResult e = echo_load.Run(echo_call, options.duration);
    print("stat_branch_16", "E echo", e);
    const LoadResult d = RunDatabaseLoop(pool, options.in_flight, options.duration, {rollup_read});
    print("stat_branch_16", "D sql", d);
    const LoadResult s = server_load.Run(branch_call, options.duration);
    print("stat_branch_16", "S server", s);
    if (s.calls == 0 || d.calls == 0) {
      std::cerr << "statistics: branch load failed: " << s.first_error << d.first_error << "\n";
      return 1;
    }
    sum_c += s.calls_per_second * (1.0 / e.calls_per_second + 1.0 / d.calls_per_second);
  }
  std::cout << absl::StrFormat("%-14s RESULT     S/C = %.2f (target >= 0.5) at %d in flight\n",
                               "stat_branch_16", sum_c / options.rounds, options.in_flight);
  return 0;
}

}  // namespace lms::bench

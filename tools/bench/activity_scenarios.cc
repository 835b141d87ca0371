#include "tools/bench/activity_scenarios.h"

#include <atomic>
#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth/sign_in_code.h"
#include "common/db/batches.h"
#include "common/db/run_transaction.h"
#include "grpcpp/grpcpp.h"
#include "lms/v1/activity.grpc.pb.h"
#include "tools/bench/db_loop.h"
#include "tools/bench/echo.pb.h"
#include "tools/bench/enrollment_scenarios.h"

namespace lms::bench {
namespace {

constexpr char kInsertActivity[] =
    "INSERT INTO activity (organization_id, kind, state, version, start_time, sign_in_secret,"
    " created_by, create_time, update_time) VALUES (?, 5, 1, 1, ?, ?, 1, ?, ?)";
constexpr char kInsertVersion[] =
    "INSERT INTO activity_version (activity_id, version, title, content_category, description,"
    " location, start_time, end_time, sign_in_open_time, sign_in_close_time, sign_out_required,"
    " lecturer_name, lecturer_title, include_subtree, category_mask, hours_hundredths,"
    " lecturer_hundredths, hours_rule_version, change_reason, changed_by, change_time)"
    " VALUES (?, 1, '压测主题党日', 3, '', '', ?, ?, ?, ?, 0, '', '', 0, 0, 200, 0, 0, '', 1, ?)";
// The reference sign-in: what any sign-in must do, raw.
constexpr char kReadActivity[] =
    "SELECT a.state, a.sign_in_secret, v.sign_in_open_time, v.sign_in_close_time"
    " FROM activity a JOIN activity_version v ON v.activity_id = a.id AND v.version = a.version"
    " WHERE a.id = ? LOCK IN SHARE MODE";
constexpr char kTargeted[] =
    "SELECT COUNT(*) FROM member m JOIN organization_closure c"
    " ON c.descendant_id = m.organization_id AND c.ancestor_id = ?"
    " WHERE m.id = ? AND m.status = 1 AND c.depth = 0";
constexpr char kInsertAttendance[] =
    "INSERT IGNORE INTO activity_attendance (activity_id, member_id, status, sign_in_method,"
    " sign_in_time, update_time) VALUES (?, ?, 1, 1, ?, ?)";
// The member queued for the statistics rollups (presence is in the monthly trend).
constexpr char kStatisticsQueue[] =
    "INSERT INTO statistics_queue (member_id, queued_time) VALUES (?, ?)";

// `count` activities of the fixture's branch, open for sign-in from an hour ago for three
// hours, all with `secret`.
absl::StatusOr<std::vector<int64_t>> AddActivities(db::ConnectionPool& pool,
                                                   int64_t organization_id, size_t count,
                                                   const std::string& secret_hex) {
  std::vector<int64_t> ids;
  const absl::Time now = absl::Now();
  for (size_t i = 0; i < count; ++i) {
    const absl::StatusOr<int64_t> id = db::RunTransactionFor<int64_t>(
        pool, now + absl::Minutes(1), [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
          absl::StatusOr<int64_t> inserted = tx.Insert(
              kInsertActivity, {organization_id, now - absl::Minutes(10), secret_hex, now, now});
          if (!inserted.ok()) return inserted;
          absl::Status version =
              tx.Execute(kInsertVersion, {*inserted, now - absl::Minutes(10), now + absl::Hours(2),
                                          now - absl::Hours(1), now + absl::Hours(2), now})
                  .status();
          if (!version.ok()) return version;
          return inserted;
        });
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  return ids;
}

absl::StatusOr<int64_t> CountAttendance(db::ConnectionPool& pool,
                                        const std::vector<int64_t>& activity_ids) {
  return db::RunTransactionFor<int64_t>(
      pool, absl::Now() + absl::Minutes(1), [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        std::vector<db::Param> params;
        const size_t marks = db::AppendPadded(activity_ids, params);
        absl::StatusOr<std::optional<int64_t>> count =
            tx.QueryInt64(absl::StrCat("SELECT COUNT(*) FROM activity_attendance WHERE"
                                       " activity_id IN (",
                                       db::BindMarks(marks), ")"),
                          params);
        if (!count.ok()) return count.status();
        return count->value_or(0);
      });
}

absl::Status DropActivities(db::ConnectionPool& pool, int64_t organization_id) {
  for (const char* sql :
       {"DELETE t FROM activity_attendance t JOIN activity a ON a.id = t.activity_id"
        " WHERE a.organization_id = ?",
        "DELETE v FROM activity_version v JOIN activity a ON a.id = v.activity_id"
        " WHERE a.organization_id = ?",
        "DELETE FROM activity WHERE organization_id = ?"}) {
    const absl::Status deleted = db::RunTransaction(
        pool, absl::Now() + absl::Minutes(5),
        [&](db::Transaction& tx) { return tx.Execute(sql, {organization_id}).status(); });
    if (!deleted.ok()) return deleted;
  }
  return absl::OkStatus();
}

}  // namespace

int RunActivityScenario(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                        absl::Duration token_lifetime, const ActivityBenchOptions& options,
                        const PrintFn& print) {
  absl::StatusOr<EnrollmentFixture> fixture = MakeFixture(
      pool, absl::StrCat("BENCH-A", absl::ToUnixSeconds(absl::Now())), options.members, 1);
  if (!fixture.ok()) {
    std::cerr << "activity: cannot make the fixture: " << fixture.status() << "\n";
    return 1;
  }
  const int64_t organization = fixture->organization_id;
  const auto cleanup = [&] {
    if (absl::Status dropped = DropActivities(pool, organization); !dropped.ok()) {
      std::cerr << "activity: cleaning up: " << dropped << "\n";
    }
    (void)DropFixture(pool, *fixture);
  };
  const std::vector<uint8_t> secret = auth::NewSignInSecret();
  const std::string secret_hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()));
  const auth::AccessTokenSigner signer(keys, clock);
  std::vector<std::string> authorizations;
  for (const int64_t member : fixture->member_ids) {
    auth::Caller caller;
    caller.role = auth::Role::kMember;
    caller.member_id = member;
    caller.organization_id = organization;
    authorizations.push_back(absl::StrCat("Bearer ", signer.Sign(caller, token_lifetime)));
  }
  const size_t members = fixture->member_ids.size();
  // Generous: so no slot runs dry (sign-ins a second at most, times the run).
  const double seconds = absl::ToDoubleSeconds(options.duration) + 2;
  const size_t activities_per_run = static_cast<size_t>(seconds * 12'000) / members + 1;

  // A sample sign-in, for the echo's answer size and to see the path works.
  absl::StatusOr<std::vector<int64_t>> sample_activity =
      AddActivities(pool, organization, 1, secret_hex);
  if (!sample_activity.ok()) {
    std::cerr << "activity: cannot add activities: " << sample_activity.status() << "\n";
    cleanup();
    return 1;
  }
  v1::ActivitySignInRequest sample;
  sample.set_activity_id(sample_activity->front());
  sample.set_code(auth::SignInCodeAt(secret, absl::Now()));
  v1::Attendance answer;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorizations.front());
    const grpc::Status signed_in =
        v1::ActivityService::NewStub(
            grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()))
            ->SignIn(&context, sample, &answer);
    if (!signed_in.ok()) {
      std::cerr << "activity: a sample sign-in failed: " << signed_in.error_message() << "\n";
      cleanup();
      return 1;
    }
  }
  lms::bench::EchoRequest echo_request;
  echo_request.set_response_size(static_cast<int>(answer.ByteSizeLong()) - 3);
  const CallSpec echo_call{"/lms.bench.Echo/Echo", echo_request.SerializeAsString(), ""};
  LoadGenerator echo_load(options.echo_address, options.channels, options.in_flight);
  LoadGenerator server_load(options.address, options.channels, options.in_flight);

  double sum_c = 0;
  double sum_tail = 0;
  int failures = 0;
  for (int round = 0; round < options.rounds && failures == 0; ++round) {
    const LoadResult e = echo_load.Run(echo_call, options.duration);
    print("activity_sign_in", "E echo", e);
    absl::StatusOr<std::vector<int64_t>> reference =
        AddActivities(pool, organization, activities_per_run, secret_hex);
    absl::StatusOr<std::vector<int64_t>> served =
        AddActivities(pool, organization, activities_per_run, secret_hex);
    if (!reference.ok() || !served.ok()) {
      std::cerr << "activity: cannot add activities\n";
      cleanup();
      return 1;
    }
    std::atomic<int64_t> counter{0};
    const BenchTransaction reference_sign_in = [&](db::Transaction& tx) -> absl::Status {
      const int64_t n = counter.fetch_add(1);
      const int64_t activity = (*reference)[static_cast<size_t>(n) / members];
      const int64_t member = fixture->member_ids[static_cast<size_t>(n) % members];
      const absl::Time now = absl::Now();
      bool open = false;
      absl::Status read = tx.Query(kReadActivity, {activity}, [&](const db::Row& row) {
        open =
            row.Int64(1) == 1 && row.Time(3) <= now && now < row.Time(4) && !row.String(2).empty();
      });
      if (!read.ok()) return read;
      if (!open) return absl::FailedPreconditionError("reference activity closed");
      absl::StatusOr<std::optional<int64_t>> targeted =
          tx.QueryInt64(kTargeted, {organization, member});
      if (!targeted.ok()) return targeted.status();
      if (absl::Status s = tx.Execute(kStatisticsQueue, {member, now}).status(); !s.ok()) {
        return s;
      }
      return tx.Execute(kInsertAttendance, {activity, member, now, now}).status();
    };
    const LoadResult d =
        RunDatabaseLoop(pool, options.in_flight, options.duration, {reference_sign_in});
    print("activity_sign_in", "D sql", d);
    // Every member of the branch, activity after activity, with the code shown now (a
    // code lasts 30 to 60 seconds: runs are shorter).
    CallSpec calls{"/lms.v1.ActivityService/SignIn", "", ""};
    calls.once_each = true;
    const std::string code = auth::SignInCodeAt(secret, absl::Now());
    for (const int64_t activity : *served) {
      for (size_t m = 0; m < members; ++m) {
        v1::ActivitySignInRequest request;
        request.set_activity_id(activity);
        request.set_code(code);
        calls.rotating_requests.push_back(request.SerializeAsString());
        calls.rotating_authorizations.push_back(authorizations[m]);
      }
    }
    calls.request = calls.rotating_requests.front();
    const LoadResult s = server_load.Run(calls, options.duration);
    print("activity_sign_in", "S server", s);
    sum_c += s.calls_per_second * (1.0 / e.calls_per_second + 1.0 / d.calls_per_second);
    sum_tail += absl::FDivDuration(s.p99, s.p50);
    // None lost, none doubled: one row per sign-in answered OK, no more.
    const absl::StatusOr<int64_t> rows = CountAttendance(pool, *served);
    if (!rows.ok() || s.failed != 0 || *rows != s.sent - s.failed) {
      std::cerr << "activity_sign_in: " << (rows.ok() ? *rows : -1) << " attendance rows for "
                << s.sent << " sign-ins sent, " << s.failed << " failed (" << s.first_error
                << ")\n";
      ++failures;
    }
  }
  if (failures == 0) {
    std::cout << absl::StrFormat(
        "%-14s RESULT     S/C %.2f   p99/p50 %.2f   (%zu members a activity, none lost or "
        "doubled; target: S/C >= 0.5)\n",
        "activity_sign_in", sum_c / options.rounds, sum_tail / options.rounds, members);
  }
  cleanup();
  return failures == 0 ? 0 : 1;
}

}  // namespace lms::bench

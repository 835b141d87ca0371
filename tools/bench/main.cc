// lms-bench: throughput and latency of the API against ceilings measured in the same run.
//
// For each scenario it measures, interleaved, round after round:
//   E  a bare gRPC echo server answering with a response of the scenario's size,
//   D  the scenario's own SQL run straight on the database at the same concurrency,
//   H  for CPU-bound scenarios (sign-in), the same computation on every core,
//   S  the scenario through the real server (courses and identity),
// all in this process on the same cores, with the same client code, and prints S/E and
// S/C where C = 1/(1/E + 1/D) is the combined gRPC+SQL ceiling.
//
//   lms-bench --db_socket var/mariadb/mariadb.sock --db_password_file var/mariadb/lms.password
#include <sodium.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/access_token.h"
#include "common/log/log.h"
#include "lms/v1/course.grpc.pb.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "services/course/course_repository.h"
#include "services/identity/password_hasher.h"
#include "services/identity/sign_in_throttle.h"
#include "services/modules/service_modules.h"
#include "services/server/server_config.h"
#include "services/server/server_host.h"
#include "tools/bench/activity_scenarios.h"
#include "tools/bench/assessment_scenarios.h"
#include "tools/bench/db_loop.h"
#include "tools/bench/echo.grpc.pb.h"
#include "tools/bench/enrollment_scenarios.h"
#include "tools/bench/export_scenarios.h"
#include "tools/bench/load_generator.h"
#include "tools/bench/progress_scenarios.h"
#include "tools/bench/statistics_scenarios.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "measured time per run");
ABSL_FLAG(int, rounds, 2, "interleaved rounds of E, D and S per scenario");
ABSL_FLAG(int, in_flight, 64, "concurrent calls");
ABSL_FLAG(int, channels, 4, "client channels (connections)");
ABSL_FLAG(std::string, scenarios, "list_courses,open_course",
          "comma-separated scenarios: list_courses, open_course, sign_in, sign_in_flood, "
          "publish, my_learning, progress_report, progress_batch, kiosk_upload, "
          "activity_sign_in, assessment_loop, statistics, export (these two on a site made by "
          "lms-generate)");
ABSL_FLAG(int, publish_members, 100'000, "publish: generated members the plan targets");
ABSL_FLAG(int, publish_courses, 5, "publish: required courses");
ABSL_FLAG(int, learning_members, 1'000, "my_learning: generated members asked for in turn");
ABSL_FLAG(int, learning_courses, 20, "my_learning: enrolments of each");
ABSL_FLAG(int, progress_members, 1'000, "progress_*: generated members reporting in turn");
ABSL_FLAG(int, activity_members, 2'000, "activity_sign_in: members signing in to each activity");
ABSL_FLAG(int, assessment_members, 500, "assessment_loop: distinct members taking the test");
ABSL_FLAG(int, batch_events, 1'000, "progress_batch: events per call");
ABSL_FLAG(int, statistics_in_flight, 16, "statistics: calls in flight for the branch load");
ABSL_FLAG(int, batch_in_flight, 8, "progress_batch: calls in flight");
ABSL_FLAG(double, flood_rate, 500, "sign_in_flood: sign-ins offered per second (open loop)");
ABSL_FLAG(std::string, sign_in_login, "10002", "sign_in: a demo member's login");
ABSL_FLAG(std::string, sign_in_password, "Member-2026-demo", "sign_in: its password");

namespace lms::bench {
namespace {

constexpr char kListPage[] =
    "SELECT c.id, c.title, c.summary, c.cover_url, c.content_category, c.audience_mask,"
    " c.study_hours_centi, c.state, c.version, c.learner_count, c.publish_time,"
    " (SELECT COUNT(*) FROM lesson l WHERE l.course_id = c.id AND l.removed = 0)"
    " FROM course c WHERE c.state = 2 ORDER BY c.publish_time DESC, c.id DESC LIMIT 20";
constexpr char kListPageTags[] =
    "SELECT t.course_id, t.tag FROM course_tag t JOIN (SELECT id FROM course WHERE state = 2"
    " ORDER BY publish_time DESC, id DESC LIMIT 20) p ON p.id = t.course_id";

// Sign-in's own SQL, in its two transactions: find the account and reserve the attempt
// (identity's own ThrottleRepository); then confirm it and open a session with a refresh
// token. The Argon2id check between them is CPU, not SQL.
constexpr char kSignInAccount[] =
    "SELECT m.id, m.name, m.organization_id, m.status = 1, COALESCE(c.password_hash, '')"
    " FROM member m LEFT JOIN member_credential c ON c.member_id = m.id"
    " WHERE m.member_number = ?";
constexpr char kSignInSession[] =
    "INSERT INTO session (role, member_id, organization_id, create_time, expire_time)"
    " VALUES (1, ?, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 DAY)";
constexpr char kSignInRefresh[] =
    "INSERT INTO refresh_token (token_hash, session_id, create_time, expire_time)"
    " VALUES (SHA2(UUID(), 256), LAST_INSERT_ID(), UTC_TIMESTAMP(6),"
    " UTC_TIMESTAMP(6) + INTERVAL 1 DAY)";

// Answers with a payload of the requested size; nothing else.
class EchoService final : public Echo::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    response->mutable_payload()->assign(static_cast<size_t>(std::max(0, request->response_size())),
                                        'x');
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

struct Scenario {
  std::string name;
  CallSpec call;
  size_t response_bytes = 0;
  // One call's transactions, in order.
  std::vector<BenchTransaction> sql;
  // A CPU ceiling H, for scenarios bound by computation (sign-in: Argon2id), run on as
  // many threads as there are cores.
  std::function<absl::Status()> cpu;
};

std::string Ms(absl::Duration d) { return absl::StrFormat("%.2f", absl::ToDoubleMilliseconds(d)); }

void Print(const std::string& scenario, const std::string& kind, const LoadResult& r) {
  std::cout << absl::StrFormat("%-14s %-10s %10.0f %8s %8s %8s %7d", scenario, kind,
                               r.calls_per_second, Ms(r.p50), Ms(r.p99), Ms(r.p999), r.errors);
  if (!r.first_error.empty()) std::cout << "  first error: " << r.first_error;
  std::cout << "\n";
}

std::string MemoryLine() {
  std::ifstream status("/proc/self/status");
  std::string line;
  std::string out;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS", 0) == 0 || line.rfind("VmHWM", 0) == 0)
      absl::StrAppend(&out, line, "  ");
  }
  return out;
}

// A sign-in flood beside admin work: `ListMembers` at --in_flight (closed loop) alone,
// then while --flood_rate sign-ins a second arrive (open loop: the flood does not wait for
// answers). H is Argon2id verifications a second on the cores hashing is given (the hash
// admission's slots). Targets: ListMembers keeps >= 0.4 of its throughput with p99 <= 5x,
// and sign-in attempts are still checked (hashed and answered) at >= 0.4 H.
int RunSignInFlood(const std::string& address, const auth::TokenKeys& keys, const Clock& clock,
                   absl::Duration token_lifetime) {
  auth::Caller admin;
  admin.role = auth::Role::kSystemAdmin;
  admin.member_id = 1;
  admin.organization_id = 1;
  v1::ListMembersRequest list;
  list.set_page_size(20);
  const CallSpec list_call{
      "/lms.v1.OrganizationService/ListMembers", list.SerializeAsString(),
      absl::StrCat("Bearer ", auth::AccessTokenSigner(keys, clock).Sign(admin, token_lifetime))};
  const CallSpec sign_in_call{"/lms.v1.IdentityService/SignIn", "", ""};
  const std::string password = absl::GetFlag(FLAGS_sign_in_password);
  const int in_flight = absl::GetFlag(FLAGS_in_flight);
  const int channels = absl::GetFlag(FLAGS_channels);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const double rate = absl::GetFlag(FLAGS_flood_rate);

  // H: the hash admission's slots, each verifying the demo member's password.
  std::atomic<int64_t> counted{0};
  const identity::HashAdmission sizing(identity::HashAdmissionLimits{}, counted);
  const identity::PasswordHasher hasher(identity::HashPolicy{}, counted);
  identity::HashAdmission own(identity::HashAdmissionLimits{1, 1, absl::Seconds(5)}, counted);
  const absl::StatusOr<identity::HashPermit> permit = own.Admit(absl::Now() + absl::Seconds(5));
  if (!permit.ok()) return 1;
  const absl::StatusOr<std::string> hash = hasher.Hash(*permit, password);
  if (!hash.ok()) return 1;
  const LoadResult h = RunBlockingLoop(sizing.slots(), duration, [&](absl::Time) {
    return crypto_pwhash_str_verify(hash->c_str(), password.data(), password.size()) == 0
               ? absl::OkStatus()
               : absl::InternalError("hash mismatch");
  });
  Print("sign_in_flood", "H cpu", h);

  LoadGenerator admin_load(address, channels, in_flight);
  OpenLoopGenerator flood(address, channels);
  const LoadResult alone = admin_load.Run(list_call, duration);
  Print("sign_in_flood", "L alone", alone);
  if (alone.calls == 0) {
    std::cerr << "ListMembers failed: " << alone.first_error << "\n";
    return 1;
  }
  LoadResult flooded;
  std::thread admin_thread([&] { flooded = admin_load.Run(list_call, duration); });
  // An attack: a wrong password for a different unknown login each time, so no throttle
  // stands in the way and every admitted attempt costs a hash.
  const OpenLoopResult f = flood.Run(
      sign_in_call,
      [](int64_t i) {
        v1::SignInRequest attempt;
        attempt.set_login(absl::StrCat("flood-", absl::ToUnixMicros(absl::Now()), "-", i));
        attempt.set_password("not the password");
        return attempt.SerializeAsString();
      },
      rate, duration + absl::Seconds(1));
  admin_thread.join();
  Print("sign_in_flood", "L flooded", flooded);
  std::cout << absl::StrFormat(
      "%-14s F flood    offered %.0f/s: checked %.0f/s (p50 %s p99 %s ms), refused %.0f/s "
      "(p99 %s ms), other errors %d%s\n",
      "sign_in_flood", f.offered_per_second, f.completed_per_second, Ms(f.completed_latency.p50),
      Ms(f.completed_latency.p99), f.refused_per_second, Ms(f.refusal_p99), f.other_errors,
      f.first_other_error.empty() ? "" : absl::StrCat("  first: ", f.first_other_error));
  std::cout << absl::StrFormat(
      "%-14s RESULT     ListMembers kept %.2f of its throughput (>= 0.40), p99 %.1fx "
      "(<= 5), sign-ins %.2f of H = %.0f/s on %d hashing core(s) (>= 0.40)\n",
      "sign_in_flood", flooded.calls_per_second / alone.calls_per_second,
      absl::FDivDuration(flooded.p99, alone.p99), f.completed_per_second / h.calls_per_second,
      h.calls_per_second, sizing.slots());
  return 0;
}

int Main() {
  server::ServerConfig config = server::ConfigFromFlags();
  config.listen_address = "127.0.0.1:0";
  config.allow_development_tokens = true;  // the load uses lms-token style tokens
  const int in_flight = absl::GetFlag(FLAGS_in_flight);
  const int channels = absl::GetFlag(FLAGS_channels);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);

  // The real server, in process, with a key pair of its own.
  const RealClock clock;
  const auth::TokenKeys keys = auth::TokenKeys::Generate();
  server::ServerRuntime runtime(config, keys, clock);
  server::ServerHost host(runtime);
  if (absl::Status added =
          host.AddAll({*modules::FindModule("course"), *modules::FindModule("identity"),
                       *modules::FindModule("organization"), *modules::FindModule("enrollment"),
                       *modules::FindModule("progress"), *modules::FindModule("activity"),
                       *modules::FindModule("assessment"), *modules::FindModule("statistics")});
      !added.ok()) {
    std::cerr << added << "\n";
    return 1;
  }
  if (absl::Status s = host.Start(); !s.ok()) {
    std::cerr << "cannot start the server: " << s << "\n";
    return 1;
  }
  // The echo ceiling, in process too.
  EchoService echo_service;
  int echo_port = 0;
  grpc::ServerBuilder echo_builder;
  echo_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &echo_port);
  echo_builder.RegisterService(&echo_service);
  std::unique_ptr<grpc::Server> echo_server = echo_builder.BuildAndStart();

  auth::Caller member;
  member.role = auth::Role::kMember;
  member.member_id = 2;
  member.organization_id = 1;
  const std::string authorization = absl::StrCat(
      "Bearer ", auth::AccessTokenSigner(keys, clock).Sign(member, config.access_token_lifetime));
  const std::string address = absl::StrCat("127.0.0.1:", host.port());

  // Sample one real answer per scenario: its size sizes the echo, its ids feed the next.
  auto stub =
      v1::CourseService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  v1::ListCoursesRequest list_request;
  list_request.set_page_size(20);
  v1::ListCoursesResponse list_response;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    const grpc::Status status = stub->ListCourses(&context, list_request, &list_response);
    if (!status.ok() || list_response.courses_size() < 20) {
      std::cerr << "need at least 20 published courses (run deploy/run.sh once to load the demo "
                   "catalogue): "
                << status.error_message() << "\n";
      return 1;
    }
  }
  const int64_t course_id = list_response.courses(0).id();
  v1::GetCourseRequest get_request;
  get_request.set_course_id(course_id);
  v1::GetCourseResponse get_response;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    if (!stub->GetCourse(&context, get_request, &get_response).ok()) return 1;
  }

  const course::CourseRepository repository;
  std::vector<Scenario> scenarios;
  scenarios.push_back(
      {"list_courses",
       {"/lms.v1.CourseService/ListCourses", list_request.SerializeAsString(), authorization},
       list_response.ByteSizeLong(),
       {[](db::Transaction& tx) -> absl::Status {
         int rows = 0;
         absl::Status s = tx.Query(kListPage, {}, [&](const db::Row&) { ++rows; });
         if (!s.ok()) return s;
         return tx.Query(kListPageTags, {}, [&](const db::Row&) { ++rows; });
       }},
       nullptr});
  scenarios.push_back(
      {"open_course",
       {"/lms.v1.CourseService/GetCourse", get_request.SerializeAsString(), authorization},
       get_response.ByteSizeLong(),
       {[&repository, course_id](db::Transaction& tx) -> absl::Status {
         return repository.Find(tx, course_id, false).status();
       }},
       nullptr});

  const std::vector<std::string> wanted = absl::StrSplit(absl::GetFlag(FLAGS_scenarios), ',');
  if (std::find(wanted.begin(), wanted.end(), "sign_in") != wanted.end()) {
    v1::SignInRequest sign_in;
    sign_in.set_login(absl::GetFlag(FLAGS_sign_in_login));
    sign_in.set_password(absl::GetFlag(FLAGS_sign_in_password));
    v1::Session session;
    grpc::ClientContext context;
    const grpc::Status status =
        v1::IdentityService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))
            ->SignIn(&context, sign_in, &session);
    if (!status.ok()) {
      std::cerr << "sign_in needs the demo member (run deploy/run.sh once): "
                << status.error_message() << "\n";
      return 1;
    }
    std::atomic<int64_t> hashes{0};
    const identity::PasswordHasher hasher(identity::HashPolicy{}, hashes);
    identity::HashAdmission admission(identity::HashAdmissionLimits{1, 1, absl::Seconds(5)},
                                      hashes);
    const std::string password = sign_in.password();
    const absl::StatusOr<identity::HashPermit> permit =
        admission.Admit(absl::Now() + absl::Seconds(5));
    if (!permit.ok()) return 1;
    const absl::StatusOr<std::string> hash = hasher.Hash(*permit, password);
    if (!hash.ok()) return 1;
    scenarios.push_back(
        {"sign_in",
         {"/lms.v1.IdentityService/SignIn", sign_in.SerializeAsString(), ""},
         session.ByteSizeLong(),
         {[login = sign_in.login(), key = absl::StrCat("m:", session.caller().member_id())](
              db::Transaction& tx) -> absl::Status {
            int rows = 0;
            absl::Status s = tx.Query(kSignInAccount, {login}, [&](const db::Row&) { ++rows; });
            if (!s.ok()) return s;
            // The ceiling has no lock to respect: reserve, then forget it at once.
            const identity::ThrottleRepository throttle;
            s = throttle.Reserve(tx, key, identity::kPasswordThrottle, absl::Now()).status();
            if (!s.ok()) return s;
            return throttle.Clear(tx, key);
          },
          [key = absl::StrCat("m:", session.caller().member_id()),
           member = session.caller().member_id()](db::Transaction& tx) -> absl::Status {
            const identity::ThrottleRepository throttle;
            absl::Status s = throttle.Load(tx, key).status();
            if (!s.ok()) return s;
            if (s = throttle.Clear(tx, key); !s.ok()) return s;
            if (s = tx.Execute(kSignInSession, {member}).status(); !s.ok()) return s;
            return tx.Execute(kSignInRefresh, {}).status();
          }},
         [hash = *hash, password]() -> absl::Status {
           return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0
                      ? absl::OkStatus()
                      : absl::InternalError("hash mismatch");
         }});
  }
  db::DbConfig db_config = config.db;
  db_config.pool_size = in_flight;
  db::ConnectionPool db_pool(db_config);

  // The enrolment scenarios act as a system admin, on rows they generate (and remove).
  auth::Caller system_admin;
  system_admin.role = auth::Role::kSystemAdmin;
  system_admin.member_id = 1;
  system_admin.organization_id = 1;
  const std::string admin_authorization = absl::StrCat(
      "Bearer ",
      auth::AccessTokenSigner(keys, clock).Sign(system_admin, config.access_token_lifetime));
  auto enrollment = v1::EnrollmentService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::optional<EnrollmentFixture> learning_fixture;
  if (std::find(wanted.begin(), wanted.end(), "my_learning") != wanted.end()) {
    absl::StatusOr<EnrollmentFixture> fixture =
        MakeFixture(db_pool, absl::StrCat("BENCH-L", absl::ToUnixSeconds(absl::Now())),
                    absl::GetFlag(FLAGS_learning_members), absl::GetFlag(FLAGS_learning_courses));
    if (!fixture.ok()) {
      std::cerr << "my_learning: cannot make the fixture: " << fixture.status() << "\n";
      return 1;
    }
    learning_fixture = *std::move(fixture);
    absl::StatusOr<MyLearningLoad> load =
        MyLearningFor(*enrollment, admin_authorization, *learning_fixture);
    if (!load.ok()) {
      std::cerr << "my_learning: " << load.status() << "\n";
      (void)DropFixture(db_pool, *learning_fixture);
      return 1;
    }
    scenarios.push_back({"my_learning",
                         {"/lms.v1.EnrollmentService/GetMyLearning", "", admin_authorization,
                          std::move(load->requests)},
                         load->response_bytes,
                         {load->sql},
                         nullptr});
  }
  LoadGenerator server_load(address, channels, in_flight);
  LoadGenerator echo_load(absl::StrCat("127.0.0.1:", echo_port), channels, in_flight);

  std::cout << absl::StrFormat("in flight %d over %d channels, %s per run, %d rounds\n", in_flight,
                               channels, absl::FormatDuration(duration),
                               absl::GetFlag(FLAGS_rounds));
  std::cout << absl::StrFormat("%-14s %-10s %10s %8s %8s %8s %7s\n", "scenario", "run", "calls/s",
                               "p50 ms", "p99 ms", "p999 ms", "errors");
  for (const Scenario& scenario : scenarios) {
    if (std::find(wanted.begin(), wanted.end(), scenario.name) == wanted.end()) continue;
    EchoRequest echo_request;
    // The echo answer carries the same number of bytes as the real one.
    echo_request.set_response_size(static_cast<int>(scenario.response_bytes) - 3);
    const CallSpec echo_call{"/lms.bench.Echo/Echo", echo_request.SerializeAsString(), ""};
    // Means over rounds; the echo's own tail shows how much of p99/p50 is the machine.
    double sum_e = 0, sum_c = 0, sum_h = 0, sum_tail = 0, sum_echo_tail = 0;
    const int rounds = absl::GetFlag(FLAGS_rounds);
    for (int round = 0; round < rounds; ++round) {
      const LoadResult e = echo_load.Run(echo_call, duration);
      Print(scenario.name, "E echo", e);
      const LoadResult d = RunDatabaseLoop(db_pool, in_flight, duration, scenario.sql);
      Print(scenario.name, "D sql", d);
      double h = 0;
      if (scenario.cpu) {
        const LoadResult cpu =
            RunBlockingLoop(static_cast<int>(std::thread::hardware_concurrency()), duration,
                            [&](absl::Time) { return scenario.cpu(); });
        Print(scenario.name, "H cpu", cpu);
        h = cpu.calls_per_second;
      }
      const LoadResult s = server_load.Run(scenario.call, duration);
      Print(scenario.name, "S server", s);
      if (h > 0) sum_h += s.calls_per_second / h;
      const double c = 1.0 / (1.0 / e.calls_per_second + 1.0 / d.calls_per_second);
      sum_e += s.calls_per_second / e.calls_per_second;
      sum_c += s.calls_per_second / c;
      sum_tail += absl::FDivDuration(s.p99, s.p50);
      sum_echo_tail += absl::FDivDuration(e.p99, e.p50);
    }
    std::cout << absl::StrFormat(
        "%-14s RESULT     S/E %.2f   S/C %.2f   p99/p50 %.2f (echo's own %.2f)   response %d "
        "bytes\n",
        scenario.name, sum_e / rounds, sum_c / rounds, sum_tail / rounds, sum_echo_tail / rounds,
        scenario.response_bytes);
    if (scenario.cpu) {
      std::cout << absl::StrFormat(
          "%-14s RESULT     S/H %.2f (H: the same work on every core, no "
          "gRPC, no SQL)\n",
          scenario.name, sum_h / rounds);
    }
  }
  if (learning_fixture.has_value()) {
    if (absl::Status dropped = DropFixture(db_pool, *learning_fixture); !dropped.ok()) {
      std::cerr << "my_learning: cleaning up: " << dropped << "\n";
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "publish") != wanted.end()) {
    if (const int failed = RunPublishScenario(db_pool, *enrollment, admin_authorization,
                                              absl::GetFlag(FLAGS_publish_members),
                                              absl::GetFlag(FLAGS_publish_courses));
        failed != 0) {
      return failed;
    }
  }
  const bool report = std::find(wanted.begin(), wanted.end(), "progress_report") != wanted.end();
  const bool batch = std::find(wanted.begin(), wanted.end(), "progress_batch") != wanted.end();
  const bool kiosk = std::find(wanted.begin(), wanted.end(), "kiosk_upload") != wanted.end();
  if (report || batch || kiosk) {
    ProgressBenchOptions options;
    options.address = address;
    options.echo_address = absl::StrCat("127.0.0.1:", echo_port);
    options.channels = channels;
    options.in_flight = in_flight;
    options.members = absl::GetFlag(FLAGS_progress_members);
    options.rounds = absl::GetFlag(FLAGS_rounds);
    options.duration = duration;
    options.batch_events = absl::GetFlag(FLAGS_batch_events);
    options.batch_in_flight = absl::GetFlag(FLAGS_batch_in_flight);
    if (const int failed = RunProgressScenarios(db_pool, keys, clock, config.access_token_lifetime,
                                                options, report, batch, kiosk, Print);
        failed != 0) {
      return failed;
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "activity_sign_in") != wanted.end()) {
    ActivityBenchOptions options;
    options.address = address;
    options.echo_address = absl::StrCat("127.0.0.1:", echo_port);
    options.channels = channels;
    options.in_flight = in_flight;
    options.members = absl::GetFlag(FLAGS_activity_members);
    options.rounds = absl::GetFlag(FLAGS_rounds);
    options.duration = duration;
    if (const int failed =
            RunActivityScenario(db_pool, keys, clock, config.access_token_lifetime, options, Print);
        failed != 0) {
      return failed;
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "statistics") != wanted.end()) {
    StatisticsBenchOptions options;
    options.address = address;
    options.echo_address = absl::StrCat("127.0.0.1:", echo_port);
    options.channels = channels;
    options.in_flight = absl::GetFlag(FLAGS_statistics_in_flight);
    options.rounds = absl::GetFlag(FLAGS_rounds);
    options.duration = duration;
    if (const int failed = RunStatisticsScenarios(db_pool, keys, clock,
                                                  config.access_token_lifetime, options, Print);
        failed != 0) {
      return failed;
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "export") != wanted.end()) {
    ExportBenchOptions options;
    options.address = address;
    options.rounds = absl::GetFlag(FLAGS_rounds);
    if (const int failed =
            RunExportScenarios(db_pool, keys, clock, config.access_token_lifetime, options);
        failed != 0) {
      return failed;
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "assessment_loop") != wanted.end()) {
    AssessmentBenchOptions options;
    options.address = address;
    options.echo_address = absl::StrCat("127.0.0.1:", echo_port);
    options.channels = channels;
    options.in_flight = in_flight;
    options.members = absl::GetFlag(FLAGS_assessment_members);
    options.rounds = absl::GetFlag(FLAGS_rounds);
    options.duration = duration;
    if (const int failed = RunAssessmentScenario(db_pool, keys, clock, config.access_token_lifetime,
                                                 options, Print);
        failed != 0) {
      return failed;
    }
  }
  if (std::find(wanted.begin(), wanted.end(), "sign_in_flood") != wanted.end()) {
    if (const int failed = RunSignInFlood(address, keys, clock, config.access_token_lifetime);
        failed != 0)
      return failed;
  }
  std::cout << "memory: " << MemoryLine() << "\n";
  host.Shutdown(absl::Seconds(1));
  echo_server->Shutdown();
  return 0;
}

}  // namespace
}  // namespace lms::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // As in the servers (server_main.cc): no deadlock-detector bookkeeping on every lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  lms::log::Init("warn");
  return lms::bench::Main();
}

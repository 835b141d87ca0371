#include "tools/bench/progress_scenarios.h"

#include <atomic>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/auth/kiosk_ticket.h"
#include "common/db/run_transaction.h"
#include "common/grpc/proto_time.h"
#include "grpcpp/grpcpp.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tools/bench/db_loop.h"
#include "tools/bench/echo.pb.h"
#include "tools/bench/enrollment_scenarios.h"

namespace lms::bench {
namespace {

// The fixture's lessons: S studies the first, the reference SQL writes the second's rows,
// so neither reads what the other wrote.
constexpr int32_t kLessonSeconds = 86'400;
constexpr int64_t kReferenceYear = 2000;

constexpr char kEventInsertPrefix[] =
    "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
    " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
    " active_seconds, credited_ms, rule_version) VALUES ";
constexpr char kEventRow[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 30, 30, 30000, 0)";
constexpr char kLessonUpsert[] =
    "INSERT INTO lesson_progress (member_id, lesson_id, course_id, last_position, last_time,"
    " last_device_id, coverage, covered_units, day_wall, wall_ms, credited_ms, completion_time,"
    " rule_version, checkpoint) VALUES (?, ?, ?, 30, ?, 'bench', '0-30', 30, '20260101:30000',"
    " 30000, 30000, NULL, 0, ?) ON DUPLICATE KEY UPDATE last_position = VALUES(last_position),"
    " last_time = VALUES(last_time), coverage = VALUES(coverage),"
    " covered_units = VALUES(covered_units), day_wall = VALUES(day_wall),"
    " wall_ms = VALUES(wall_ms), credited_ms = credited_ms + 30000,"
    " checkpoint = VALUES(checkpoint)";
constexpr char kYearUpsert[] =
    "INSERT INTO member_year_study (member_id, year, credited_ms) VALUES (?, ?, 30000)"
    " ON DUPLICATE KEY UPDATE credited_ms = credited_ms + VALUES(credited_ms)";
// The member queued for the statistics rollups, as every report does.
constexpr char kStatisticsQueue[] =
    "INSERT INTO statistics_queue (member_id, queued_time) VALUES (?, ?)";

// One member's study, heartbeat by heartbeat: 30 seconds of the long video each, end to
// end, from twenty days ago on; never repeated across calls or rounds.
struct MemberStream {
  int64_t member_id = 0;
  std::string authorization;
  absl::Time next_end;
  int64_t sequence = 0;
  int32_t position = 0;
  // Event ids and the device: one stream per member and device, never colliding.
  std::string id_prefix = "b";
  std::string device_id = "bench-phone";

  void Next(int64_t lesson_id, absl::Time sent, v1::ProgressEvent* event) {
    event->set_event_id(absl::StrCat(id_prefix, member_id, "-", ++sequence));
    event->set_lesson_id(lesson_id);
    grpc_util::SetTimestamp(next_end, event->mutable_occur_time());
    grpc_util::SetTimestamp(sent, event->mutable_sent_time());
    if (position >= kLessonSeconds) position = 0;
    event->set_from_position(position);
    position += 30;
    event->set_to_position(position);
    event->set_active_seconds(30);
    event->set_device_id(device_id);
    event->set_sequence(sequence);
    next_end += absl::Seconds(30);
  }
};

// `count` calls of `events` events each, members in turn.
CallSpec MakeCalls(std::vector<MemberStream>& streams, int64_t lesson_id, size_t count,
                   int events) {
  CallSpec spec{"/lms.v1.ProgressService/RecordProgress", "", ""};
  spec.once_each = true;
  const absl::Time sent = absl::Now();
  for (size_t i = 0; i < count; ++i) {
    MemberStream& stream = streams[i % streams.size()];
    v1::RecordProgressRequest request;
    for (int e = 0; e < events; ++e) stream.Next(lesson_id, sent, request.add_events());
    spec.rotating_requests.push_back(request.SerializeAsString());
    spec.rotating_authorizations.push_back(stream.authorization);
  }
  spec.request = spec.rotating_requests.front();
  return spec;
}

// Raw inserts of `rows` progress events of one member per transaction, members in turn.
BenchTransaction RawEvents(const std::vector<MemberStream>& streams, int64_t lesson_id, int rows,
                           const std::string& device, std::atomic<int64_t>& counter) {
  return [&streams, &counter, lesson_id, rows, device](db::Transaction& tx) -> absl::Status {
    const int64_t n = counter.fetch_add(rows);
    const int64_t member = streams[static_cast<size_t>(n / rows) % streams.size()].member_id;
    const absl::Time now = absl::Now();
    std::vector<db::Param> params;
    params.reserve(static_cast<size_t>(rows) * 9);
    for (int64_t i = n; i < n + rows; ++i) {
      params.insert(params.end(),
                    {member, absl::StrCat(device, i), lesson_id, device, i, now, now, now, now});
    }
    const std::vector<std::string> values(static_cast<size_t>(rows), kEventRow);
    return tx.Execute(absl::StrCat(kEventInsertPrefix, absl::StrJoin(values, ", ")), params)
        .status();
  };
}

constexpr int kKiosks = 8;
constexpr int kMembersPerUpload = 20;

// `count` kiosk uploads of `events` events for kMembersPerUpload members each, kiosks and
// members in turn; each member's events under the ticket of its kiosk.
CallSpec MakeKioskUploads(std::vector<MemberStream>& streams, int64_t lesson_id, size_t count,
                          int events, const std::vector<std::string>& kiosk_authorizations,
                          const std::vector<std::vector<std::string>>& tickets) {
  CallSpec spec{"/lms.v1.ProgressService/SyncKioskProgress", "", ""};
  spec.once_each = true;
  const absl::Time sent = absl::Now();
  const size_t per_kiosk = streams.size() / kKiosks;
  std::vector<size_t> next_member(kKiosks, 0);
  for (size_t i = 0; i < count; ++i) {
    const size_t kiosk = i % kKiosks;
    v1::SyncKioskProgressRequest request;
    for (int m = 0; m < kMembersPerUpload; ++m) {
      const size_t slot = next_member[kiosk]++ % per_kiosk;
      MemberStream& stream = streams[kiosk * per_kiosk + slot];
      v1::MemberUpload* upload = request.add_uploads();
      upload->set_member_id(stream.member_id);
      upload->mutable_evidence()->set_kiosk_ticket(tickets[kiosk][slot]);
      for (int e = 0; e < events / kMembersPerUpload; ++e) {
        stream.Next(lesson_id, sent, upload->add_events());
      }
    }
    spec.rotating_requests.push_back(request.SerializeAsString());
    spec.rotating_authorizations.push_back(kiosk_authorizations[kiosk]);
  }
  spec.request = spec.rotating_requests.front();
  return spec;
}

absl::StatusOr<int64_t> AddLesson(db::ConnectionPool& pool, int64_t course_id, int position) {
  return db::RunTransactionFor<int64_t>(
      pool, absl::Now() + absl::Minutes(1), [&](db::Transaction& tx) {
        return tx.Insert(
            "INSERT INTO lesson (course_id, position, removed, title, kind, duration_seconds,"
            " page_count, body, body_length) VALUES (?, ?, 0, '压测视频', 2, ?, 0, '', 0)",
            {course_id, position, kLessonSeconds});
      });
}

}  // namespace

int RunProgressScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                         absl::Duration token_lifetime, const ProgressBenchOptions& options,
                         bool report, bool batch, bool kiosk, const PrintFn& print) {
  absl::StatusOr<EnrollmentFixture> fixture = MakeFixture(
      pool, absl::StrCat("BENCH-R", absl::ToUnixSeconds(absl::Now())), options.members, 1);
  if (!fixture.ok()) {
    std::cerr << "progress: cannot make the fixture: " << fixture.status() << "\n";
    return 1;
  }
  const int64_t course_id = fixture->course_ids.front();
  const absl::StatusOr<int64_t> studied = AddLesson(pool, course_id, 1);
  const absl::StatusOr<int64_t> reference = AddLesson(pool, course_id, 2);
  if (!studied.ok() || !reference.ok()) {
    std::cerr << "progress: cannot add lessons\n";
    (void)DropFixture(pool, *fixture);
    return 1;
  }
  const auth::AccessTokenSigner signer(keys, clock);
  std::vector<MemberStream> streams;
  for (const int64_t member : fixture->member_ids) {
    auth::Caller caller;
    caller.role = auth::Role::kMember;
    caller.member_id = member;
    caller.organization_id = fixture->organization_id;
    streams.push_back({member, absl::StrCat("Bearer ", signer.Sign(caller, token_lifetime)),
                       absl::Now() - absl::Hours(24 * 20)});
  }
  // Calls a run can take at most: generous, so no slot runs dry.
  const double seconds = absl::ToDoubleSeconds(options.duration) + 2;
  const size_t report_calls = static_cast<size_t>(seconds * 15'000);
  const size_t batch_calls = static_cast<size_t>(seconds * 120);

  std::atomic<int64_t> counter{0};
  LoadGenerator echo_load(options.echo_address, options.channels, options.in_flight);
  if (report) {
    // The echo answers as many bytes as a real report's answer.
    v1::RecordProgressRequest sample;
    streams.front().Next(*studied, absl::Now(), sample.add_events());
    v1::RecordProgressResponse answer;
    grpc::ClientContext context;
    context.AddMetadata("authorization", streams.front().authorization);
    const grpc::Status sampled =
        v1::ProgressService::NewStub(
            grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()))
            ->RecordProgress(&context, sample, &answer);
    if (!sampled.ok()) {
      std::cerr << "progress: a sample report failed: " << sampled.error_message() << "\n";
      (void)DropFixture(pool, *fixture);
      return 1;
    }
    lms::bench::EchoRequest echo_request;
    echo_request.set_response_size(static_cast<int>(answer.ByteSizeLong()) - 3);
    const CallSpec echo_call{"/lms.bench.Echo/Echo", echo_request.SerializeAsString(), ""};
    const BenchTransaction reference_report = [&](db::Transaction& tx) -> absl::Status {
      const int64_t n = counter.fetch_add(1);
      const int64_t member = streams[static_cast<size_t>(n) % streams.size()].member_id;
      const absl::Time now = absl::Now();
      absl::Status s =
          tx.Execute(absl::StrCat(kEventInsertPrefix, kEventRow),
                     {member, absl::StrCat("d", n), *reference, "bench-d", n, now, now, now, now})
              .status();
      if (!s.ok()) return s;
      s = tx.Execute(kLessonUpsert, {member, *reference, course_id, now, n}).status();
      if (!s.ok()) return s;
      s = tx.Execute(kYearUpsert, {member, kReferenceYear}).status();
      if (!s.ok()) return s;
      return tx.Execute(kStatisticsQueue, {member, now}).status();
    };
    const BenchTransaction single_row = RawEvents(streams, *reference, 1, "r", counter);
    LoadGenerator server_load(options.address, options.channels, options.in_flight);
    double sum_c = 0, sum_r = 0, sum_tail = 0;
    for (int round = 0; round < options.rounds; ++round) {
      const LoadResult e = echo_load.Run(echo_call, options.duration);
      print("progress_report", "E echo", e);
      const LoadResult d =
          RunDatabaseLoop(pool, options.in_flight, options.duration, {reference_report});
      print("progress_report", "D sql", d);
      const LoadResult r = RunDatabaseLoop(pool, options.in_flight, options.duration, {single_row});
      print("progress_report", "R insert", r);
      const CallSpec calls = MakeCalls(streams, *studied, report_calls, 1);
      const LoadResult s = server_load.Run(calls, options.duration);
      print("progress_report", "S server", s);
      sum_c += s.calls_per_second * (1.0 / e.calls_per_second + 1.0 / d.calls_per_second);
      sum_r += s.calls_per_second / r.calls_per_second;
      sum_tail += absl::FDivDuration(s.p99, s.p50);
    }
    std::cout << absl::StrFormat(
        "%-14s RESULT     S/C %.2f   S/R %.2f   p99/p50 %.2f   (targets: S/C >= 0.65, S/R >= "
        "0.45)\n",
        "progress_report", sum_c / options.rounds, sum_r / options.rounds,
        sum_tail / options.rounds);
  }
  if (batch) {
    const BenchTransaction raw_batch =
        RawEvents(streams, *reference, options.batch_events, "b", counter);
    LoadGenerator batch_load(options.address, options.channels, options.batch_in_flight);
    double sum_ratio = 0;
    for (int round = 0; round < options.rounds; ++round) {
      const LoadResult b =
          RunDatabaseLoop(pool, options.batch_in_flight, options.duration, {raw_batch});
      print("progress_batch", "B insert", b);
      const CallSpec calls = MakeCalls(streams, *studied, batch_calls, options.batch_events);
      const LoadResult s = batch_load.Run(calls, options.duration);
      print("progress_batch", "S server", s);
      sum_ratio += absl::FDivDuration(s.p50, b.p50);
    }
    std::cout << absl::StrFormat(
        "%-14s RESULT     p50(S)/p50(B) %.2f   (%d events a call, %d in flight; target <= 2)\n",
        "progress_batch", sum_ratio / options.rounds, options.batch_events,
        options.batch_in_flight);
  }
  if (kiosk) {
    // Eight kiosks of the fixture's branch, each serving an eighth of its members, who
    // signed in there. A real ticket covers a shift; these cover the stream's twenty days
    // (the server checks the window it signed, not its length), so no round's events fall
    // outside it however many calls a run pre-builds.
    const size_t per_kiosk = streams.size() / kKiosks;
    std::vector<std::string> kiosk_authorizations;
    std::vector<std::vector<std::string>> tickets(kKiosks);
    std::vector<MemberStream> kiosk_streams;
    const absl::Time shift_start = absl::Now() - absl::Hours(24 * 20);
    for (int k = 0; k < kKiosks; ++k) {
      const absl::StatusOr<int64_t> kiosk_id = db::RunTransactionFor<int64_t>(
          pool, absl::Now() + absl::Minutes(1), [&](db::Transaction& tx) {
            return tx.Insert(
                "INSERT INTO kiosk (organization_id, name, credential_hash, create_time)"
                " VALUES (?, ?, SHA2(UUID(), 256), NOW())",
                {fixture->organization_id, absl::StrCat("压测活动室", k + 1)});
          });
      if (!kiosk_id.ok()) {
        std::cerr << "kiosk_upload: cannot add kiosks: " << kiosk_id.status() << "\n";
        (void)DropFixture(pool, *fixture);
        return 1;
      }
      auth::Caller caller;
      caller.role = auth::Role::kKiosk;
      caller.kiosk_id = *kiosk_id;
      caller.organization_id = fixture->organization_id;
      kiosk_authorizations.push_back(absl::StrCat("Bearer ", signer.Sign(caller, token_lifetime)));
      for (size_t m = 0; m < per_kiosk; ++m) {
        MemberStream stream = streams[static_cast<size_t>(k) * per_kiosk + m];
        stream.next_end = shift_start + absl::Minutes(1);
        stream.sequence = 0;
        stream.position = 0;
        stream.id_prefix = "k";
        stream.device_id = "bench-kiosk";
        kiosk_streams.push_back(stream);
        auth::KioskTicket ticket;
        ticket.ticket_id = absl::StrCat("bench-", *kiosk_id, "-", stream.member_id);
        ticket.member_id = stream.member_id;
        ticket.kiosk_id = *kiosk_id;
        ticket.issued = shift_start;
        ticket.expires = absl::Now() + absl::Hours(1);
        tickets[static_cast<size_t>(k)].push_back(signer.Seal(ticket));
      }
    }
    {
      // One upload first: every event must count, or S would time refusals.
      const CallSpec sample = MakeKioskUploads(kiosk_streams, *studied, 1, options.batch_events,
                                               kiosk_authorizations, tickets);
      v1::SyncKioskProgressRequest request;
      request.ParseFromString(sample.request);
      v1::SyncKioskProgressResponse answer;
      grpc::ClientContext context;
      context.AddMetadata("authorization", sample.rotating_authorizations.front());
      const grpc::Status synced =
          v1::ProgressService::NewStub(
              grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()))
              ->SyncKioskProgress(&context, request, &answer);
      int accepted = 0;
      for (const v1::MemberSyncResult& member : answer.members()) {
        for (const v1::EventResult& result : member.results()) {
          accepted += result.outcome() == v1::EVENT_OUTCOME_ACCEPTED ? 1 : 0;
        }
      }
      if (!synced.ok() ||
          accepted != options.batch_events / kMembersPerUpload * kMembersPerUpload) {
        std::cerr << "kiosk_upload: a sample upload was not accepted whole (" << accepted
                  << " events): " << synced.error_message() << "\n";
        (void)DropFixture(pool, *fixture);
        return 1;
      }
    }
    const size_t upload_calls = static_cast<size_t>(seconds * 120);
    const BenchTransaction raw_batch =
        RawEvents(streams, *reference, options.batch_events, "kb", counter);
    LoadGenerator kiosk_load(options.address, options.channels, options.batch_in_flight);
    double sum_ratio = 0;
    for (int round = 0; round < options.rounds; ++round) {
      const LoadResult b =
          RunDatabaseLoop(pool, options.batch_in_flight, options.duration, {raw_batch});
      print("kiosk_upload", "B insert", b);
      const CallSpec calls = MakeKioskUploads(kiosk_streams, *studied, upload_calls,
                                              options.batch_events, kiosk_authorizations, tickets);
      const LoadResult s = kiosk_load.Run(calls, options.duration);
      print("kiosk_upload", "S server", s);
      sum_ratio += absl::FDivDuration(s.p50, b.p50);
    }
    std::cout << absl::StrFormat(
        "%-14s RESULT     p50(S)/p50(B) %.2f   (%d events for %d members a call, %d kiosks in "
        "flight; target <= 2.5)\n",
        "kiosk_upload", sum_ratio / options.rounds, options.batch_events, kMembersPerUpload,
        options.batch_in_flight);
  }
  if (absl::Status dropped = DropFixture(pool, *fixture); !dropped.ok()) {
    std::cerr << "progress: cleaning up: " << dropped << "\n";
  }
  return 0;
}

}  // namespace lms::bench

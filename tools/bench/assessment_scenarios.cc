#include "tools/bench/assessment_scenarios.h"

#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "common/db/batches.h"
#include "common/db/run_transaction.h"
#include "grpcpp/grpcpp.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tools/bench/db_loop.h"
#include "tools/bench/echo.pb.h"
#include "tools/bench/enrollment_scenarios.h"

namespace lms::bench {
namespace {

constexpr int kBankSize = 400;
constexpr int kPaperQuestions = 20;
constexpr char kScenario[] = "assessment_loop";

// The reference loop's SQL: what any start, save and submit must do, raw.
constexpr char kReadPaper[] =
    "SELECT state, time_limit_seconds, grace_seconds, pass_points FROM paper WHERE id = ?";
constexpr char kEnsureStanding[] =
    "INSERT IGNORE INTO paper_standing (paper_id, member_id) VALUES (?, ?)";
constexpr char kLockStanding[] =
    "SELECT attempts_started FROM paper_standing WHERE paper_id = ? AND member_id = ? FOR UPDATE";
constexpr char kCandidates[] =
    "SELECT q.id, q.version FROM organization_closure c JOIN question q"
    " ON q.organization_id = c.ancestor_id AND q.state = 1 AND q.type = ?"
    " WHERE c.descendant_id = ?";
constexpr char kInsertAttempt[] =
    "INSERT INTO attempt (paper_id, member_id, number, paper_kind, state, paper_version,"
    " start_time, deadline, grace_seconds, grade_due_time, total_points, pass_points)"
    " VALUES (?, ?, ?, 1, 1, 2, ?, ?, 60, ?, 100, 60)";
constexpr char kSaveStanding[] =
    "UPDATE paper_standing SET attempts_started = attempts_started + 1, open_attempt_id = ?"
    " WHERE paper_id = ? AND member_id = ?";
constexpr char kLockAttempt[] = "SELECT state, save_sequence FROM attempt WHERE id = ? FOR UPDATE";
constexpr char kAttemptQuestions[] =
    "SELECT a.question_id, v.options_json, v.key_json FROM attempt_question a"
    " JOIN question_version v ON v.question_id = a.question_id AND v.version ="
    " a.question_version WHERE a.attempt_id = ?";
constexpr char kSaveSequence[] = "UPDATE attempt SET save_sequence = ? WHERE id = ?";
constexpr char kGradeAttempt[] =
    "UPDATE attempt SET state = 2, points = ?, passed = ?, submit_time = ?, grade_due_time = NULL"
    " WHERE id = ?";
constexpr char kQueue[] = "INSERT INTO question_stat_queue (attempt_id, graded_time) VALUES (?, ?)";

std::string Marks(size_t n, const char* mark) {
  std::vector<std::string> marks(n, mark);
  return absl::StrJoin(marks, ", ");
}

// 400 active questions of the fixture's bank: per category, 25 single choice and 25
// true/false. Returns their ids.
absl::Status AddBank(db::ConnectionPool& pool, int64_t organization_id) {
  return db::RunTransaction(pool, absl::Now() + absl::Minutes(2), [&](db::Transaction& tx) {
    const absl::Time now = absl::Now();
    for (int i = 0; i < kBankSize; ++i) {
      const bool single = i % 2 == 0;
      absl::StatusOr<int64_t> id = tx.Insert(
          "INSERT INTO question (organization_id, type, state, version, content_category,"
          " difficulty, created_by, create_time, update_time) VALUES (?, ?, 1, 1, ?, ?, 1, ?, ?)",
          {organization_id, single ? 1 : 3, i % 8 + 1, i % 5 + 1, now, now});
      if (!id.ok()) return id.status();
      const absl::Status version =
          tx.Execute(
                "INSERT INTO question_version (question_id, version, stem, options_json,"
                " fixed_option_order, key_json, explanation, content_category, difficulty,"
                " tags_json, last_option_id, changed_by, change_time)"
                " VALUES (?, 1, ?, ?, 0, ?, '解析：见党章第一章。', ?, ?, '[]', ?, 1, ?)",
                {*id, absl::StrCat("压测题目第", i, "题：下列说法正确的是？"),
                 single ? "[{\"id\":1,\"text\":\"坚持党的领导\"},{\"id\":2,\"text\":\"甲\"},"
                          "{\"id\":3,\"text\":\"乙\"},{\"id\":4,\"text\":\"丙\"}]"
                        : "[]",
                 single ? "{\"options\":[1]}" : "{\"truth\":1}", i % 8 + 1, i % 5 + 1,
                 single ? 4 : 0, now})
              .status();
      if (!version.ok()) return version;
    }
    return absl::OkStatus();
  });
}

absl::Status DropAssessment(db::ConnectionPool& pool, int64_t organization_id,
                            const std::vector<int64_t>& members) {
  std::vector<std::string> statements = {
      "DELETE s FROM question_stat_queue s JOIN attempt a ON a.id = s.attempt_id"
      " JOIN paper p ON p.id = a.paper_id WHERE p.organization_id = ?",
      "DELETE q FROM attempt_question q JOIN attempt a ON a.id = q.attempt_id"
      " JOIN paper p ON p.id = a.paper_id WHERE p.organization_id = ?",
      "DELETE a FROM attempt a JOIN paper p ON p.id = a.paper_id WHERE p.organization_id = ?",
      "DELETE s FROM question_answer_stat s JOIN paper p ON p.id = s.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE s FROM paper_standing s JOIN paper p ON p.id = s.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE t FROM course_test_pass t JOIN paper p ON p.id = t.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE t FROM course_final_test t JOIN paper p ON p.id = t.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE r FROM paper_draw_rule r JOIN paper p ON p.id = r.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE t FROM paper_type_points t JOIN paper p ON p.id = t.paper_id"
      " WHERE p.organization_id = ?",
      "DELETE FROM paper WHERE organization_id = ?",
      "DELETE v FROM question_version v JOIN question q ON q.id = v.question_id"
      " WHERE q.organization_id = ?",
      "DELETE FROM question WHERE organization_id = ?"};
  for (const std::string& sql : statements) {
    const absl::Status deleted = db::RunTransaction(
        pool, absl::Now() + absl::Minutes(5),
        [&](db::Transaction& tx) { return tx.Execute(sql, {organization_id}).status(); });
    if (!deleted.ok()) return deleted;
  }
  for (const int64_t member : members) {
    for (const char* sql : {"DELETE FROM hours_credit WHERE member_id = ?",
                            "DELETE FROM member_year_hours WHERE member_id = ?"}) {
      const absl::Status deleted = db::RunTransaction(
          pool, absl::Now() + absl::Minutes(1),
          [&](db::Transaction& tx) { return tx.Execute(sql, {member}).status(); });
      if (!deleted.ok()) return deleted;
    }
  }
  return absl::OkStatus();
}

template <typename Response>
absl::StatusOr<Response> Parse(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return absl::InternalError("cannot read the answer");
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  Response response;
  if (!response.ParseFromString(bytes)) return absl::InternalError("cannot parse the answer");
  return response;
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// Half the attempt's questions, answered (the first option; true).
std::string SaveRequest(const v1::Attempt& attempt, int64_t sequence, int half) {
  v1::SaveAnswersRequest request;
  request.set_attempt_id(attempt.id());
  request.set_sequence(sequence);
  const int from = half * attempt.questions_size() / 2;
  const int to = (half + 1) * attempt.questions_size() / 2;
  for (int i = from; i < to; ++i) {
    const v1::AttemptQuestion& question = attempt.questions(i);
    v1::Answer* answer = request.add_answers();
    answer->set_question_id(question.question_id());
    if (question.options_size() > 0) {
      answer->add_option_ids(question.options(0).id());
    } else {
      answer->set_truth(v1::TRUTH_TRUE);
    }
  }
  return request.SerializeAsString();
}

struct LoopResult {
  double loops_per_second = 0;
  LoadResult start;
  LoadResult save;
  LoadResult submit;
  int64_t submitted_ok = 0;
  int64_t errors = 0;
  std::string first_error;
  std::vector<int64_t> attempt_ids;
};

// `in_flight` members at once, each looping start -> save -> save -> submit, asynchronously
// over `stubs`, for `duration` after a warm-up.
LoopResult RunLoops(const std::vector<std::unique_ptr<grpc::GenericStub>>& stubs, int in_flight,
                    absl::Duration duration, int64_t paper_id,
                    const std::vector<std::string>& authorizations) {
  struct Slot {
    grpc::GenericStub* stub = nullptr;
    size_t member = 0;
    int step = 0;
    v1::Attempt attempt;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    std::unique_ptr<grpc::ClientContext> context;
    absl::Time started;
    std::vector<int64_t> latencies[3];
    int64_t loops = 0;
    int64_t errors = 0;
    std::string first_error;
    std::vector<int64_t> attempt_ids;
  };
  const absl::Duration warmup = std::min(absl::Seconds(1), duration / 5);
  const absl::Time measure_from = absl::Now() + warmup;
  const absl::Time stop_at = measure_from + duration;
  std::vector<Slot> slots(static_cast<size_t>(in_flight));
  std::atomic<size_t> next_member{0};
  // Request ids unique across runs: a run reusing one would be answered the earlier
  // run's attempt (that is what request ids are for).
  std::atomic<int64_t> serial{absl::ToUnixNanos(absl::Now())};
  absl::Mutex mu;
  int running = in_flight;
  static constexpr const char* kMethods[] = {
      "/lms.v1.AssessmentService/StartAttempt", "/lms.v1.AssessmentService/SaveAnswers",
      "/lms.v1.AssessmentService/SaveAnswers", "/lms.v1.AssessmentService/SubmitAttempt"};
  std::function<void(Slot&)> issue = [&](Slot& slot) {
    if (slot.step == 0) {
      if (absl::Now() >= stop_at) {
        absl::MutexLock lock(&mu);
        --running;
        return;
      }
      slot.member = next_member++ % authorizations.size();
      v1::StartAttemptRequest start;
      start.set_paper_id(paper_id);
      start.set_request_id(absl::StrCat("bench-start-", ++serial));
      slot.request = ToBuffer(start.SerializeAsString());
    } else if (slot.step == 1 || slot.step == 2) {
      slot.request = ToBuffer(SaveRequest(slot.attempt, slot.step, slot.step - 1));
    } else {
      v1::SubmitAttemptRequest submit;
      submit.set_attempt_id(slot.attempt.id());
      submit.set_request_id(absl::StrCat("bench-submit-", ++serial));
      slot.request = ToBuffer(submit.SerializeAsString());
    }
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.context->AddMetadata("authorization", authorizations[slot.member]);
    slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    slot.response.Clear();
    slot.started = absl::Now();
    slot.stub->UnaryCall(
        slot.context.get(), kMethods[slot.step], grpc::StubOptions(), &slot.request, &slot.response,
        [&](grpc::Status status) {
          const absl::Time now = absl::Now();
          const bool measured = slot.started >= measure_from && now <= stop_at;
          if (!status.ok()) {
            if (slot.errors++ == 0) {
              slot.first_error = absl::StrCat(kMethods[slot.step], ": ", status.error_code(), " ",
                                              status.error_message());
            }
            slot.step = 0;  // the next member
            issue(slot);
            return;
          }
          if (measured) {
            slot.latencies[slot.step == 0   ? 0
                           : slot.step == 3 ? 2
                                            : 1]
                .push_back(absl::ToInt64Microseconds(now - slot.started));
          }
          if (slot.step == 0) {
            absl::StatusOr<v1::Attempt> attempt = Parse<v1::Attempt>(slot.response);
            if (!attempt.ok()) {
              ++slot.errors;
              slot.step = 0;
              issue(slot);
              return;
            }
            slot.attempt = *std::move(attempt);
          }
          if (slot.step == 3) {
            slot.attempt_ids.push_back(slot.attempt.id());
            if (measured) ++slot.loops;
            slot.step = 0;
          } else {
            ++slot.step;
          }
          issue(slot);
        });
  };
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].stub = stubs[i % stubs.size()].get();
    issue(slots[i]);
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* n) { return *n == 0; }, &running));
  }
  LoopResult result;
  std::vector<int64_t> all[3];
  int64_t loops = 0;
  for (Slot& slot : slots) {
    for (int k = 0; k < 3; ++k) {
      all[k].insert(all[k].end(), slot.latencies[k].begin(), slot.latencies[k].end());
    }
    loops += slot.loops;
    result.errors += slot.errors;
    if (result.first_error.empty()) result.first_error = slot.first_error;
    result.attempt_ids.insert(result.attempt_ids.end(), slot.attempt_ids.begin(),
                              slot.attempt_ids.end());
  }
  result.submitted_ok = static_cast<int64_t>(result.attempt_ids.size());
  result.loops_per_second = static_cast<double>(loops) / absl::ToDoubleSeconds(duration);
  LoadResult* parts[3] = {&result.start, &result.save, &result.submit};
  for (int k = 0; k < 3; ++k) {
    parts[k]->calls = static_cast<int64_t>(all[k].size());
    parts[k]->calls_per_second =
        static_cast<double>(all[k].size()) / absl::ToDoubleSeconds(duration);
    FillPercentiles(all[k], *parts[k]);
  }
  return result;
}

// The reference loop of one member, raw: a start, two saves, a submit.
struct ReferenceLoop {
  int64_t paper_id = 0;
  int64_t organization_id = 0;
  std::vector<int64_t> members;
  std::atomic<size_t> next{0};
};

struct ReferenceState {
  int64_t member = 0;
  int64_t attempt = 0;
  std::mt19937_64 random{std::random_device{}()};
};

// Each database-loop thread's own loop state. A function-local thread_local is
// initialised by the thread that first runs its function, so each loop thread gets a
// seeded engine (one declared in the scenario's body would be left zeroed in them).
ReferenceState& ThreadState() {
  thread_local ReferenceState state;
  return state;
}

absl::Status ReferenceStart(ReferenceLoop& loop, ReferenceState& state, db::Transaction& tx) {
  const absl::Time now = absl::Now();
  state.member = loop.members[loop.next++ % loop.members.size()];
  int64_t limit = 0;
  absl::Status read =
      tx.Query(kReadPaper, {loop.paper_id}, [&](const db::Row& row) { limit = row.Int64(2); });
  if (!read.ok()) return read;
  if (absl::Status s = tx.Execute(kEnsureStanding, {loop.paper_id, state.member}).status();
      !s.ok()) {
    return s;
  }
  int64_t started = 0;
  if (absl::Status s = tx.Query(kLockStanding, {loop.paper_id, state.member},
                                [&](const db::Row& row) { started = row.Int64(1); });
      !s.ok()) {
    return s;
  }
  std::vector<std::pair<int64_t, int64_t>> drawn;
  for (const int type : {1, 3}) {
    std::vector<std::pair<int64_t, int64_t>> pool;
    if (absl::Status s =
            tx.Query(kCandidates, {type, loop.organization_id},
                     [&](const db::Row& row) { pool.emplace_back(row.Int64(1), row.Int64(2)); });
        !s.ok()) {
      return s;
    }
    if (pool.size() < kPaperQuestions / 2) {
      return absl::InternalError(absl::StrCat("the bank has ", pool.size(), " of type ", type));
    }
    std::shuffle(pool.begin(), pool.end(), state.random);
    drawn.insert(drawn.end(), pool.begin(), pool.begin() + kPaperQuestions / 2);
  }
  std::vector<db::Param> keys;
  for (const auto& [id, version] : drawn) {
    keys.emplace_back(id);
    keys.emplace_back(version);
  }
  if (absl::Status s = tx.Query(absl::StrCat("SELECT question_id, stem, options_json, key_json FROM"
                                             " question_version WHERE (question_id, version) IN (",
                                             Marks(drawn.size(), "(?, ?)"), ")"),
                                keys, [](const db::Row&) {});
      !s.ok()) {
    return s;
  }
  const absl::Time deadline = now + absl::Minutes(30);
  absl::StatusOr<int64_t> attempt = tx.Insert(
      kInsertAttempt,
      {loop.paper_id, state.member, started + 1, now, deadline, deadline + absl::Seconds(60)});
  if (!attempt.ok()) return attempt.status();
  state.attempt = *attempt;
  std::vector<db::Param> rows;
  for (size_t i = 0; i < drawn.size(); ++i) {
    for (const db::Param& p :
         std::vector<db::Param>{*attempt, static_cast<int64_t>(i + 1), drawn[i].first,
                                drawn[i].second, 5, "1,2,3,4"}) {
      rows.push_back(p);
    }
  }
  if (absl::Status s =
          tx.Execute(absl::StrCat("INSERT INTO attempt_question (attempt_id, position,"
                                  " question_id, question_version, points, option_order)"
                                  " VALUES ",
                                  Marks(drawn.size(), "(?, ?, ?, ?, ?, ?)")),
                     rows)
              .status();
      !s.ok()) {
    return s;
  }
  return tx.Execute(kSaveStanding, {*attempt, loop.paper_id, state.member}).status();
}

absl::Status ReferenceSave(ReferenceState& state, int half, db::Transaction& tx) {
  if (absl::Status s = tx.Query(kLockAttempt, {state.attempt}, [](const db::Row&) {}); !s.ok()) {
    return s;
  }
  std::vector<int64_t> questions;
  if (absl::Status s = tx.Query(kAttemptQuestions, {state.attempt},
                                [&](const db::Row& row) { questions.push_back(row.Int64(1)); });
      !s.ok()) {
    return s;
  }
  std::vector<db::Param> rows;
  const size_t from = static_cast<size_t>(half) * questions.size() / 2;
  const size_t to = static_cast<size_t>(half + 1) * questions.size() / 2;
  for (size_t i = from; i < to; ++i) {
    for (const db::Param& p : std::vector<db::Param>{state.attempt, static_cast<int64_t>(i + 1),
                                                     questions[i], 1, 5, "", "{\"options\":[1]}"}) {
      rows.push_back(p);
    }
  }
  if (absl::Status s =
          tx.Execute(absl::StrCat("INSERT INTO attempt_question (attempt_id, position,"
                                  " question_id, question_version, points, option_order,"
                                  " answer_json) VALUES ",
                                  Marks(to - from, "(?, ?, ?, ?, ?, ?, ?)"),
                                  " ON DUPLICATE KEY UPDATE answer_json = VALUES(answer_json)"),
                     rows)
              .status();
      !s.ok()) {
    return s;
  }
  return tx.Execute(kSaveSequence, {half + 1, state.attempt}).status();
}

absl::Status ReferenceSubmit(ReferenceLoop& loop, ReferenceState& state, db::Transaction& tx) {
  const absl::Time now = absl::Now();
  if (absl::Status s =
          tx.Query(kLockStanding, {loop.paper_id, state.member}, [](const db::Row&) {});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = tx.Query(kLockAttempt, {state.attempt}, [](const db::Row&) {}); !s.ok()) {
    return s;
  }
  std::vector<int64_t> questions;
  if (absl::Status s = tx.Query(kAttemptQuestions, {state.attempt},
                                [&](const db::Row& row) { questions.push_back(row.Int64(1)); });
      !s.ok()) {
    return s;
  }
  std::vector<db::Param> rows;
  for (size_t i = 0; i < questions.size(); ++i) {
    for (const db::Param& p : std::vector<db::Param>{state.attempt, static_cast<int64_t>(i + 1),
                                                     questions[i], 1, 5, "", 1, 5}) {
      rows.push_back(p);
    }
  }
  if (absl::Status s =
          tx.Execute(absl::StrCat("INSERT INTO attempt_question (attempt_id, position,"
                                  " question_id, question_version, points, option_order,"
                                  " correct, points_awarded) VALUES ",
                                  Marks(questions.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"),
                                  " ON DUPLICATE KEY UPDATE correct = VALUES(correct),"
                                  " points_awarded = VALUES(points_awarded)"),
                     rows)
              .status();
      !s.ok()) {
    return s;
  }
  if (absl::Status s = tx.Execute(kGradeAttempt, {50, 0, now, state.attempt}).status(); !s.ok()) {
    return s;
  }
  if (absl::Status s = tx.Execute("UPDATE paper_standing SET open_attempt_id = NULL WHERE"
                                  " paper_id = ? AND member_id = ?",
                                  {loop.paper_id, state.member})
                           .status();
      !s.ok()) {
    return s;
  }
  return tx.Execute(kQueue, {state.attempt, now}).status();
}

absl::StatusOr<int64_t> GradedOnce(db::ConnectionPool& pool, const std::vector<int64_t>& ids) {
  return db::RunTransactionFor<int64_t>(
      pool, absl::Now() + absl::Minutes(1), [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        int64_t graded = 0;
        absl::Status counted = db::ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
          std::vector<db::Param> params(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                        ids.begin() + static_cast<std::ptrdiff_t>(begin + size));
          absl::StatusOr<std::optional<int64_t>> count =
              tx.QueryInt64(absl::StrCat("SELECT COUNT(*) FROM attempt a JOIN question_stat_queue q"
                                         " ON q.attempt_id = a.id WHERE a.state = 2 AND a.id IN (",
                                         Marks(size, "?"), ")"),
                            params);
          if (!count.ok()) return count.status();
          graded += count->value_or(0);
          return absl::OkStatus();
        });
        if (!counted.ok()) return counted;
        return graded;
      });
}

}  // namespace

int RunAssessmentScenario(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                          absl::Duration token_lifetime, const AssessmentBenchOptions& options,
                          const PrintFn& print) {
  absl::StatusOr<EnrollmentFixture> fixture = MakeFixture(
      pool, absl::StrCat("BENCH-T", absl::ToUnixSeconds(absl::Now())), options.members, 1);
  if (!fixture.ok()) {
    std::cerr << kScenario << ": cannot make the fixture: " << fixture.status() << "\n";
    return 1;
  }
  const int64_t organization = fixture->organization_id;
  const auto cleanup = [&] {
    if (absl::Status dropped = DropAssessment(pool, organization, fixture->member_ids);
        !dropped.ok()) {
      std::cerr << kScenario << ": cleaning up: " << dropped << "\n";
    }
    (void)DropFixture(pool, *fixture);
  };
  if (absl::Status bank = AddBank(pool, organization); !bank.ok()) {
    std::cerr << kScenario << ": cannot add the bank: " << bank << "\n";
    cleanup();
    return 1;
  }
  const auth::AccessTokenSigner signer(keys, clock);
  auth::Caller admin;
  admin.role = auth::Role::kSystemAdmin;
  admin.member_id = 1;
  admin.organization_id = 1;
  const std::string admin_authorization =
      absl::StrCat("Bearer ", signer.Sign(admin, token_lifetime));
  std::vector<std::string> authorizations;
  for (const int64_t member : fixture->member_ids) {
    auth::Caller caller;
    caller.role = auth::Role::kMember;
    caller.member_id = member;
    caller.organization_id = organization;
    authorizations.push_back(absl::StrCat("Bearer ", signer.Sign(caller, token_lifetime)));
  }

  // The paper, through the API: a final test of the fixture's course, two rules of ten.
  auto stub = v1::AssessmentService::NewStub(
      grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
  v1::CreatePaperRequest create;
  v1::Paper& paper = *create.mutable_paper();
  paper.set_organization_id(organization);
  paper.set_kind(v1::PAPER_KIND_FINAL_TEST);
  paper.set_course_id(fixture->course_ids.front());
  paper.set_title("压测结业测试");
  for (const auto type : {v1::QUESTION_TYPE_SINGLE_CHOICE, v1::QUESTION_TYPE_TRUE_FALSE}) {
    v1::DrawRule* rule = paper.add_draw_rules();
    rule->set_type(type);
    rule->set_count(kPaperQuestions / 2);
    v1::TypePoints* points = paper.add_type_points();
    points->set_type(type);
    points->set_points(5);
  }
  paper.set_pass_points(60);
  paper.set_time_limit_seconds(1800);
  v1::Paper draft;
  v1::Paper published;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", admin_authorization);
    grpc::Status status = stub->CreatePaper(&context, create, &draft);
    if (status.ok()) {
      grpc::ClientContext publish_context;
      publish_context.AddMetadata("authorization", admin_authorization);
      v1::PublishPaperRequest publish;
      publish.set_paper_id(draft.id());
      publish.set_expected_version(draft.version());
      status = stub->PublishPaper(&publish_context, publish, &published);
    }
    if (!status.ok()) {
      std::cerr << kScenario << ": cannot publish the paper: " << status.error_message() << "\n";
      cleanup();
      return 1;
    }
  }
  // A sample loop: the answers' sizes for the echo, and a check that the path works.
  size_t answer_bytes = 0;
  {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorizations.front());
    v1::StartAttemptRequest start;
    start.set_paper_id(published.id());
    v1::Attempt attempt;
    grpc::Status status = stub->StartAttempt(&context, start, &attempt);
    v1::AttemptResult result;
    if (status.ok()) {
      grpc::ClientContext submit_context;
      submit_context.AddMetadata("authorization", authorizations.front());
      v1::SubmitAttemptRequest submit;
      submit.set_attempt_id(attempt.id());
      status = stub->SubmitAttempt(&submit_context, submit, &result);
    }
    if (!status.ok()) {
      std::cerr << kScenario << ": a sample attempt failed: " << status.error_message() << "\n";
      cleanup();
      return 1;
    }
    // start + two small save answers + submit.
    answer_bytes = (attempt.ByteSizeLong() + 2 * 30 + result.ByteSizeLong()) / 4;
  }
  lms::bench::EchoRequest echo_request;
  echo_request.set_response_size(static_cast<int>(answer_bytes));
  const CallSpec echo_call{"/lms.bench.Echo/Echo", echo_request.SerializeAsString(), ""};
  LoadGenerator echo_load(options.echo_address, options.channels, options.in_flight);
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("lms.bench.channel", i);
    stubs.push_back(std::make_unique<grpc::GenericStub>(
        grpc::CreateCustomChannel(options.address, grpc::InsecureChannelCredentials(), args)));
  }
  ReferenceLoop reference;
  reference.paper_id = published.id();
  reference.organization_id = organization;
  // The reference draws for members of its own: the same standing rows would serialise
  // it behind the server's loop.
  reference.members = fixture->member_ids;

  double sum_ratio = 0;
  double worst_tail = 0;
  int failures = 0;
  for (int round = 0; round < options.rounds && failures == 0; ++round) {
    const LoadResult e = echo_load.Run(echo_call, options.duration);
    print(kScenario, "E echo", e);
    const LoadResult d = RunDatabaseLoop(
        pool, options.in_flight, options.duration,
        {[&](db::Transaction& tx) { return ReferenceStart(reference, ThreadState(), tx); },
         [&](db::Transaction& tx) { return ReferenceSave(ThreadState(), 0, tx); },
         [&](db::Transaction& tx) { return ReferenceSave(ThreadState(), 1, tx); },
         [&](db::Transaction& tx) { return ReferenceSubmit(reference, ThreadState(), tx); }});
    print(kScenario, "D sql loop", d);
    const LoopResult s =
        RunLoops(stubs, options.in_flight, options.duration, published.id(), authorizations);
    print(kScenario, "S start", s.start);
    print(kScenario, "S save", s.save);
    print(kScenario, "S submit", s.submit);
    const double c = 1.0 / (4.0 / e.calls_per_second + 1.0 / d.calls_per_second);
    std::cout << absl::StrFormat("%-14s S loop     %.0f loops/s (starts/s = submits/s), C %.0f\n",
                                 kScenario, s.loops_per_second, c);
    sum_ratio += s.loops_per_second / c;
    worst_tail = std::max({worst_tail, absl::FDivDuration(s.start.p99, s.start.p50),
                           absl::FDivDuration(s.submit.p99, s.submit.p50)});
    const absl::StatusOr<int64_t> graded = GradedOnce(pool, s.attempt_ids);
    if (s.errors != 0 || !graded.ok() || *graded != s.submitted_ok) {
      std::cerr << kScenario << ": " << (graded.ok() ? *graded : -1) << " graded for "
                << s.submitted_ok << " submits answered OK, " << s.errors << " errors ("
                << s.first_error << ")\n";
      ++failures;
    }
  }
  if (failures == 0) {
    std::cout << absl::StrFormat(
        "%-14s RESULT     S/C %.2f   worst p99/p50 %.2f   (%zu members; every submit graded "
        "once; target: S/C >= 0.5, p99 <= 3 x p50)\n",
        kScenario, sum_ratio / options.rounds, worst_tail, fixture->member_ids.size());
  }
  cleanup();
  return failures == 0 ? 0 : 1;
}

}  // namespace lms::bench

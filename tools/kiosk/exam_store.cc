#include "tools/kiosk/exam_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tools/kiosk/sqlite_statement.h"

namespace lms::kiosk {
namespace {

// Keys and seals in hex: the statement helper binds text.
constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS exam (attempt_id INTEGER PRIMARY KEY, member_id INTEGER NOT"
    " NULL, paper_id INTEGER NOT NULL, lease TEXT NOT NULL, secret_key TEXT NOT NULL, state"
    " INTEGER NOT NULL, evidence TEXT NOT NULL DEFAULT '', boot_id TEXT NOT NULL DEFAULT '',"
    " start_boot_ms INTEGER NOT NULL DEFAULT 0, last_elapsed_ms INTEGER NOT NULL DEFAULT 0,"
    " last_wall_us INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS exam_member ON exam (member_id, paper_id);"
    "CREATE TABLE IF NOT EXISTS exam_link (attempt_id INTEGER NOT NULL, sequence INTEGER NOT"
    " NULL, seal TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (attempt_id, sequence));";
constexpr char kColumns[] =
    "SELECT e.attempt_id, e.member_id, e.paper_id, e.lease, e.secret_key, e.state, e.evidence,"
    " e.boot_id, e.start_boot_ms, e.last_elapsed_ms, e.last_wall_us, e.outcome,"
    " (SELECT COUNT(*) FROM exam_link l WHERE l.attempt_id = e.attempt_id) FROM exam e ";

}  // namespace

absl::StatusOr<ExamStore> ExamStore::Open(const KioskStore& store) {
  ExamStore exams(store.handle());
  if (absl::Status made = exams.Exec(kSchema); !made.ok()) return made;
  return exams;
}

absl::Status ExamStore::Exec(const char* sql) { return ExecSql(db_, sql); }

absl::Status ExamStore::Insert(const StoredExam& exam) {
  return Statement(db_,
                   "INSERT INTO exam (attempt_id, member_id, paper_id, lease, secret_key, state)"
                   " VALUES (?, ?, ?, ?, ?, ?)")
      .Bind(1, exam.attempt_id)
      .Bind(2, exam.member_id)
      .Bind(3, exam.paper_id)
      .Bind(4, exam.lease)
      .Bind(5, absl::BytesToHexString(exam.secret_key))
      .Bind(6, static_cast<int64_t>(exam.state))
      .Run();
}

absl::StatusOr<std::vector<StoredExam>> ExamStore::Select(const char* where, int64_t a, int64_t b) {
  const std::string sql = absl::StrCat(kColumns, where);
  Statement select(db_, sql.c_str());
  if (a != 0) select.Bind(1, a).Bind(2, b);
  std::vector<StoredExam> exams;
  int stepped = SQLITE_ROW;
  while ((stepped = select.Step()) == SQLITE_ROW) {
    StoredExam exam;
    exam.attempt_id = select.Int(0);
    exam.member_id = select.Int(1);
    exam.paper_id = select.Int(2);
    exam.lease = select.Text(3);
    exam.secret_key = absl::HexStringToBytes(select.Text(4));
    exam.state = static_cast<ExamState>(select.Int(5));
    exam.evidence = select.Text(6);
    exam.boot_id = select.Text(7);
    exam.start_boot_ms = select.Int(8);
    exam.last_elapsed_ms = select.Int(9);
    exam.last_wall = absl::FromUnixMicros(select.Int(10));
    exam.outcome = select.Text(11);
    exam.links = static_cast<int32_t>(select.Int(12));
    exams.push_back(std::move(exam));
  }
  if (stepped != SQLITE_DONE) return select.Error(stepped);
  return exams;
}

absl::StatusOr<std::optional<StoredExam>> ExamStore::Latest(int64_t member_id, int64_t paper_id) {
  absl::StatusOr<std::vector<StoredExam>> exams =
      Select("WHERE e.member_id = ? AND e.paper_id = ? ORDER BY e.attempt_id DESC LIMIT 1",
             member_id, paper_id);
  if (!exams.ok()) return exams.status();
  if (exams->empty()) return std::nullopt;
  return exams->front();
}

absl::StatusOr<int64_t> ExamStore::Count(int64_t member_id, int64_t paper_id) {
  Statement count(db_, "SELECT COUNT(*) FROM exam WHERE member_id = ? AND paper_id = ?");
  count.Bind(1, member_id).Bind(2, paper_id);
  const int stepped = count.Step();
  if (stepped != SQLITE_ROW) return count.Error(stepped);
  return count.Int(0);
}

absl::StatusOr<std::vector<StoredExam>> ExamStore::All() {
  return Select("ORDER BY e.attempt_id", 0, 0);
}

absl::StatusOr<std::vector<v1::SealedExamEntry>> ExamStore::Links(int64_t attempt_id) {
  Statement select(db_,
                   "SELECT seal, signature FROM exam_link WHERE attempt_id = ? ORDER BY sequence");
  select.Bind(1, attempt_id);
  std::vector<v1::SealedExamEntry> links;
  int stepped = SQLITE_ROW;
  while ((stepped = select.Step()) == SQLITE_ROW) {
    v1::SealedExamEntry entry;
    entry.set_seal(absl::HexStringToBytes(select.Text(0)));
    entry.set_signature(absl::HexStringToBytes(select.Text(1)));
    links.push_back(std::move(entry));
  }
  if (stepped != SQLITE_DONE) return select.Error(stepped);
  return links;
}

absl::Status ExamStore::Append(const StoredExam& exam, const v1::SealedExamEntry& entry) {
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status status =
      Statement(db_,
                "INSERT INTO exam_link (attempt_id, sequence, seal, signature) VALUES (?, ?, ?, ?)")
          .Bind(1, exam.attempt_id)
          .Bind(2, int64_t{exam.links} + 1)
          .Bind(3, absl::BytesToHexString(entry.seal()))
          .Bind(4, absl::BytesToHexString(entry.signature()))
          .Run();
  if (status.ok()) {
    status = Statement(db_,
                       "UPDATE exam SET state = ?, evidence = ?, boot_id = ?, start_boot_ms = ?,"
                       " last_elapsed_ms = ?, last_wall_us = ? WHERE attempt_id = ?")
                 .Bind(1, static_cast<int64_t>(exam.state))
                 .Bind(2, exam.evidence)
                 .Bind(3, exam.boot_id)
                 .Bind(4, exam.start_boot_ms)
                 .Bind(5, exam.last_elapsed_ms)
                 .Bind(6, absl::ToUnixMicros(exam.last_wall))
                 .Bind(7, exam.attempt_id)
                 .Run();
  }
  if (!status.ok()) {
    (void)Exec("ROLLBACK");
    return status;
  }
  return Exec("COMMIT");
}

absl::Status ExamStore::SetOutcome(int64_t attempt_id, ExamState state,
                                   const std::string& outcome) {
  return Statement(db_, "UPDATE exam SET state = ?, outcome = ? WHERE attempt_id = ?")
      .Bind(1, static_cast<int64_t>(state))
      .Bind(2, outcome)
      .Bind(3, attempt_id)
      .Run();
}

}  // namespace lms::kiosk

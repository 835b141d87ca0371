#include "tools/kiosk/kiosk_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tools/kiosk/sqlite_statement.h"

namespace lms::kiosk {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS member (member_id INTEGER PRIMARY KEY, number TEXT NOT NULL"
    " UNIQUE, name TEXT NOT NULL, ticket TEXT NOT NULL, ticket_expires INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS lesson (lesson_id INTEGER PRIMARY KEY, course_id INTEGER NOT"
    " NULL, title TEXT NOT NULL, kind TEXT NOT NULL, length INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS event (event_id TEXT PRIMARY KEY, member_id INTEGER NOT NULL,"
    " lesson_id INTEGER NOT NULL, occur_us INTEGER NOT NULL, from_position INTEGER NOT NULL,"
    " to_position INTEGER NOT NULL, active_seconds INTEGER NOT NULL, sequence INTEGER NOT NULL,"
    " ticket TEXT NOT NULL, synced INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL DEFAULT"
    " '');"
    "CREATE INDEX IF NOT EXISTS event_unsynced ON event (synced, sequence);"
    "CREATE TABLE IF NOT EXISTS activity (activity_id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " secret TEXT NOT NULL, open_us INTEGER NOT NULL, close_us INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sign_in (sequence INTEGER PRIMARY KEY, sign_in_id TEXT NOT NULL"
    " UNIQUE, activity_id INTEGER NOT NULL, member_id INTEGER NOT NULL, sign_out INTEGER NOT"
    " NULL, occur_us INTEGER NOT NULL, ticket TEXT NOT NULL, synced INTEGER NOT NULL DEFAULT 0,"
    " outcome TEXT NOT NULL DEFAULT '');";

absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

}  // namespace

absl::StatusOr<KioskStore> KioskStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (const int opened = sqlite3_open(path.c_str(), &db); opened != SQLITE_OK) {
    const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(opened);
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("cannot open ", path, ": ", message));
  }
  KioskStore store(db);
  // WAL with FULL sync: a committed buffer write is on disk before the client says so.
  if (absl::Status s = store.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"); !s.ok()) {
    return s;
  }
  if (absl::Status s = store.Exec(kSchema); !s.ok()) return s;
  return store;
}

KioskStore::~KioskStore() {
  if (db_ != nullptr) sqlite3_close(db_);
}

absl::Status KioskStore::Exec(const std::string& sql) { return ExecSql(db_, sql); }

absl::Status KioskStore::SetSetting(const std::string& key, const std::string& value) {
  return Statement(db_, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)")
      .Bind(1, key)
      .Bind(2, value)
      .Run();
}

absl::StatusOr<std::string> KioskStore::Setting(const std::string& key) {
  Statement select(db_, "SELECT value FROM setting WHERE key = ?");
  select.Bind(1, key);
  const int stepped = select.Step();
  if (stepped == SQLITE_ROW) return select.Text(0);
  if (stepped == SQLITE_DONE) return std::string();
  return select.Error(stepped);
}

absl::Status KioskStore::SaveMember(const KnownMember& member) {
  return Statement(db_,
                   "INSERT OR REPLACE INTO member (member_id, number, name, ticket,"
                   " ticket_expires) VALUES (?, ?, ?, ?, ?)")
      .Bind(1, member.member_id)
      .Bind(2, member.member_number)
      .Bind(3, member.name)
      .Bind(4, member.ticket)
      .Bind(5, absl::ToUnixMicros(member.ticket_expires))
      .Run();
}

absl::StatusOr<std::optional<KnownMember>> KioskStore::MemberByNumber(const std::string& number) {
  Statement select(db_,
                   "SELECT member_id, number, name, ticket, ticket_expires FROM member"
                   " WHERE number = ?");
  select.Bind(1, number);
  const int stepped = select.Step();
  if (stepped == SQLITE_DONE) return std::nullopt;
  if (stepped != SQLITE_ROW) return select.Error(stepped);
  return KnownMember{select.Int(0), select.Text(1), select.Text(2), select.Text(3),
                     FromMicros(select.Int(4))};
}

absl::Status KioskStore::SaveLesson(const KnownLesson& lesson) {
  return Statement(db_,
                   "INSERT OR REPLACE INTO lesson (lesson_id, course_id, title, kind, length)"
                   " VALUES (?, ?, ?, ?, ?)")
      .Bind(1, lesson.lesson_id)
      .Bind(2, lesson.course_id)
      .Bind(3, lesson.title)
      .Bind(4, lesson.kind)
      .Bind(5, lesson.length)
      .Run();
}

absl::StatusOr<std::optional<KnownLesson>> KioskStore::Lesson(int64_t lesson_id) {
  Statement select(db_,
                   "SELECT lesson_id, course_id, title, kind, length FROM lesson"
                   " WHERE lesson_id = ?");
  select.Bind(1, lesson_id);
  const int stepped = select.Step();
  if (stepped == SQLITE_DONE) return std::nullopt;
  if (stepped != SQLITE_ROW) return select.Error(stepped);
  return KnownLesson{select.Int(0), select.Int(1), select.Text(2), select.Text(3),
                     static_cast<int32_t>(select.Int(4))};
}

absl::StatusOr<int32_t> KioskStore::LastPosition(int64_t member_id, int64_t lesson_id) {
  Statement select(db_,
                   "SELECT to_position FROM event WHERE member_id = ? AND lesson_id = ?"
                   " ORDER BY sequence DESC LIMIT 1");
  select.Bind(1, member_id).Bind(2, lesson_id);
  const int stepped = select.Step();
  if (stepped == SQLITE_DONE) return 0;
  if (stepped != SQLITE_ROW) return select.Error(stepped);
  return static_cast<int32_t>(select.Int(0));
}

absl::Status KioskStore::Buffer(std::vector<BufferedEvent>& events) {
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status written = [&]() -> absl::Status {
    absl::StatusOr<std::string> device = Setting("device_id");
    if (!device.ok()) return device.status();
    if (device->empty()) return absl::FailedPreconditionError("no device id: register first");
    Statement last(db_, "SELECT COALESCE(MAX(sequence), 0) FROM event");
    if (last.Step() != SQLITE_ROW) return last.Error(SQLITE_ERROR);
    int64_t sequence = last.Int(0);
    for (BufferedEvent& event : events) {
      event.sequence = ++sequence;
      // Unique per member forever, across devices: the device's random id and its sequence.
      if (event.event_id.empty()) event.event_id = absl::StrCat(*device, "-", sequence);
      absl::Status s =
          Statement(db_,
                    "INSERT INTO event (event_id, member_id, lesson_id, occur_us, from_position,"
                    " to_position, active_seconds, sequence, ticket) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?)")
              .Bind(1, event.event_id)
              .Bind(2, event.member_id)
              .Bind(3, event.lesson_id)
              .Bind(4, absl::ToUnixMicros(event.occur))
              .Bind(5, event.from_position)
              .Bind(6, event.to_position)
              .Bind(7, event.active_seconds)
              .Bind(8, event.sequence)
              .Bind(9, event.ticket)
              .Run();
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }();
  if (!written.ok()) {
    (void)Exec("ROLLBACK");
    return written;
  }
  return Exec("COMMIT");
}

absl::StatusOr<std::vector<BufferedEvent>> KioskStore::Unsynced(int limit) {
  Statement select(db_,
                   "SELECT event_id, member_id, lesson_id, occur_us, from_position, to_position,"
                   " active_seconds, sequence, ticket FROM event WHERE synced = 0"
                   " ORDER BY sequence LIMIT ?");
  select.Bind(1, limit);
  std::vector<BufferedEvent> events;
  for (int stepped = select.Step(); stepped != SQLITE_DONE; stepped = select.Step()) {
    if (stepped != SQLITE_ROW) return select.Error(stepped);
    events.push_back({select.Text(0), select.Int(1), select.Int(2), FromMicros(select.Int(3)),
                      static_cast<int32_t>(select.Int(4)), static_cast<int32_t>(select.Int(5)),
                      static_cast<int32_t>(select.Int(6)), select.Int(7), select.Text(8)});
  }
  return events;
}

absl::Status KioskStore::MarkSynced(
    const std::vector<std::pair<std::string, std::string>>& outcomes) {
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  for (const auto& [event_id, outcome] : outcomes) {
    absl::Status s = Statement(db_, "UPDATE event SET synced = 1, outcome = ? WHERE event_id = ?")
                         .Bind(1, outcome)
                         .Bind(2, event_id)
                         .Run();
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
  }
  return Exec("COMMIT");
}

absl::StatusOr<int64_t> KioskStore::CountUnsynced() {
  Statement select(db_, "SELECT COUNT(*) FROM event WHERE synced = 0");
  if (select.Step() != SQLITE_ROW) return select.Error(SQLITE_ERROR);
  return select.Int(0);
}

absl::Status KioskStore::SaveActivity(const KnownActivity& activity) {
  return Statement(db_,
                   "INSERT OR REPLACE INTO activity (activity_id, title, secret, open_us, close_us)"
                   " VALUES (?, ?, ?, ?, ?)")
      .Bind(1, activity.activity_id)
      .Bind(2, activity.title)
      .Bind(3, absl::BytesToHexString(activity.secret))
      .Bind(4, absl::ToUnixMicros(activity.sign_in_open))
      .Bind(5, absl::ToUnixMicros(activity.sign_in_close))
      .Run();
}

absl::StatusOr<std::optional<KnownActivity>> KioskStore::Activity(int64_t activity_id) {
  Statement select(db_,
                   "SELECT activity_id, title, secret, open_us, close_us FROM activity"
                   " WHERE activity_id = ?");
  select.Bind(1, activity_id);
  const int stepped = select.Step();
  if (stepped == SQLITE_DONE) return std::nullopt;
  if (stepped != SQLITE_ROW) return select.Error(stepped);
  return KnownActivity{select.Int(0), select.Text(1), absl::HexStringToBytes(select.Text(2)),
                       FromMicros(select.Int(3)), FromMicros(select.Int(4))};
}

absl::Status KioskStore::BufferSignIn(BufferedSignIn& sign_in) {
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status written = [&]() -> absl::Status {
    absl::StatusOr<std::string> device = Setting("device_id");
    if (!device.ok()) return device.status();
    if (device->empty()) return absl::FailedPreconditionError("no device id: register first");
    Statement last(db_, "SELECT COALESCE(MAX(sequence), 0) FROM sign_in");
    if (last.Step() != SQLITE_ROW) return last.Error(SQLITE_ERROR);
    const int64_t sequence = last.Int(0) + 1;
    sign_in.sign_in_id = absl::StrCat(*device, "-s", sequence);
    return Statement(db_,
                     "INSERT INTO sign_in (sequence, sign_in_id, activity_id, member_id, sign_out,"
                     " occur_us, ticket) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, sequence)
        .Bind(2, sign_in.sign_in_id)
        .Bind(3, sign_in.activity_id)
        .Bind(4, sign_in.member_id)
        .Bind(5, sign_in.sign_out ? 1 : 0)
        .Bind(6, absl::ToUnixMicros(sign_in.occur))
        .Bind(7, sign_in.ticket)
        .Run();
  }();
  if (!written.ok()) {
    (void)Exec("ROLLBACK");
    return written;
  }
  return Exec("COMMIT");
}

absl::StatusOr<std::vector<BufferedSignIn>> KioskStore::UnsyncedSignIns(int limit) {
  Statement select(db_,
                   "SELECT sign_in_id, activity_id, member_id, sign_out, occur_us, ticket"
                   " FROM sign_in WHERE synced = 0 ORDER BY sequence LIMIT ?");
  select.Bind(1, limit);
  std::vector<BufferedSignIn> sign_ins;
  for (int stepped = select.Step(); stepped != SQLITE_DONE; stepped = select.Step()) {
    if (stepped != SQLITE_ROW) return select.Error(stepped);
    sign_ins.push_back({select.Text(0), select.Int(1), select.Int(2), select.Int(3) != 0,
                        FromMicros(select.Int(4)), select.Text(5)});
  }
  return sign_ins;
}

absl::Status KioskStore::MarkSignInsSynced(
    const std::vector<std::pair<std::string, std::string>>& outcomes) {
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  for (const auto& [sign_in_id, outcome] : outcomes) {
    absl::Status s =
        Statement(db_, "UPDATE sign_in SET synced = 1, outcome = ? WHERE sign_in_id = ?")
            .Bind(1, outcome)
            .Bind(2, sign_in_id)
            .Run();
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
  }
  return Exec("COMMIT");
}

absl::StatusOr<int64_t> KioskStore::CountUnsyncedSignIns() {
  Statement select(db_, "SELECT COUNT(*) FROM sign_in WHERE synced = 0");
  if (select.Step() != SQLITE_ROW) return select.Error(SQLITE_ERROR);
  return select.Int(0);
}

}  // namespace lms::kiosk

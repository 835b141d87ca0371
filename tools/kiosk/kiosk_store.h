#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lms::kiosk {

// A member the kiosk has identified, with the evidence it holds for them.
struct KnownMember {
  int64_t member_id = 0;
  std::string member_number;
  std::string name;
  std::string ticket;  // from the last online sign-in here; "" if none
  absl::Time ticket_expires = absl::InfinitePast();
};

// A lesson fetched while online, so it can be studied offline.
struct KnownLesson {
  int64_t lesson_id = 0;
  int64_t course_id = 0;
  std::string title;
  // "video", "audio" (seconds), "document" (pages) or "article" (per-mille).
  std::string kind;
  int32_t length = 0;
};

// One buffered progress event.
struct BufferedEvent {
  std::string event_id;
  int64_t member_id = 0;
  int64_t lesson_id = 0;
  absl::Time occur;
  int32_t from_position = 0;
  int32_t to_position = 0;
  int32_t active_seconds = 0;
  int64_t sequence = 0;
  // The evidence it will be uploaded with: the ticket, or "" for the kiosk's claim.
  std::string ticket;
};

// An activity whose sign-in code the kiosk shows: its secret, fetched while online.
struct KnownActivity {
  int64_t activity_id = 0;
  std::string title;
  std::string secret;  // raw bytes (stored in hex)
  absl::Time sign_in_open = absl::InfinitePast();
  absl::Time sign_in_close = absl::InfinitePast();
};

// One buffered sign-in (or sign-out) at an activity, taken while offline.
struct BufferedSignIn {
  std::string sign_in_id;
  int64_t activity_id = 0;
  int64_t member_id = 0;
  bool sign_out = false;
  absl::Time occur;
  // The member's kiosk ticket covering the moment, or "" for the kiosk's claim.
  std::string ticket;
};

// The kiosk's local store: a SQLite file written with full synchronisation, so an event
// the client said it buffered survives a power cut, and a restart loses nothing. Not
// thread-safe (one kiosk process).
class KioskStore {
 public:
  static absl::StatusOr<KioskStore> Open(const std::string& path);
  KioskStore(KioskStore&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  KioskStore& operator=(KioskStore&&) = delete;
  ~KioskStore();

  absl::Status SetSetting(const std::string& key, const std::string& value);
  absl::StatusOr<std::string> Setting(const std::string& key);

  absl::Status SaveMember(const KnownMember& member);
  absl::StatusOr<std::optional<KnownMember>> MemberByNumber(const std::string& number);
  absl::Status SaveLesson(const KnownLesson& lesson);
  absl::StatusOr<std::optional<KnownLesson>> Lesson(int64_t lesson_id);

  // Where the member stopped in the lesson (0 if never studied here).
  absl::StatusOr<int32_t> LastPosition(int64_t member_id, int64_t lesson_id);
  // Appends events in one transaction, numbering them from the device's sequence.
  absl::Status Buffer(std::vector<BufferedEvent>& events);
  // Events not yet acknowledged by the server, oldest first, at most `limit`.
  absl::StatusOr<std::vector<BufferedEvent>> Unsynced(int limit);
  // Marks events acknowledged, with what the server made of each.
  absl::Status MarkSynced(const std::vector<std::pair<std::string, std::string>>& outcomes);
  absl::StatusOr<int64_t> CountUnsynced();

  absl::Status SaveActivity(const KnownActivity& activity);
  absl::StatusOr<std::optional<KnownActivity>> Activity(int64_t activity_id);
  // Appends a sign-in (durably, as events), its id from the device and a sequence.
  absl::Status BufferSignIn(BufferedSignIn& sign_in);
  absl::StatusOr<std::vector<BufferedSignIn>> UnsyncedSignIns(int limit);
  absl::Status MarkSignInsSynced(const std::vector<std::pair<std::string, std::string>>& outcomes);
  absl::StatusOr<int64_t> CountUnsyncedSignIns();

  // The open file, for the stores of other concepts kept in it (ExamStore).
  [[nodiscard]] sqlite3* handle() const { return db_; }

 private:
  explicit KioskStore(sqlite3* db) : db_(db) {}
  absl::Status Exec(const std::string& sql);

  sqlite3* db_ = nullptr;
};

}  // namespace lms::kiosk

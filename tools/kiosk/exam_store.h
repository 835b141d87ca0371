#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lms/v1/assessment.pb.h"
#include "tools/kiosk/kiosk_store.h"

namespace lms::kiosk {

// Where an exam the kiosk leased stands.
enum class ExamState { kLeased, kRunning, kFinished, kUploaded, kRefused };

// A leased exam in the kiosk's store: the lease, the secret half of the key that seals
// its answers (it never leaves the kiosk), and the kiosk's clock for it.
struct StoredExam {
  int64_t attempt_id = 0;
  int64_t member_id = 0;
  int64_t paper_id = 0;
  std::string lease;       // el1. text
  std::string secret_key;  // raw Ed25519 secret key
  ExamState state = ExamState::kLeased;
  // The member's ticket or phone code the exam is uploaded with (set at START).
  std::string evidence;
  // The monotonic clock (CLOCK_BOOTTIME, in ms) at START, and on which boot.
  std::string boot_id;
  int64_t start_boot_ms = 0;
  // The last seal's elapsed time and wall-clock time (a reboot continues from them).
  int64_t last_elapsed_ms = 0;
  absl::Time last_wall = absl::InfinitePast();
  int32_t links = 0;
  // What the server said (uploaded or refused).
  std::string outcome;
};

// The exams table and their sealed links, in the kiosk's SQLite file (full sync: a link
// the kiosk showed as sealed survives a power cut). Not thread-safe.
class ExamStore {
 public:
  static absl::StatusOr<ExamStore> Open(const KioskStore& store);

  absl::Status Insert(const StoredExam& exam);
  // The member's latest exam at the paper, if any.
  absl::StatusOr<std::optional<StoredExam>> Latest(int64_t member_id, int64_t paper_id);
  // How many exams the member has leased at the paper here.
  absl::StatusOr<int64_t> Count(int64_t member_id, int64_t paper_id);
  absl::StatusOr<std::vector<StoredExam>> All();
  // The sealed links in order.
  absl::StatusOr<std::vector<v1::SealedExamEntry>> Links(int64_t attempt_id);
  // Appends a sealed link and the exam's state and clock, in one transaction.
  absl::Status Append(const StoredExam& exam, const v1::SealedExamEntry& entry);
  absl::Status SetOutcome(int64_t attempt_id, ExamState state, const std::string& outcome);

 private:
  explicit ExamStore(sqlite3* db) : db_(db) {}
  absl::Status Exec(const char* sql);
  absl::StatusOr<std::vector<StoredExam>> Select(const char* where, int64_t a, int64_t b);

  sqlite3* db_;
};

}  // namespace lms::kiosk

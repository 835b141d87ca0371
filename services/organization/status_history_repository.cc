#include "services/organization/status_history_repository.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::organization {
namespace {

// A status may be set again on the day an interval began (a change undone the same day).
constexpr char kOpen[] =
    "INSERT INTO member_status_history (member_id, status, valid_from) VALUES (?, ?, ?)"
    " ON DUPLICATE KEY UPDATE status = VALUES(status), valid_to = NULL";
constexpr char kOpenForNumbersPrefix[] =
    "INSERT IGNORE INTO member_status_history (member_id, status, valid_from)"
    " SELECT id, status, ? FROM member WHERE member_number IN (";
constexpr char kDropFrom[] =
    "DELETE FROM member_status_history WHERE member_id = ? AND valid_to IS NULL"
    " AND valid_from >= ?";
constexpr char kClose[] =
    "UPDATE member_status_history SET valid_to = ? WHERE member_id = ? AND valid_to IS NULL";

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

}  // namespace

absl::Status StatusHistoryRepository::Open(db::Transaction& tx, int64_t member_id, int status,
                                           absl::CivilDay since) const {
  return tx.Execute(kOpen, {member_id, status, Day(since)}).status();
}

absl::Status StatusHistoryRepository::OpenForNumbers(db::Transaction& tx,
                                                     const std::vector<std::string>& member_numbers,
                                                     absl::CivilDay since) const {
  return db::ForEachBatch(member_numbers.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = {Day(since)};
    params.insert(params.end(), member_numbers.begin() + begin,
                  member_numbers.begin() + begin + size);
    return tx.Execute(absl::StrCat(kOpenForNumbersPrefix, db::BindMarks(size), ")"), params)
        .status();
  });
}

absl::Status StatusHistoryRepository::Change(db::Transaction& tx, int64_t member_id, int status,
                                             absl::CivilDay day) const {
  RETURN_IF_ERROR(tx.Execute(kDropFrom, {member_id, Day(day)}).status());
  RETURN_IF_ERROR(tx.Execute(kClose, {Day(day - 1), member_id}).status());
  return Open(tx, member_id, status, day);
}

}  // namespace lms::organization

#include "services/organization/category_history_repository.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"
#include "services/organization/member_repository.h"

namespace lms::organization {
namespace {

// MemberCategory values, 1-6.
constexpr int kFirstCategory = 1;
constexpr int kLastCategory = 6;

// An interval may be reopened on the day it was closed and reopened before.
constexpr char kOpen[] =
    "INSERT INTO member_category_history (member_id, category, valid_from) VALUES (?, ?, ?)"
    " ON DUPLICATE KEY UPDATE valid_to = NULL";
constexpr char kOpenForNumbersPrefix[] =
    "INSERT IGNORE INTO member_category_history (member_id, category, valid_from)"
    " SELECT m.id, c.category, ? FROM member m JOIN (SELECT 1 AS category UNION ALL SELECT 2"
    " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6) c"
    " ON (m.category_mask & (1 << c.category)) <> 0 WHERE m.member_number IN (";
constexpr char kDropUnheld[] =
    "DELETE FROM member_category_history WHERE member_id = ? AND category = ?"
    " AND valid_to IS NULL AND valid_from >= ?";
constexpr char kClose[] =
    "UPDATE member_category_history SET valid_to = ? WHERE member_id = ? AND category = ?"
    " AND valid_to IS NULL";
constexpr char kHeldOn[] =
    "SELECT category FROM member_category_history WHERE member_id = ? AND valid_from <= ?"
    " AND (valid_to IS NULL OR valid_to >= ?)";

bool Holds(int64_t mask, int category) { return (mask & (int64_t{1} << category)) != 0; }

}  // namespace

absl::Status CategoryHistoryRepository::Open(db::Transaction& tx, int64_t member_id, int64_t mask,
                                             absl::CivilDay since) const {
  for (int category = kFirstCategory; category <= kLastCategory; ++category) {
    if (!Holds(mask, category)) continue;
    RETURN_IF_ERROR(tx.Execute(kOpen, {member_id, category, FormatDay(since)}).status());
  }
  return absl::OkStatus();
}

absl::Status CategoryHistoryRepository::OpenForNumbers(
    db::Transaction& tx, const std::vector<std::string>& member_numbers,
    absl::CivilDay since) const {
  return db::ForEachBatch(member_numbers.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = {FormatDay(since)};
    params.insert(params.end(), member_numbers.begin() + begin,
                  member_numbers.begin() + begin + size);
    return tx.Execute(absl::StrCat(kOpenForNumbersPrefix, db::BindMarks(size), ")"), params)
        .status();
  });
}

absl::Status CategoryHistoryRepository::Change(db::Transaction& tx, int64_t member_id,
                                               int64_t before, int64_t after,
                                               absl::CivilDay day) const {
  for (int category = kFirstCategory; category <= kLastCategory; ++category) {
    const bool held = Holds(before, category);
    const bool holds = Holds(after, category);
    if (held && !holds) {
      RETURN_IF_ERROR(tx.Execute(kDropUnheld, {member_id, category, FormatDay(day)}).status());
      RETURN_IF_ERROR(tx.Execute(kClose, {FormatDay(day - 1), member_id, category}).status());
    } else if (!held && holds) {
      RETURN_IF_ERROR(tx.Execute(kOpen, {member_id, category, FormatDay(day)}).status());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CategoryHistoryRepository::MaskOn(db::Transaction& tx, int64_t member_id,
                                                          absl::CivilDay day) const {
  int64_t mask = 0;
  RETURN_IF_ERROR(tx.Query(kHeldOn, {member_id, FormatDay(day), FormatDay(day)},
                           [&](const db::Row& row) { mask |= int64_t{1} << row.Int64(1); }));
  return mask;
}

}  // namespace lms::organization

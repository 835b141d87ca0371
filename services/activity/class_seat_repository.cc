#include "services/activity/class_seat_repository.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::activity {
namespace {

constexpr char kColumns[] =
    "SELECT s.activity_id, s.member_id, s.state, s.position, s.sign_up_time, s.seat_time,"
    " s.withdraw_time, s.changed_by, s.reason, m.name"
    " FROM class_seat s JOIN member m ON m.id = s.member_id";
constexpr char kSave[] =
    "INSERT INTO class_seat (activity_id, member_id, state, position, sign_up_time, seat_time,"
    " withdraw_time, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE state = VALUES(state), position = VALUES(position),"
    " sign_up_time = VALUES(sign_up_time), seat_time = VALUES(seat_time),"
    " withdraw_time = VALUES(withdraw_time), changed_by = VALUES(changed_by),"
    " reason = VALUES(reason)";
constexpr char kCounts[] =
    "SELECT COALESCE(SUM(state = 1), 0), COALESCE(SUM(state = 2), 0) FROM class_seat"
    " WHERE activity_id = ?";
constexpr char kCountsOfPrefix[] =
    "SELECT activity_id, SUM(state = 1), SUM(state = 2) FROM class_seat WHERE activity_id IN (";
constexpr char kLastPosition[] =
    "SELECT COALESCE(MAX(position), 0) FROM class_seat WHERE activity_id = ? LOCK IN SHARE MODE";
constexpr char kWaitingBefore[] =
    "SELECT COUNT(*) FROM class_seat WHERE activity_id = ? AND state = 2 AND position < ?";

ClassSeat SeatFromRow(const db::Row& row) {
  ClassSeat seat;
  seat.activity_id = row.Int64(1);
  seat.member_id = row.Int64(2);
  seat.state = static_cast<SeatState>(row.Int64(3));
  seat.position = row.Int64(4);
  seat.sign_up_time = row.Time(5);
  seat.seat_time = row.Time(6);
  seat.withdraw_time = row.Time(7);
  seat.changed_by = row.Int64(8);
  seat.reason = row.String(9);
  seat.member_name = row.String(10);
  return seat;
}

}  // namespace

absl::StatusOr<std::optional<ClassSeat>> ClassSeatRepository::Find(db::Transaction& tx,
                                                                   int64_t activity_id,
                                                                   int64_t member_id,
                                                                   bool locking) const {
  std::optional<ClassSeat> found;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns, " WHERE s.activity_id = ? AND s.member_id = ?",
                                        locking ? " FOR UPDATE" : ""),
                           {activity_id, member_id},
                           [&](const db::Row& row) { found = SeatFromRow(row); }));
  return found;
}

absl::Status ClassSeatRepository::Save(db::Transaction& tx, const ClassSeat& seat) const {
  return tx
      .Execute(kSave, {seat.activity_id, seat.member_id, static_cast<int>(seat.state),
                       seat.position, seat.sign_up_time, db::Param::TimeOrNull(seat.seat_time),
                       db::Param::TimeOrNull(seat.withdraw_time), seat.changed_by, seat.reason})
      .status();
}

absl::StatusOr<SeatCounts> ClassSeatRepository::Counts(db::Transaction& tx, int64_t activity_id,
                                                       bool locking) const {
  SeatCounts counts;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kCounts, locking ? " LOCK IN SHARE MODE" : ""),
                           {activity_id}, [&](const db::Row& row) {
                             counts.seated = static_cast<int>(row.Int64(1));
                             counts.waiting = static_cast<int>(row.Int64(2));
                           }));
  return counts;
}

absl::StatusOr<std::vector<ClassSeat>> ClassSeatRepository::FirstWaiting(db::Transaction& tx,
                                                                         int64_t activity_id,
                                                                         int limit) const {
  std::vector<ClassSeat> seats;
  RETURN_IF_ERROR(tx.Query(absl::StrCat(kColumns,
                                        " WHERE s.activity_id = ? AND s.state = 2"
                                        " ORDER BY s.position LIMIT ? FOR UPDATE"),
                           {activity_id, limit},
                           [&](const db::Row& row) { seats.push_back(SeatFromRow(row)); }));
  return seats;
}

absl::StatusOr<std::map<int64_t, SeatCounts>> ClassSeatRepository::CountsOf(
    db::Transaction& tx, const std::vector<int64_t>& activity_ids) const {
  std::map<int64_t, SeatCounts> counts;
  if (activity_ids.empty()) return counts;
  std::vector<db::Param> params;
  const size_t marks = db::AppendPadded(activity_ids, params);
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kCountsOfPrefix, db::BindMarks(marks), ") GROUP BY activity_id"), params,
      [&](const db::Row& row) {
        counts[row.Int64(1)] = {static_cast<int>(row.Int64(2)), static_cast<int>(row.Int64(3))};
      }));
  return counts;
}

absl::StatusOr<int64_t> ClassSeatRepository::LastPosition(db::Transaction& tx,
                                                          int64_t activity_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> last, tx.QueryInt64(kLastPosition, {activity_id}));
  return last.value_or(0);
}

absl::StatusOr<int> ClassSeatRepository::WaitingBefore(db::Transaction& tx, int64_t activity_id,
                                                       int64_t position) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64(kWaitingBefore, {activity_id, position}));
  return static_cast<int>(count.value_or(0));
}

absl::StatusOr<std::vector<ClassSeat>> ClassSeatRepository::List(db::Transaction& tx,
                                                                 int64_t activity_id,
                                                                 std::pair<int64_t, int64_t> after,
                                                                 int limit) const {
  std::vector<ClassSeat> seats;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kColumns,
                   " WHERE s.activity_id = ? AND (s.state > ? OR (s.state = ? AND s.position > ?))"
                   " ORDER BY s.state, s.position LIMIT ?"),
      {activity_id, after.first, after.first, after.second, limit},
      [&](const db::Row& row) { seats.push_back(SeatFromRow(row)); }));
  return seats;
}

}  // namespace lms::activity

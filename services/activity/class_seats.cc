#include "services/activity/class_seats.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/activity/activity_validation.h"

namespace lms::activity {
namespace {

constexpr char kSeatPageKind[] = "class_seats";

}  // namespace

absl::StatusOr<std::vector<ClassSeat>> SeatWaitingMembers(db::Transaction& tx,
                                                          const ClassSeatRepository& seats,
                                                          const Activity& activity,
                                                          absl::Time now) {
  ASSIGN_OR_RETURN(const SeatCounts counts, seats.Counts(tx, activity.id, true));
  const int free = activity.content.training_class.capacity - counts.seated;
  std::vector<ClassSeat> seated;
  if (free <= 0 || counts.waiting == 0) return seated;
  ASSIGN_OR_RETURN(seated, seats.FirstWaiting(tx, activity.id, free));
  for (ClassSeat& seat : seated) {
    seat.state = SeatState::kSeated;
    seat.seat_time = now;
    RETURN_IF_ERROR(seats.Save(tx, seat));
  }
  return seated;
}

absl::StatusOr<Activity> ClassSeats::LockOpenClass(db::Transaction& tx, int64_t activity_id) const {
  // A plain read: the scope check holds the activity row in share mode since before it,
  // so no edit, close or cancel can commit meanwhile (they take it for update), and the
  // version read stays current. A locking read here would share-lock the version row
  // too, and two sign-ups upgrading that lock would deadlock.
  ASSIGN_OR_RETURN(std::optional<Activity> activity,
                   activities_.Find(tx, activity_id, ActivityRepository::Lock::kNone));
  if (!activity.has_value()) {
    return absl::NotFoundError(absl::StrCat("activity ", activity_id, " not found"));
  }
  RETURN_IF_ERROR(activities_.LockVersion(tx, *activity));
  if (!activity->IsClass()) {
    return absl::FailedPreconditionError(
        absl::StrCat("activity ", activity_id, " is not a training class: it has no seats"));
  }
  if (activity->state == ActivityState::kCancelled) {
    return absl::FailedPreconditionError(
        absl::StrCat("class ", activity_id, " was cancelled: ", activity->cancel_reason));
  }
  if (activity->state == ActivityState::kClosed) {
    return absl::FailedPreconditionError(absl::StrCat("class ", activity_id, " is closed"));
  }
  return *std::move(activity);
}

absl::StatusOr<ClassSeat> ClassSeats::LoadSeat(db::Transaction& tx, int64_t activity_id,
                                               int64_t member_id) const {
  ASSIGN_OR_RETURN(std::optional<ClassSeat> seat, seats_.Find(tx, activity_id, member_id));
  if (!seat.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("member ", member_id, " has not signed up for class ", activity_id));
  }
  if (seat->state == SeatState::kWaiting) {
    ASSIGN_OR_RETURN(const int before, seats_.WaitingBefore(tx, activity_id, seat->position));
    seat->waitlist_place = before + 1;
  }
  return *std::move(seat);
}

absl::StatusOr<ClassSeat> ClassSeats::SignUp(const call::CallContext& call, int64_t activity_id,
                                             int64_t member_id) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  ASSIGN_OR_RETURN(const int64_t member,
                   validation::MemberOrCaller(member_id, call.caller.member_id));
  const auto sign_up = [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Activity activity, LockOpenClass(tx, activity_id));
    const TrainingClass& seats = activity.content.training_class;
    // Admins may add a member after sign-up closed, until the class starts.
    if (now >= activity.content.start_time) {
      return absl::FailedPreconditionError(
          absl::StrCat("class ", activity_id, " has started: sign-up is over"));
    }
    if (!call.caller.IsAdmin() && now < seats.sign_up_open_time) {
      return absl::FailedPreconditionError(
          absl::StrCat("sign-up opens at ", FormatChinaTime(seats.sign_up_open_time)));
    }
    if (!call.caller.IsAdmin() && now >= seats.sign_up_close_time) {
      return absl::FailedPreconditionError(
          absl::StrCat("sign-up closed at ", FormatChinaTime(seats.sign_up_close_time)));
    }
    ASSIGN_OR_RETURN(const bool eligible, activities_.Targets(tx, activity, member));
    if (!eligible) {
      return absl::PermissionDeniedError(
          absl::StrCat("class ", activity_id, " is not open to member ", member));
    }
    ASSIGN_OR_RETURN(std::optional<ClassSeat> existing, seats_.Find(tx, activity_id, member, true));
    if (existing.has_value() && existing->state != SeatState::kWithdrawn) return activity_id;
    ClassSeat seat;
    seat.activity_id = activity_id;
    seat.member_id = member;
    ASSIGN_OR_RETURN(const int64_t last, seats_.LastPosition(tx, activity_id));
    seat.position = last + 1;
    seat.sign_up_time = now;
    seat.changed_by = call.caller.member_id;
    ASSIGN_OR_RETURN(const SeatCounts counts, seats_.Counts(tx, activity_id, true));
    if (counts.seated < seats.capacity) {
      seat.state = SeatState::kSeated;
      seat.seat_time = now;
    } else {
      seat.state = SeatState::kWaiting;
    }
    RETURN_IF_ERROR(seats_.Save(tx, seat));
    return activity_id;
  };
  return call::RunIdempotentWrite<ClassSeat>(
      pool_, call, now, sign_up,
      [&](db::Transaction& tx, int64_t) { return LoadSeat(tx, activity_id, member); });
}

absl::StatusOr<Withdrawal> ClassSeats::Withdraw(const call::CallContext& call, int64_t activity_id,
                                                int64_t member_id,
                                                const std::string& reason) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  ASSIGN_OR_RETURN(const int64_t member,
                   validation::MemberOrCaller(member_id, call.caller.member_id));
  if (member != call.caller.member_id || !reason.empty()) {
    // Withdrawing someone else is an admin's act, with its reason kept.
    RETURN_IF_ERROR(CheckReason("reason", reason));
  }
  std::optional<ClassSeat> promoted;
  const auto withdraw = [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    promoted.reset();
    ASSIGN_OR_RETURN(const Activity activity, LockOpenClass(tx, activity_id));
    if (now >= activity.content.start_time) {
      return absl::FailedPreconditionError(absl::StrCat(
          "class ", activity_id, " has started: record the member excused or absent instead"));
    }
    ASSIGN_OR_RETURN(std::optional<ClassSeat> seat, seats_.Find(tx, activity_id, member, true));
    if (!seat.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("member ", member, " has not signed up for class ", activity_id));
    }
    if (seat->state == SeatState::kWithdrawn) return activity_id;  // twice is once
    const bool freed = seat->state == SeatState::kSeated;
    seat->state = SeatState::kWithdrawn;
    seat->withdraw_time = now;
    seat->changed_by = call.caller.member_id;
    seat->reason = reason;
    RETURN_IF_ERROR(seats_.Save(tx, *seat));
    if (freed) {
      ASSIGN_OR_RETURN(const std::vector<ClassSeat> seated,
                       SeatWaitingMembers(tx, seats_, activity, now));
      if (!seated.empty()) promoted = seated.front();
    }
    return activity_id;
  };
  return call::RunIdempotentWrite<Withdrawal>(
      pool_, call, now, withdraw, [&](db::Transaction& tx, int64_t) -> absl::StatusOr<Withdrawal> {
        Withdrawal withdrawal;
        ASSIGN_OR_RETURN(withdrawal.seat, LoadSeat(tx, activity_id, member));
        if (promoted.has_value()) {
          ASSIGN_OR_RETURN(withdrawal.promoted, LoadSeat(tx, activity_id, promoted->member_id));
        }
        return withdrawal;
      });
}

absl::StatusOr<SeatPage> ClassSeats::List(const call::CallContext& call, int64_t activity_id,
                                          int page_size, const std::string& page_token) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("activity_id", activity_id));
  ASSIGN_OR_RETURN(const int size, paging::PageSize(page_size));
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(activity_id));
  std::pair<int64_t, int64_t> after{0, 0};
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kSeatPageKind, page_token, 2, fingerprint));
    after = {cursor.keys[0], cursor.keys[1]};
  }
  return db::RunTransactionFor<SeatPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<SeatPage> {
        ASSIGN_OR_RETURN(const std::optional<Activity> activity,
                         activities_.Find(tx, activity_id, ActivityRepository::Lock::kNone));
        if (!activity.has_value()) {
          return absl::NotFoundError(absl::StrCat("activity ", activity_id, " not found"));
        }
        if (!activity->IsClass()) {
          return absl::FailedPreconditionError(
              absl::StrCat("activity ", activity_id, " is not a training class"));
        }
        SeatPage page;
        ASSIGN_OR_RETURN(page.seats, seats_.List(tx, activity_id, after, size + 1));
        if (static_cast<int>(page.seats.size()) > size) {
          page.seats.resize(size);
          paging::KeysetCursor cursor;
          cursor.keys = {static_cast<int64_t>(page.seats.back().state), page.seats.back().position};
          cursor.filter_fingerprint = fingerprint;
          page.next_page_token = paging::EncodeKeysetToken(kSeatPageKind, cursor);
        }
        ASSIGN_OR_RETURN(page.counts, seats_.Counts(tx, activity_id));
        for (ClassSeat& seat : page.seats) {
          if (seat.state != SeatState::kWaiting) continue;
          ASSIGN_OR_RETURN(const int before, seats_.WaitingBefore(tx, activity_id, seat.position));
          seat.waitlist_place = before + 1;
        }
        return page;
      });
}

}  // namespace lms::activity

#include "services/progress/pending_confirmation.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"

namespace lms::progress {
namespace {

constexpr absl::string_view kPendingPageKind = "pending_progress";

absl::Status NoMember(int64_t member_id) {
  return absl::NotFoundError(absl::StrCat("member ", member_id, " not found"));
}

}  // namespace

absl::StatusOr<PendingPage> PendingConfirmation::List(const call::CallContext& call,
                                                      int64_t member_id, bool include_decided,
                                                      int page_size,
                                                      const std::string& page_token) const {
  ASSIGN_OR_RETURN(const int64_t who, validation::MemberOrCaller(member_id, call.caller.member_id));
  const absl::StatusOr<int> size = paging::PageSize(page_size);
  if (!size.ok()) return status::InvalidField("page_size", paging::PageSizeProblem(page_size));
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(who, "|", include_decided));
  int64_t after_id = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kPendingPageKind, page_token, 1, fingerprint));
    after_id = cursor.keys[0];
  }
  return db::RunTransactionFor<PendingPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<PendingPage> {
        ASSIGN_OR_RETURN(const bool exists, progress_.MemberExists(tx, who));
        if (!exists) return NoMember(who);
        PendingPage page;
        ASSIGN_OR_RETURN(page.events,
                         offline_.ListPending(tx, who, include_decided, after_id, *size + 1));
        page.next_page_token = paging::TrimToPage(page.events, *size, kPendingPageKind, fingerprint,
                                                  [](const PendingRecord& row) { return row.id; });
        ASSIGN_OR_RETURN(page.waiting, offline_.CountWaiting(tx, who));
        return page;
      });
}

absl::StatusOr<PendingDecision> PendingConfirmation::Decide(const call::CallContext& call,
                                                            int64_t member_id,
                                                            const std::vector<int64_t>& pending_ids,
                                                            bool confirm,
                                                            const std::string& reason) const {
  ASSIGN_OR_RETURN(const int64_t who, validation::MemberOrCaller(member_id, call.caller.member_id));
  const bool by_member = who == call.caller.member_id;
  status::FieldErrors errors;
  if (pending_ids.empty() || pending_ids.size() > kMaxDecisions) {
    errors.Add("pending_ids", absl::StrCat("must hold 1 to ", kMaxDecisions, " ids (got ",
                                           pending_ids.size(), ")"));
  }
  for (const int64_t id : pending_ids) {
    if (id <= 0) {
      errors.Add("pending_ids", "must be positive ids");
      break;
    }
  }
  // An admin speaks for a member: the reason is the record of why.
  validation::CheckText(errors, "reason", reason, by_member ? 0 : 1, kMaxReasonLength, true);
  RETURN_IF_ERROR(errors.ToStatus());
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  const int wanted = confirm ? PendingRecord::kConfirmed : PendingRecord::kRejected;
  return call::RunWrite<PendingDecision>(
      pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<PendingDecision> {
        ASSIGN_OR_RETURN(const bool exists, progress_.MemberExists(tx, who));
        if (!exists) return NoMember(who);
        // The member's progress lock first, as every progress write takes it.
        RETURN_IF_ERROR(progress_.LockMembers(tx, {who}));
        ASSIGN_OR_RETURN(auto rows, offline_.LockPending(tx, who, pending_ids));
        std::vector<PendingRecord*> to_decide;
        std::set<int64_t> seen;
        for (const int64_t id : pending_ids) {
          const auto found = rows.find(id);
          if (found == rows.end()) {
            return absl::NotFoundError(
                absl::StrCat("pending event ", id, " of member ", who, " not found"));
          }
          PendingRecord& row = found->second;
          if (row.state != PendingRecord::kWaiting && row.state != wanted) {
            return absl::FailedPreconditionError(
                absl::StrCat("pending event ", id, " was already ",
                             row.state == PendingRecord::kConfirmed ? "confirmed" : "rejected"));
          }
          if (row.state == PendingRecord::kWaiting && seen.insert(id).second) {
            row.state = wanted;
            row.decided_by = call.caller.member_id;
            row.decide_time = now;
            row.decision_reason = reason;
            to_decide.push_back(&row);
          }
        }
        PendingDecision decision;
        if (confirm) {
          RETURN_IF_ERROR(RecordConfirmed(tx, who, rules, to_decide, decision));
        }
        for (const PendingRecord* row : to_decide) RETURN_IF_ERROR(offline_.SaveDecision(tx, *row));
        for (const int64_t id : pending_ids) decision.events.push_back(rows.at(id));
        return decision;
      });
}

absl::Status PendingConfirmation::RecordConfirmed(db::Transaction& tx, int64_t member_id,
                                                  const ProgressRules& rules,
                                                  std::vector<PendingRecord*>& confirmed,
                                                  PendingDecision& decision) const {
  // The device clock is corrected by the upload's receive time, as it would have been then.
  std::map<absl::Time, std::vector<PendingRecord*>> by_upload;
  for (PendingRecord* row : confirmed) by_upload[row->receive_time].push_back(row);
  std::map<int64_t, LessonProgress> lessons;
  for (auto& [received, rows] : by_upload) {
    std::vector<ProgressEvent> events;
    for (const PendingRecord* row : rows) events.push_back(row->event);
    ASSIGN_OR_RETURN(std::vector<RecordOutcome> outcomes,
                     recorder_.Record(tx, {{member_id, &events}}, received, rules,
                                      /*look_up_known=*/true));
    RecordOutcome& outcome = outcomes.front();
    for (size_t i = 0; i < rows.size(); ++i) rows[i]->result = std::move(outcome.results[i]);
    for (LessonProgress& lesson : outcome.lessons) lessons[lesson.lesson_id] = std::move(lesson);
    decision.completed_course_ids.insert(decision.completed_course_ids.end(),
                                         outcome.completed_course_ids.begin(),
                                         outcome.completed_course_ids.end());
  }
  for (auto& [id, lesson] : lessons) decision.lessons.push_back(std::move(lesson));
  return absl::OkStatus();
}

}  // namespace lms::progress

#include "services/progress/kiosk_sync.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/progress/event_checks.h"

namespace lms::progress {
namespace {

// An event of an upload: which upload, which event.
struct EventRef {
  size_t upload = 0;
  size_t index = 0;
};

absl::Status CheckUploads(const std::vector<MemberUpload>& uploads) {
  status::FieldErrors errors;
  size_t events = 0;
  for (size_t u = 0; u < uploads.size(); ++u) {
    const MemberUpload& upload = uploads[u];
    const std::string at = absl::StrCat("uploads[", u, "]");
    if (upload.member_id < 0) {
      errors.Add(absl::StrCat(at, ".member_id"), "must be a positive id, or 0 with member_number");
    } else if (upload.member_id == 0 && upload.member_number.empty()) {
      errors.Add(absl::StrCat(at, ".member_id"), "or member_number is required");
    }
    if (upload.evidence.kind == EvidenceKind::kNone) {
      errors.Add(absl::StrCat(at, ".evidence"),
                 "is required: a kiosk ticket, a phone identification or a kiosk claim");
    }
    if (upload.events.empty()) errors.Add(absl::StrCat(at, ".events"), "must hold an event");
    events += upload.events.size();
  }
  if (uploads.empty() || events > kMaxEventsPerBatch) {
    errors.Add("uploads", absl::StrCat("must hold 1 to ", kMaxEventsPerBatch,
                                       " events in all (got ", events, ")"));
  }
  return errors.ToStatus();
}

void Reject(EventResult& result, EventRejection rejection, std::string detail) {
  result.outcome = EventOutcome::kRejected;
  result.rejection = rejection;
  result.detail = std::move(detail);
}

}  // namespace

struct KioskSync::Plan {
  std::vector<MemberSyncOutcome> outcomes;  // one per upload
  // Members whose events are recorded or kept: locked, then given checkpoints.
  std::set<int64_t> members;
  // Events the evidence covers, per member (several uploads of one member merge: the
  // recorder takes each member once), with where each came from.
  std::map<int64_t, std::vector<ProgressEvent>> to_record;
  std::map<int64_t, std::vector<EventRef>> recorded_from;
  // Events that wait for confirmation, and why.
  std::vector<std::pair<EventRef, PendingReason>> pending;
};

absl::StatusOr<std::vector<MemberSyncOutcome>> KioskSync::Sync(
    const call::CallContext& call, std::vector<MemberUpload> uploads) const {
  RETURN_IF_ERROR(CheckUploads(uploads));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(const ProgressRules rules, rules_.RulesOn(TodayInChina(now), call.deadline));
  const auto write = [&](bool look_up_known) {
    return call::RunWrite<std::vector<MemberSyncOutcome>>(
        pool_, call, [&](db::Transaction& tx) -> absl::StatusOr<std::vector<MemberSyncOutcome>> {
          Plan plan;
          RETURN_IF_ERROR(Classify(tx, call, now, rules, uploads, plan));
          RETURN_IF_ERROR(progress_.LockMembers(tx, plan.members));
          std::vector<MemberEvents> calls;
          for (const auto& [member, events] : plan.to_record) calls.push_back({member, &events});
          if (!calls.empty()) {
            ASSIGN_OR_RETURN(std::vector<RecordOutcome> recorded,
                             recorder_.Record(tx, calls, now, rules, look_up_known));
            for (size_t c = 0; c < calls.size(); ++c) {
              const std::vector<EventRef>& from = plan.recorded_from.at(calls[c].member_id);
              std::set<size_t> uploads_of_member;
              for (size_t i = 0; i < from.size(); ++i) {
                plan.outcomes[from[i].upload].outcome.results[from[i].index] =
                    std::move(recorded[c].results[i]);
                uploads_of_member.insert(from[i].upload);
              }
              // Each upload of the member gets the member's lessons; the first, its
              // completions.
              for (const size_t u : uploads_of_member) {
                plan.outcomes[u].outcome.lessons = recorded[c].lessons;
              }
              plan.outcomes[*uploads_of_member.begin()].outcome.completed_course_ids =
                  recorded[c].completed_course_ids;
            }
          }
          RETURN_IF_ERROR(StorePending(tx, call.caller.kiosk_id, now, uploads, plan));
          ASSIGN_OR_RETURN(const auto checkpoints, offline_.Checkpoints(tx, plan.members));
          for (MemberSyncOutcome& outcome : plan.outcomes) {
            const auto found = checkpoints.find(outcome.member_id);
            if (found != checkpoints.end()) outcome.checkpoint = found->second;
          }
          return std::move(plan.outcomes);
        });
  };
  // As RecordProgress: events are not looked up before they are inserted; a retry or a
  // re-sync trips the insert's unique keys (ALREADY_EXISTS, nothing kept), and only then is
  // the upload written again, looking them up.
  absl::StatusOr<std::vector<MemberSyncOutcome>> outcomes = write(/*look_up_known=*/false);
  if (outcomes.status().code() == absl::StatusCode::kAlreadyExists) {
    outcomes = write(/*look_up_known=*/true);
  }
  return outcomes;
}

absl::Status KioskSync::Classify(db::Transaction& tx, const call::CallContext& call, absl::Time now,
                                 const ProgressRules& rules, std::vector<MemberUpload>& uploads,
                                 Plan& plan) const {
  plan.outcomes.resize(uploads.size());
  // A member named by several uploads (several sign-ins) is decided once.
  std::map<int64_t, absl::Status> served_by_member;
  for (size_t u = 0; u < uploads.size(); ++u) {
    MemberUpload& upload = uploads[u];
    MemberSyncOutcome& outcome = plan.outcomes[u];
    std::vector<EventResult>& results = outcome.outcome.results;
    results.resize(upload.events.size());
    for (size_t i = 0; i < upload.events.size(); ++i) {
      results[i].event_id = upload.events[i].event_id;
    }
    const auto reject_all = [&](EventRejection rejection, const std::string& detail) {
      for (EventResult& result : results) Reject(result, rejection, detail);
    };
    int64_t member = upload.member_id;
    if (member == 0) {
      ASSIGN_OR_RETURN(const auto found, members_.ByNumbers(tx, {upload.member_number}));
      if (!found.empty()) member = found.front().id;
    }
    outcome.member_id = member;
    // Whom the kiosk serves is an authorization decision: the one place decides it (and
    // holds it until commit, as for any write naming a member).
    auto [decided, first] = served_by_member.try_emplace(member);
    if (first) {
      decided->second = member == 0 ? absl::NotFoundError("no such member")
                                    : scopes_.HoldMember(tx, call.caller, member);
    }
    const absl::Status served = decided->second;
    if (served.code() == absl::StatusCode::kPermissionDenied ||
        served.code() == absl::StatusCode::kNotFound) {
      reject_all(EventRejection::kMemberNotServed, "not a member this kiosk serves");
      continue;
    }
    RETURN_IF_ERROR(served);
    ASSIGN_OR_RETURN(
        const CheckedEvidence evidence,
        evidence_.Check(tx, upload.evidence, call.caller.kiosk_id, member, now, rules));
    if (evidence.rejection != EventRejection::kNone) {
      reject_all(evidence.rejection, evidence.detail);
      continue;
    }
    int64_t evidence_id = 0;
    for (size_t i = 0; i < upload.events.size(); ++i) {
      ProgressEvent& event = upload.events[i];
      if (std::optional<std::string> problem = EventFieldProblem(event)) {
        Reject(results[i], EventRejection::kMalformed, *std::move(problem));
        continue;
      }
      const absl::Time happened = HappenTime(event, now, rules);
      if (const EventRejection timing = TimingRejection(happened, now, rules);
          timing != EventRejection::kNone) {
        Reject(results[i], timing, "");
        continue;
      }
      if (evidence_id == 0) {
        ASSIGN_OR_RETURN(evidence_id,
                         offline_.SaveEvidence(tx, call.caller.kiosk_id, member, evidence, now));
      }
      event.evidence_id = evidence_id;
      plan.members.insert(member);
      const PendingReason reason = evidence.ForEvent(happened, rules.clock_skew);
      if (reason == PendingReason::kNone) {
        plan.to_record[member].push_back(event);
        plan.recorded_from[member].push_back({u, i});
      } else {
        plan.pending.push_back({{u, i}, reason});
      }
    }
  }
  return absl::OkStatus();
}

absl::Status KioskSync::StorePending(db::Transaction& tx, int64_t kiosk_id, absl::Time now,
                                     const std::vector<MemberUpload>& uploads, Plan& plan) const {
  if (plan.pending.empty()) return absl::OkStatus();
  std::map<int64_t, std::vector<std::string>> ids_of_member;
  for (const auto& [ref, reason] : plan.pending) {
    ids_of_member[plan.outcomes[ref.upload].member_id].push_back(
        uploads[ref.upload].events[ref.index].event_id);
  }
  // Recorded already (another upload, the member's phone): the recorder's own look-up.
  std::vector<MemberEvent> lookups;
  for (const auto& [ref, reason] : plan.pending) {
    lookups.push_back(
        {plan.outcomes[ref.upload].member_id, &uploads[ref.upload].events[ref.index]});
  }
  ASSIGN_OR_RETURN(const KnownEvents known, progress_.Known(tx, lookups));
  std::map<int64_t, std::map<std::string, PendingRecord>> stored;
  for (const auto& [member, ids] : ids_of_member) {
    ASSIGN_OR_RETURN(stored[member], offline_.PendingByEventId(tx, member, ids));
  }
  std::vector<PendingRecord> fresh;
  std::vector<EventRef> fresh_refs;
  std::set<std::pair<int64_t, std::string>> seen;
  for (const auto& [ref, reason] : plan.pending) {
    const int64_t member = plan.outcomes[ref.upload].member_id;
    const ProgressEvent& event = uploads[ref.upload].events[ref.index];
    EventResult& result = plan.outcomes[ref.upload].outcome.results[ref.index];
    const auto earlier = stored[member].find(event.event_id);
    if (known.event_ids.count({member, event.event_id}) > 0 ||
        !seen.insert({member, event.event_id}).second) {
      result.outcome = EventOutcome::kDuplicate;
    } else if (earlier != stored[member].end()) {
      // Sent before: still waiting, the same answer; decided, nothing changes.
      const bool waiting = earlier->second.state == PendingRecord::kWaiting;
      result.outcome = waiting ? EventOutcome::kPending : EventOutcome::kDuplicate;
      if (waiting) {
        result.pending_reason = earlier->second.reason;
        result.pending_id = earlier->second.id;
      }
    } else {
      PendingRecord row;
      row.member_id = member;
      row.event = event;
      row.receive_time = now;
      row.kiosk_id = kiosk_id;
      row.reason = reason;
      fresh.push_back(std::move(row));
      fresh_refs.push_back(ref);
    }
  }
  if (fresh.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(offline_.InsertPending(tx, fresh));
  std::map<int64_t, std::vector<std::string>> fresh_ids;
  for (const PendingRecord& row : fresh) fresh_ids[row.member_id].push_back(row.event.event_id);
  std::map<int64_t, std::map<std::string, PendingRecord>> inserted;
  for (const auto& [member, ids] : fresh_ids) {
    ASSIGN_OR_RETURN(inserted[member], offline_.PendingByEventId(tx, member, ids));
  }
  for (size_t f = 0; f < fresh.size(); ++f) {
    const PendingRecord& row = inserted[fresh[f].member_id].at(fresh[f].event.event_id);
    EventResult& result = plan.outcomes[fresh_refs[f].upload].outcome.results[fresh_refs[f].index];
    result.outcome = EventOutcome::kPending;
    result.pending_reason = row.reason;
    result.pending_id = row.id;
  }
  return absl::OkStatus();
}

}  // namespace lms::progress

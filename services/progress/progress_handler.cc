#include "services/progress/progress_handler.h"

#include "services/progress/progress_mapping.h"

namespace lms::progress {
namespace {

template <typename Value, typename Proto>
absl::Status Respond(const absl::StatusOr<Value>& value, Proto* response) {
  if (value.ok()) ToProto(*value, response);
  return value.status();
}

}  // namespace

void ProgressHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("RecordProgress", *this, &ProgressHandler::RecordProgress);
  rpcs.Blocking("GetCourseProgress", *this, &ProgressHandler::GetCourseProgress);
  rpcs.Blocking("ListProgressChanges", *this, &ProgressHandler::ListProgressChanges);
  rpcs.Blocking("ExplainCompletion", *this, &ProgressHandler::ExplainCompletion);
  rpcs.Blocking("WaiveCompletion", *this, &ProgressHandler::WaiveCompletion);
  rpcs.Blocking("GetHoursSummary", *this, &ProgressHandler::GetHoursSummary);
  rpcs.Blocking("ListHoursCredits", *this, &ProgressHandler::ListHoursCredits);
  rpcs.Blocking("GrantHoursCredit", *this, &ProgressHandler::GrantHoursCredit);
  rpcs.Blocking("ReverseHoursCredit", *this, &ProgressHandler::ReverseHoursCredit);
  rpcs.Blocking("SyncKioskProgress", *this, &ProgressHandler::SyncKioskProgress);
  rpcs.Blocking("ListPendingProgress", *this, &ProgressHandler::ListPendingProgress);
  rpcs.Blocking("DecidePendingProgress", *this, &ProgressHandler::DecidePendingProgress);
}

absl::Status ProgressHandler::RecordProgress(const call::CallContext& call,
                                             const v1::RecordProgressRequest& request,
                                             v1::RecordProgressResponse* response) const {
  return Respond(service_.Record(call, request.member_id(), EventsFromProto(request)), response);
}

absl::Status ProgressHandler::SyncKioskProgress(const call::CallContext& call,
                                                const v1::SyncKioskProgressRequest& request,
                                                v1::SyncKioskProgressResponse* response) const {
  const absl::StatusOr<std::vector<MemberSyncOutcome>> outcomes =
      kiosk_sync_.Sync(call, UploadsFromProto(request));
  if (!outcomes.ok()) return outcomes.status();
  for (const MemberSyncOutcome& outcome : *outcomes) ToProto(outcome, response->add_members());
  return absl::OkStatus();
}

absl::Status ProgressHandler::ListPendingProgress(const call::CallContext& call,
                                                  const v1::ListPendingProgressRequest& request,
                                                  v1::ListPendingProgressResponse* response) const {
  const absl::StatusOr<PendingPage> page =
      pending_.List(call, request.member_id(), request.include_decided(), request.page_size(),
                    request.page_token());
  if (!page.ok()) return page.status();
  for (const PendingRecord& row : page->events) ToProto(row, response->add_events());
  response->set_next_page_token(page->next_page_token);
  response->set_waiting(static_cast<int32_t>(page->waiting));
  return absl::OkStatus();
}

absl::Status ProgressHandler::DecidePendingProgress(
    const call::CallContext& call, const v1::DecidePendingProgressRequest& request,
    v1::DecidePendingProgressResponse* response) const {
  const absl::StatusOr<PendingDecision> decision = pending_.Decide(
      call, request.member_id(), {request.pending_ids().begin(), request.pending_ids().end()},
      request.confirm(), request.reason());
  if (!decision.ok()) return decision.status();
  for (const PendingRecord& row : decision->events) ToProto(row, response->add_events());
  for (const LessonProgress& lesson : decision->lessons) ToProto(lesson, response->add_lessons());
  for (const int64_t course_id : decision->completed_course_ids) {
    response->add_completed_course_ids(course_id);
  }
  return absl::OkStatus();
}

absl::Status ProgressHandler::GetCourseProgress(const call::CallContext& call,
                                                const v1::GetCourseProgressRequest& request,
                                                v1::CourseProgress* response) const {
  return Respond(service_.CourseProgressOf(call, request.member_id(), request.course_id()),
                 response);
}

absl::Status ProgressHandler::ListProgressChanges(const call::CallContext& call,
                                                  const v1::ListProgressChangesRequest& request,
                                                  v1::ListProgressChangesResponse* response) const {
  const absl::StatusOr<ChangesPage> page =
      service_.Changes(call, request.member_id(), request.checkpoint(), request.page_size());
  if (!page.ok()) return page.status();
  for (const LessonProgress& lesson : page->lessons) ToProto(lesson, response->add_lessons());
  response->set_checkpoint(page->checkpoint);
  response->set_more(page->more);
  return absl::OkStatus();
}

absl::Status ProgressHandler::ExplainCompletion(const call::CallContext& call,
                                                const v1::ExplainCompletionRequest& request,
                                                v1::CompletionExplanation* response) const {
  return Respond(service_.CourseProgressOf(call, request.member_id(), request.course_id()),
                 response);
}

absl::Status ProgressHandler::WaiveCompletion(const call::CallContext& call,
                                              const v1::WaiveCompletionRequest& request,
                                              v1::CourseProgress* response) const {
  return Respond(service_.Waive(call, request.member_id(), request.course_id(), request.reason(),
                                request.credit_hours()),
                 response);
}

absl::Status ProgressHandler::GetHoursSummary(const call::CallContext& call,
                                              const v1::GetHoursSummaryRequest& request,
                                              v1::HoursSummary* response) const {
  return Respond(service_.HoursSummary(call, request.member_id(), request.year()), response);
}

absl::Status ProgressHandler::ListHoursCredits(const call::CallContext& call,
                                               const v1::ListHoursCreditsRequest& request,
                                               v1::ListHoursCreditsResponse* response) const {
  const absl::StatusOr<CreditsPage> page = service_.Credits(
      call, request.member_id(), request.year(), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const HoursCredit& credit : page->credits) ToProto(credit, response->add_credits());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status ProgressHandler::GrantHoursCredit(const call::CallContext& call,
                                               const v1::GrantHoursCreditRequest& request,
                                               v1::HoursCredit* response) const {
  return Respond(service_.Grant(call, GrantFromProto(request)), response);
}

absl::Status ProgressHandler::ReverseHoursCredit(const call::CallContext& call,
                                                 const v1::ReverseHoursCreditRequest& request,
                                                 v1::HoursCredit* response) const {
  return Respond(service_.Reverse(call, request.credit_id(), request.reason()), response);
}

}  // namespace lms::progress

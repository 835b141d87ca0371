#pragma once

#include "common/call/call_context.h"
#include "common/grpc/rpc_service.h"
#include "lms/v1/progress.pb.h"
#include "services/progress/kiosk_sync.h"
#include "services/progress/pending_confirmation.h"
#include "services/progress/progress_service.h"

namespace lms::progress {

// gRPC glue for lms.v1.ProgressService: proto in, domain call, proto out; every RPC runs
// on the worker pool. Thread-safe.
class ProgressHandler final {
 public:
  ProgressHandler(const ProgressService& service, const KioskSync& kiosk_sync,
                  const PendingConfirmation& pending)
      : service_(service), kiosk_sync_(kiosk_sync), pending_(pending) {}

  // Binds every RPC of lms.v1.ProgressService to the functions below.
  void Bind(grpc_util::RpcService& rpcs) const;

  absl::Status RecordProgress(const call::CallContext& call,
                              const v1::RecordProgressRequest& request,
                              v1::RecordProgressResponse* response) const;
  absl::Status GetCourseProgress(const call::CallContext& call,
                                 const v1::GetCourseProgressRequest& request,
                                 v1::CourseProgress* response) const;
  absl::Status ListProgressChanges(const call::CallContext& call,
                                   const v1::ListProgressChangesRequest& request,
                                   v1::ListProgressChangesResponse* response) const;
  absl::Status ExplainCompletion(const call::CallContext& call,
                                 const v1::ExplainCompletionRequest& request,
                                 v1::CompletionExplanation* response) const;
  absl::Status WaiveCompletion(const call::CallContext& call,
                               const v1::WaiveCompletionRequest& request,
                               v1::CourseProgress* response) const;
  absl::Status GetHoursSummary(const call::CallContext& call,
                               const v1::GetHoursSummaryRequest& request,
                               v1::HoursSummary* response) const;
  absl::Status ListHoursCredits(const call::CallContext& call,
                                const v1::ListHoursCreditsRequest& request,
                                v1::ListHoursCreditsResponse* response) const;
  absl::Status GrantHoursCredit(const call::CallContext& call,
                                const v1::GrantHoursCreditRequest& request,
                                v1::HoursCredit* response) const;
  absl::Status SyncKioskProgress(const call::CallContext& call,
                                 const v1::SyncKioskProgressRequest& request,
                                 v1::SyncKioskProgressResponse* response) const;
  absl::Status ListPendingProgress(const call::CallContext& call,
                                   const v1::ListPendingProgressRequest& request,
                                   v1::ListPendingProgressResponse* response) const;
  absl::Status DecidePendingProgress(const call::CallContext& call,
                                     const v1::DecidePendingProgressRequest& request,
                                     v1::DecidePendingProgressResponse* response) const;
  absl::Status ReverseHoursCredit(const call::CallContext& call,
                                  const v1::ReverseHoursCreditRequest& request,
                                  v1::HoursCredit* response) const;

 private:
  const ProgressService& service_;
  const KioskSync& kiosk_sync_;
  const PendingConfirmation& pending_;
};

}  // namespace lms::progress

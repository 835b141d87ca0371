#pragma once

#include <vector>

#include "lms/v1/progress.pb.h"
#include "services/progress/kiosk_sync.h"
#include "services/progress/offline_evidence.h"
#include "services/progress/progress.h"
#include "services/progress/progress_service.h"

namespace lms::progress {

// Proto <-> domain for lms.v1.ProgressService. No rules here.
[[nodiscard]] std::vector<ProgressEvent> EventsFromProto(const v1::RecordProgressRequest& request);
[[nodiscard]] std::vector<MemberUpload> UploadsFromProto(
    const v1::SyncKioskProgressRequest& request);
void ToProto(const MemberSyncOutcome& outcome, v1::MemberSyncResult* proto);
void ToProto(const PendingRecord& row, v1::PendingEvent* proto);
void ToProto(const RecordOutcome& outcome, v1::RecordProgressResponse* proto);
void ToProto(const LessonProgress& lesson, v1::LessonProgress* proto);
void ToProto(const CourseView& view, v1::CourseProgress* proto);
void ToProto(const CourseView& view, v1::CompletionExplanation* proto);
void ToProto(const HoursSummaryView& view, v1::HoursSummary* proto);
void ToProto(const HoursCredit& credit, v1::HoursCredit* proto);
[[nodiscard]] GrantInput GrantFromProto(const v1::GrantHoursCreditRequest& request);
// The evidence a kiosk sent with a member's offline records (progress, attendance).
[[nodiscard]] UploadedEvidence EvidenceFromProto(const v1::OfflineEvidence& proto);

}  // namespace lms::progress

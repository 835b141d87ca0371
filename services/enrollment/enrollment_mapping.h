#pragma once

#include "lms/v1/enrollment.pb.h"
#include "services/enrollment/enrollment.h"
#include "services/enrollment/enrollment_service.h"
#include "services/enrollment/training_plan.h"

namespace lms::enrollment {

// proto <-> domain for lms.v1.EnrollmentService. Enum numbers are shared, so enums are
// cast; range checks are the service's.
[[nodiscard]] TrainingPlan PlanFromProto(const v1::TrainingPlan& proto);
void ToProto(const TrainingPlan& plan, bool with_content, v1::TrainingPlan* proto);
void ToProto(const PlanVersionInfo& version, v1::PlanVersion* proto);
void ToProto(const Enrollment& enrollment, v1::Enrollment* proto);
void ToProto(const MyLearningView& view, v1::MyLearning* proto);
[[nodiscard]] EnrollMembersInput EnrollMembersFromProto(const v1::EnrollMembersRequest& request);
void ToProto(const EnrollMembersResult& result, v1::EnrollMembersResponse* proto);

}  // namespace lms::enrollment

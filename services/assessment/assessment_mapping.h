#pragma once

#include "lms/v1/assessment.pb.h"
#include "services/assessment/attempt_service.h"
#include "services/assessment/paper.h"
#include "services/assessment/question.h"

namespace lms::assessment {

// Proto <-> domain for lms.v1.AssessmentService. No rules here, except the one that
// matters most: what a member may see. Keys and explanations are written only by the
// functions that say so.

[[nodiscard]] QuestionContent ContentFromProto(const v1::Question& proto);
// A question with its key: admins alone.
void ToProto(const Question& question, v1::Question* proto);

[[nodiscard]] PaperSettings SettingsFromProto(const v1::Paper& proto);
// A paper; `for_admin` adds its questions and rules (members see settings alone).
void ToProto(const Paper& paper, bool for_admin, v1::Paper* proto);
void ToProto(const StandingView& standing, v1::PaperStanding* proto);

[[nodiscard]] Answer AnswerFromProto(const v1::Answer& proto);
void ToProto(int64_t question_id, const Answer& answer, v1::Answer* proto);
[[nodiscard]] AnswerSet AnswersFromProto(
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

// An attempt as its member sees it while answering: no key, no explanation, except the
// practice feedback of questions already answered.
void ToProto(const Attempt& attempt, absl::Time now, v1::Attempt* proto);
// One question's result; with `review`, the answer, the question and its key.
void ToProto(const AttemptQuestion& question, bool review, v1::QuestionResult* proto);
void ToProto(const ResultView& view, v1::AttemptResult* proto);
void ToProto(const Attempt& attempt, v1::AttemptSummary* proto);

}  // namespace lms::assessment

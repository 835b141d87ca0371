#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "common/status/field_errors.h"
#include "services/assessment/paper.h"

namespace lms::assessment {

inline constexpr size_t kMaxPaperTitle = 200;
inline constexpr size_t kMaxPaperDescription = 2000;
inline constexpr size_t kMaxPaperQuestions = 200;
inline constexpr size_t kMaxDrawRules = 20;
inline constexpr int32_t kMaxTypePoints = 100;
inline constexpr int32_t kMinTimeLimitSeconds = 60;
inline constexpr int32_t kMaxTimeLimitSeconds = 24 * 3600;
inline constexpr int32_t kMaxGraceSeconds = 600;
inline constexpr int32_t kMaxAttemptLimit = 100;

// Fills what a request may leave unset: the score policy (best), the review policy
// (after submitting), the grace (60 s).
void ApplyPaperDefaults(PaperSettings& settings);

// Checks a paper's kind, its course or plan, and its settings (after ApplyPaperDefaults),
// adding every violation under `prefix` ("paper."). The pass mark against the total and
// the fixed questions' types are checked where the questions are known.
void CheckPaper(status::FieldErrors& errors, const std::string& prefix, PaperKind kind,
                int64_t course_id, int64_t plan_id, const PaperSettings& settings);

// FAILED_PRECONDITION naming the first setting of a published paper that `next` changes
// beyond its title, description, window and attempt limit.
[[nodiscard]] absl::Status CheckPublishedEdit(const PaperSettings& current,
                                              const PaperSettings& next);

// "single choice, 党章教育 (3), difficulty 2": how a rule is named in messages.
[[nodiscard]] std::string DescribeRule(const DrawRule& rule);

}  // namespace lms::assessment

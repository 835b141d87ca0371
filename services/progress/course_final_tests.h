#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::progress {

// What progress knows of final tests (结业测试): which courses wait for one, and who passed
// it. The assessment service tells it, in its own transaction: a final test published
// (Require) or closed (Release), a member's pass (RecordPass, then CourseCompletion
// completes the course if its lessons are done). A course that requires a test completes
// when its lessons are complete and the test is passed, at the later of the two.
// Stateless; thread-safe.
class CourseFinalTests {
 public:
  [[nodiscard]] absl::Status Require(db::Transaction& tx, int64_t course_id,
                                     int64_t paper_id) const;
  // Ends the requirement of paper `paper_id` (a later paper's requirement stays).
  [[nodiscard]] absl::Status Release(db::Transaction& tx, int64_t course_id,
                                     int64_t paper_id) const;
  // Records a member's pass of a course's final test; the first pass counts.
  [[nodiscard]] absl::Status RecordPass(db::Transaction& tx, int64_t member_id, int64_t course_id,
                                        int64_t paper_id, int64_t attempt_id,
                                        absl::Time pass_time) const;

  // What the test means for a member's completion of the course.
  struct Gate {
    bool required = false;
    // When the member passed, if they did.
    std::optional<absl::Time> pass_time;
  };
  [[nodiscard]] absl::StatusOr<Gate> GateFor(db::Transaction& tx, int64_t member_id,
                                             int64_t course_id) const;
};

}  // namespace lms::progress

#include "services/progress/course_final_tests.h"

#include "common/status/status_macros.h"

namespace lms::progress {
namespace {

constexpr char kRequire[] =
    "INSERT INTO course_final_test (course_id, paper_id) VALUES (?, ?)"
    " ON DUPLICATE KEY UPDATE paper_id = VALUES(paper_id)";
constexpr char kRelease[] = "DELETE FROM course_final_test WHERE course_id = ? AND paper_id = ?";
constexpr char kRecordPass[] =
    "INSERT IGNORE INTO course_test_pass (member_id, course_id, paper_id, attempt_id, pass_time)"
    " VALUES (?, ?, ?, ?, ?)";
// A pass of any final test the course had counts: a test republished as a new paper
// does not make members who passed the old one sit it again.
constexpr char kGate[] =
    "SELECT p.pass_time FROM course_final_test f LEFT JOIN course_test_pass p"
    " ON p.member_id = ? AND p.course_id = f.course_id WHERE f.course_id = ?";

}  // namespace

absl::Status CourseFinalTests::Require(db::Transaction& tx, int64_t course_id,
                                       int64_t paper_id) const {
  return tx.Execute(kRequire, {course_id, paper_id}).status();
}

absl::Status CourseFinalTests::Release(db::Transaction& tx, int64_t course_id,
                                       int64_t paper_id) const {
  return tx.Execute(kRelease, {course_id, paper_id}).status();
}

absl::Status CourseFinalTests::RecordPass(db::Transaction& tx, int64_t member_id, int64_t course_id,
                                          int64_t paper_id, int64_t attempt_id,
                                          absl::Time pass_time) const {
  return tx.Execute(kRecordPass, {member_id, course_id, paper_id, attempt_id, pass_time}).status();
}

absl::StatusOr<CourseFinalTests::Gate> CourseFinalTests::GateFor(db::Transaction& tx,
                                                                 int64_t member_id,
                                                                 int64_t course_id) const {
  Gate gate;
  RETURN_IF_ERROR(tx.Query(kGate, {member_id, course_id}, [&](const db::Row& row) {
    gate.required = true;
    if (!row.IsNull(1)) gate.pass_time = row.Time(1);
  }));
  return gate;
}

}  // namespace lms::progress

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/connection_pool.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "tools/bench/db_loop.h"

namespace lms::bench {

// Rows the enrolment and progress scenarios generate in the database: a branch of their
// own under the root (code BENCH-*), its members (ordinary) and published courses.
// Removed again, with every enrolment, plan, lesson and progress row made on them, by
// DropFixture.
struct EnrollmentFixture {
  int64_t organization_id = 0;
  std::vector<int64_t> member_ids;
  std::vector<int64_t> course_ids;
};

[[nodiscard]] absl::StatusOr<EnrollmentFixture> MakeFixture(db::ConnectionPool& pool,
                                                            const std::string& code, int members,
                                                            int courses);
[[nodiscard]] absl::Status DropFixture(db::ConnectionPool& pool, const EnrollmentFixture& fixture);

// A plan of the fixture's branch for this year requiring every fixture course of ordinary
// members (with `hundredths` hours), created and published through the API as a system
// admin; returns once the background assignment is done, with the plan as it ended.
[[nodiscard]] absl::StatusOr<v1::TrainingPlan> PublishFixturePlan(v1::EnrollmentService::Stub& stub,
                                                                  const std::string& authorization,
                                                                  const EnrollmentFixture& fixture,
                                                                  int64_t hundredths);

// The publish scenario: the bench first inserts the enrolment rows a plan over the
// fixture would create, with 1,000-row INSERT statements (R, the reference), deletes
// them, then publishes such a plan through the server and waits for its assignment (S).
// Prints both rates and S/R; returns non-zero when the run itself failed.
int RunPublishScenario(db::ConnectionPool& pool, v1::EnrollmentService::Stub& stub,
                       const std::string& authorization, int members, int courses);

// The my_learning scenario's pieces: GetMyLearning for each fixture member in turn (as
// a system admin naming the member), and the raw SQL of the same answer for D.
struct MyLearningLoad {
  std::vector<std::string> requests;
  BenchTransaction sql;
  size_t response_bytes = 0;
};
[[nodiscard]] absl::StatusOr<MyLearningLoad> MyLearningFor(v1::EnrollmentService::Stub& stub,
                                                           const std::string& authorization,
                                                           const EnrollmentFixture& fixture);

}  // namespace lms::bench

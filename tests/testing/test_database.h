#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/db/connection_pool.h"
#include "common/db/db_config.h"
#include "common/db/param.h"

namespace lms::testing {

// Where the private MariaDB of deploy/mariadb.sh is, from the environment deploy/test.sh
// sets: LMS_TEST_DB_SOCKET or LMS_TEST_DB_HOST/LMS_TEST_DB_PORT, LMS_TEST_DB_USER,
// LMS_TEST_DB_PASSWORD_FILE. Aborts with a clear message when unset: tests need a real
// database and never pretend to have one.
db::DbConfig TestServerConfig();

// A fresh database for one test suite, migrated to the current schema and dropped when
// destroyed. Suites never share data.
class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> Create(const std::string& suite_name);
  ~TestDatabase();

  const db::DbConfig& config() const { return config_; }
  db::ConnectionPool& pool() { return *pool_; }
  // Runs one statement outside the code under test (setup, and counting rows).
  int64_t CountRows(const std::string& table);
  // The first column of the first row as an integer (-1 when there is no row).
  int64_t QueryInt(const std::string& sql, std::vector<db::Param> params = {});
  // The first column of the first row as text ("" for none or NULL).
  std::string QueryString(const std::string& sql, std::vector<db::Param> params = {});
  void Execute(const std::string& sql);

 private:
  explicit TestDatabase(db::DbConfig config);
  db::DbConfig config_;
  std::unique_ptr<db::ConnectionPool> pool_;
};

// Rows many suites start from: 公司党委 (id 1, code ROOT) with two branches, 甲支部 (2, A)
// and 乙支部 (3, B), and their closure pairs.
void SeedRootAndTwoBranches(TestDatabase& database);

// A published course `course_id` titled `title` with `hundredths` study hours.
void SeedPublishedCourse(TestDatabase& database, int64_t course_id, const std::string& title,
                         int64_t hundredths = 100);

// A draft training plan `plan_id` of `organization_id` for `year` (header and version 0).
void SeedDraftPlan(TestDatabase& database, int64_t plan_id, int64_t organization_id, int year);

// An open enrolment `enrollment_id` of a member in a course, with an admin-assignment
// reason within `organization_id`.
void SeedEnrollment(TestDatabase& database, int64_t enrollment_id, int64_t member_id,
                    int64_t course_id, int64_t organization_id);
// A manual hours credit of `hundredths` for a member in the ledger, counted in the year
// summary as GrantHoursCredit would (year 2026, political theory).
// A scheduled theme Party day of `organization_id` that started an hour ago (sign-in
// open until 30 minutes from now), for tests that only need an activity to name.
void SeedActivity(TestDatabase& database, int64_t activity_id, int64_t organization_id);
// A true/false question of an organisation's bank (answer: true).
void SeedQuestion(TestDatabase& database, int64_t question_id, int64_t organization_id);
// A draft practice quiz of an organisation, fixed to question `paper_id`'s twin if any.
void SeedPaper(TestDatabase& database, int64_t paper_id, int64_t organization_id);
// An open, untimed attempt of a member at a paper, without questions.
void SeedAttempt(TestDatabase& database, int64_t attempt_id, int64_t paper_id, int64_t member_id);
void SeedHoursCredit(TestDatabase& database, int64_t credit_id, int64_t member_id,
                     int64_t hundredths);

}  // namespace lms::testing

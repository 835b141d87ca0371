#include "tests/testing/test_database.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/db/migrator.h"
#include "common/db/run_transaction.h"

namespace lms::testing {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::string(value);
}

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "test database: " << message << "\n";
  std::abort();
}

void RunOrDie(db::ConnectionPool& pool, const std::string& sql) {
  const absl::Status status =
      db::RunTransaction(pool, absl::Now() + absl::Seconds(60),
                         [&](db::Transaction& tx) { return tx.Execute(sql, {}).status(); });
  if (!status.ok()) Fail(absl::StrCat(sql, ": ", status.ToString()));
}

}  // namespace

db::DbConfig TestServerConfig() {
  db::DbConfig config;
  const std::string password_file = Env("LMS_TEST_DB_PASSWORD_FILE", "");
  if (password_file.empty()) {
    Fail("LMS_TEST_DB_PASSWORD_FILE is not set: run the suite with deploy/test.sh");
  }
  std::ifstream in(password_file);
  std::string password;
  std::getline(in, password);
  config.password = std::string(absl::StripAsciiWhitespace(password));
  config.socket = Env("LMS_TEST_DB_SOCKET", "");
  config.host = Env("LMS_TEST_DB_HOST", "127.0.0.1");
  config.port = std::stoi(Env("LMS_TEST_DB_PORT", "3307"));
  config.user = Env("LMS_TEST_DB_USER", "lms_test");
  config.database = Env("LMS_TEST_DB_NAME", "t_admin");
  config.pool_size = 16;
  return config;
}

std::unique_ptr<TestDatabase> TestDatabase::Create(const std::string& suite_name) {
  db::DbConfig server = TestServerConfig();
  std::string name = absl::AsciiStrToLower(
      absl::StrCat("t_", suite_name, "_", getpid(), "_", std::random_device{}() % 100000));
  for (char& c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  name = name.substr(0, 64);
  {
    db::ConnectionPool admin(server);
    // Identifiers cannot be bound parameters; `name` is made of [a-z0-9_] above.
    RunOrDie(admin, absl::StrCat("CREATE DATABASE `", name,
                                 "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"));
  }
  server.database = name;
  auto database = std::unique_ptr<TestDatabase>(new TestDatabase(server));
  const auto applied = db::Migrator(database->pool())
                           .Apply(db::EmbeddedMigrations(), absl::Now() + absl::Seconds(120));
  if (!applied.ok()) Fail(applied.status().ToString());
  return database;
}

TestDatabase::TestDatabase(db::DbConfig config)
    : config_(std::move(config)), pool_(std::make_unique<db::ConnectionPool>(config_)) {}

TestDatabase::~TestDatabase() {
  pool_.reset();
  db::DbConfig server = config_;
  server.database = Env("LMS_TEST_DB_NAME", "t_admin");
  db::ConnectionPool admin(server);
  RunOrDie(admin, absl::StrCat("DROP DATABASE IF EXISTS `", config_.database, "`"));
}

int64_t TestDatabase::CountRows(const std::string& table) {
  return QueryInt(absl::StrCat("SELECT COUNT(*) FROM `", table, "`"));
}

int64_t TestDatabase::QueryInt(const std::string& sql, std::vector<db::Param> params) {
  int64_t result = -1;
  const absl::Status status = db::RunTransaction(*pool_, absl::Now() + absl::Seconds(30),
                                                 [&](db::Transaction& tx) -> absl::Status {
                                                   auto value = tx.QueryInt64(sql, params);
                                                   if (!value.ok()) return value.status();
                                                   result = value->value_or(-1);
                                                   return absl::OkStatus();
                                                 });
  if (!status.ok()) Fail(status.ToString());
  return result;
}

std::string TestDatabase::QueryString(const std::string& sql, std::vector<db::Param> params) {
  std::string result;
  const absl::Status status = db::RunTransaction(
      *pool_, absl::Now() + absl::Seconds(30), [&](db::Transaction& tx) -> absl::Status {
        return tx.Query(sql, params, [&](const db::Row& row) {
          if (result.empty() && !row.IsNull(1)) result = row.String(1);
        });
      });
  if (!status.ok()) Fail(status.ToString());
  return result;
}

void TestDatabase::Execute(const std::string& sql) { RunOrDie(*pool_, sql); }

void SeedRootAndTwoBranches(TestDatabase& database) {
  database.Execute(
      "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
      " update_time) VALUES (1, NULL, '公司党委', 'ROOT', 1, 1, NOW(), NOW()),"
      " (2, 1, '甲支部', 'A', 3, 1, NOW(), NOW()), (3, 1, '乙支部', 'B', 3, 1, NOW(), NOW())");
  database.Execute(
      "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES"
      " (1, 1, 0), (2, 2, 0), (3, 3, 0), (1, 2, 1), (1, 3, 1)");
}

void SeedPublishedCourse(TestDatabase& database, int64_t course_id, const std::string& title,
                         int64_t hundredths) {
  database.Execute(absl::StrCat(
      "INSERT INTO course (id, title, summary, cover_url, content_category, audience_mask,"
      " study_hours_centi, state, version, change_seq, created_by, create_time, update_time,"
      " publish_time) VALUES (",
      course_id, ", '", title, "', '', '', 1, 0, ", hundredths,
      ", 2, 1, 0, 1, NOW(), NOW(), NOW())"));
}

void SeedDraftPlan(TestDatabase& database, int64_t plan_id, int64_t organization_id, int year) {
  database.Execute(absl::StrCat(
      "INSERT INTO training_plan (id, organization_id, year, state, version, created_by,"
      " create_time, update_time) VALUES (",
      plan_id, ", ", organization_id, ", ", year, ", 1, 1, 1, NOW(), NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask, changed_by,"
      " change_time) VALUES (",
      plan_id, ", 0, '计划", plan_id, "', '', 0, 1, NOW())"));
}

void SeedEnrollment(TestDatabase& database, int64_t enrollment_id, int64_t member_id,
                    int64_t course_id, int64_t organization_id) {
  database.Execute(absl::StrCat(
      "INSERT INTO enrollment (id, member_id, course_id, state, required, enroll_time) VALUES (",
      enrollment_id, ", ", member_id, ", ", course_id, ", 1, 1, NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO enrollment_reason (member_id, course_id, kind, organization_id, assigned_by,"
      " since) VALUES (",
      member_id, ", ", course_id, ", 2, ", organization_id, ", 1, NOW())"));
}

void SeedActivity(TestDatabase& database, int64_t activity_id, int64_t organization_id) {
  database.Execute(absl::StrCat(
      "INSERT INTO activity (id, organization_id, kind, state, version, start_time,"
      " sign_in_secret, created_by, create_time, update_time) VALUES (",
      activity_id, ", ", organization_id,
      ", 5, 1, 1, UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, REPEAT('ab', 32), 1, NOW(), NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO activity_version (activity_id, version, title, content_category, description,"
      " location, start_time, end_time, sign_in_open_time, sign_in_close_time,"
      " sign_out_required, lecturer_name, lecturer_title, include_subtree, category_mask,"
      " hours_hundredths, lecturer_hundredths, hours_rule_version, change_reason, changed_by,"
      " change_time) VALUES (",
      activity_id, ", 1, '主题党日", activity_id,
      "', 3, '', '', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, UTC_TIMESTAMP(6) + INTERVAL 1 HOUR,"
      " UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, UTC_TIMESTAMP(6) + INTERVAL 30 MINUTE, 0, '', '',"
      " 0, 0, 200, 0, 0, '', 1, NOW())"));
}

void SeedQuestion(TestDatabase& database, int64_t question_id, int64_t organization_id) {
  database.Execute(absl::StrCat(
      "INSERT INTO question (id, organization_id, type, state, version, content_category,"
      " difficulty, created_by, create_time, update_time) VALUES (",
      question_id, ", ", organization_id, ", 3, 1, 1, 3, 2, 1, NOW(), NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO question_version (question_id, version, stem, options_json,"
      " fixed_option_order, key_json, explanation, content_category, difficulty, tags_json,"
      " last_option_id, changed_by, change_time) VALUES (",
      question_id,
      ", 1, '党章是党的根本大法。', '[]', 0, '{\"truth\":1}', '', 3, 2, '[]', 0, 1,"
      " NOW())"));
}

void SeedPaper(TestDatabase& database, int64_t paper_id, int64_t organization_id) {
  database.Execute(absl::StrCat(
      "INSERT INTO paper (id, organization_id, kind, state, version, title, description,"
      " content_category, shuffle_questions, partial_credit, time_limit_seconds,"
      " grace_seconds, max_attempts, score_policy, review_policy, pass_points, total_points,"
      " hours_hundredths, hours_rule_version, created_by, create_time, update_time) VALUES (",
      paper_id, ", ", organization_id,
      ", 3, 1, 1, '党章练习', '', 3, 0, 0, 0, 60, 0, 1, 1, 1, 1, 0, 0, 1, NOW(), NOW())"));
}

void SeedAttempt(TestDatabase& database, int64_t attempt_id, int64_t paper_id, int64_t member_id) {
  database.Execute(absl::StrCat(
      "INSERT INTO attempt (id, paper_id, member_id, number, paper_kind, state, paper_version,"
      " start_time, grace_seconds, total_points, pass_points) VALUES (",
      attempt_id, ", ", paper_id, ", ", member_id, ", 1, 3, 1, 1, NOW(), 60, 1, 1)"));
}

void SeedHoursCredit(TestDatabase& database, int64_t credit_id, int64_t member_id,
                     int64_t hundredths) {
  database.Execute(absl::StrCat(
      "INSERT INTO hours_credit (id, member_id, source, summary_source, source_key, source_id,"
      " title, year, hundredths, content_category, rule_version, actor_member_id, reason,"
      " happen_time, record_time) VALUES (",
      credit_id, ", ", member_id, ", 5, 5, 'manual:seed:", credit_id, "', 0, '党校培训', 2026, ",
      hundredths, ", 1, 0, 1, '党校结业', '2026-05-01', NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO member_year_hours (member_id, year, source, content_category, hundredths)"
      " VALUES (",
      member_id, ", 2026, 5, 1, ", hundredths,
      ") ON DUPLICATE KEY UPDATE hundredths = hundredths + VALUES(hundredths)"));
}

}  // namespace lms::testing

#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_database.h"

namespace lms::testing {

// The parent history of SeedRootAndTwoBranches' tree, in place since 2020.
inline void SeedTreeHistory(TestDatabase& database) {
  database.Execute(
      "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
      " changed_by) VALUES (1, NULL, '2020-01-01', 1), (2, 1, '2020-01-01', 1),"
      " (3, 1, '2020-01-01', 1)");
}

// An active member of `organization` since `since` (a date), holding the categories of
// `mask` since then, with its assignment, status and category histories.
inline void SeedMemberSince(TestDatabase& database, int64_t id, int64_t organization, int64_t mask,
                            const std::string& since, const std::string& join_date = "2010-07-01") {
  database.Execute(absl::StrCat(
      "INSERT INTO member (id, name, member_number, organization_id, category_mask, join_date,"
      " status, version, create_time, update_time) VALUES (",
      id, ", '党员", id, "', 'SM", id, "', ", organization, ", ", mask, ", '", join_date,
      "', 1, 1, NOW(), NOW())"));
  database.Execute(absl::StrCat(
      "INSERT INTO member_assignment (member_id, organization_id, valid_from) VALUES (", id, ", ",
      organization, ", '", since, "')"));
  database.Execute(
      absl::StrCat("INSERT INTO member_status_history (member_id, status, valid_from) VALUES (", id,
                   ", 1, '", since, "')"));
  for (int category = 1; category <= 6; ++category) {
    if ((mask & (int64_t{1} << category)) == 0) continue;
    database.Execute(absl::StrCat(
        "INSERT INTO member_category_history (member_id, category, valid_from) VALUES (", id, ", ",
        category, ", '", since, "')"));
  }
}

// A manual credit to `member` for 2026 of `hundredths`, keyed `source_key`, that happened
// at `happen` and was recorded at `recorded` (UTC "YYYY-MM-DD hh:mm:ss").
inline void SeedCredit(TestDatabase& database, int64_t member, const std::string& source_key,
                       int64_t hundredths, const std::string& happen, const std::string& recorded) {
  database.Execute(absl::StrCat(
      "INSERT INTO hours_credit (member_id, source, summary_source, source_key, source_id,"
      " title, year, hundredths, content_category, rule_version, actor_member_id, reason,"
      " happen_time, record_time) VALUES (",
      member, ", 5, 5, '", source_key, "', 0, '补录', 2026, ", hundredths, ", 1, 0, 1, '补录', '",
      happen, "', '", recorded, "')"));
}

// The small hand-made site whose every figure the statistics tests know: the committee
// (1) and its branches 甲 (2) and 乙 (3); members 501, 502 (ordinary, A) and 503
// (ordinary and secretary, B), 501 A's admin; the committee's plan 920 (32 h and course
// 3001 by 30 June) and B's 921 (40 h), a draft 922 for 2027; 501 with 33 h and the course
// completed, 502 with 10 h stopped in lesson 31, 503 with nothing; A's theme Party day in
// March; the final test of 3001 (501 passed 80, 502 failed 40).
inline void SeedKnownStatisticsSite(TestDatabase& db) {
  SeedRootAndTwoBranches(db);
  SeedTreeHistory(db);
  SeedPublishedCourse(db, 3001, "党章");
  db.Execute(
      "INSERT INTO lesson (id, course_id, position, title, kind, body) VALUES"
      " (31, 3001, 1, '第一章 党员', 1, ''), (32, 3001, 2, '第二章 组织制度', 1, '')");
  // 501 and 502 ordinary members of A; 503 ordinary member and secretary of B.
  SeedMemberSince(db, 501, 2, 2, "2020-01-01");
  SeedMemberSince(db, 502, 2, 2, "2020-01-01");
  SeedMemberSince(db, 503, 3, 10, "2020-01-01");
  // 501 is A's admin.
  db.Execute("INSERT INTO admin_grant (member_id, role, organization_id) VALUES (501, 3, 2)");
  // The committee's plan: 32 h and course 3001 by 30 June for ordinary members.
  db.Execute(
      "INSERT INTO training_plan (id, organization_id, year, state, version,"
      " published_version, created_by, create_time, update_time) VALUES"
      " (920, 1, 2026, 2, 2, 1, 1, NOW(), NOW()), (921, 3, 2026, 2, 2, 1, 1, NOW(), NOW())");
  SeedDraftPlan(db, 922, 1, 2027);
  db.Execute(
      "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
      " effective_date, changed_by, change_time) VALUES"
      " (920, 1, '党委计划', '', 0, '2026-01-05', 1, NOW()),"
      " (921, 1, '乙支部计划', '', 0, '2026-01-05', 1, NOW())");
  db.Execute(
      "INSERT INTO plan_category (plan_id, plan_version, category, required_hundredths)"
      " VALUES (920, 1, 1, 3200), (921, 1, 1, 4000)");
  db.Execute(
      "INSERT INTO plan_course (plan_id, plan_version, category, course_id, required,"
      " due_date, position) VALUES (920, 1, 1, 3001, 1, '2026-06-30', 1)");
  db.Execute(
      "INSERT INTO enrollment (id, member_id, course_id, state, required, enroll_time) VALUES"
      " (1, 501, 3001, 3, 1, '2026-01-10 02:00:00'), (2, 502, 3001, 2, 1,"
      " '2026-01-10 02:00:00'), (3, 503, 3001, 1, 1, '2026-01-10 02:00:00')");
  // 501: 33 h in March, the course completed on 1 May; 502: 10 h, stopped in lesson 31.
  SeedCredit(db, 501, "manual:1", 3300, "2026-03-01 02:00:00", "2026-03-01 02:00:00");
  SeedCredit(db, 502, "manual:2", 1000, "2026-03-01 02:00:00", "2026-03-01 02:00:00");
  db.Execute(
      "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id, sequence,"
      " occur_time, sent_time, receive_time, happen_time, from_position, to_position,"
      " active_seconds, credited_ms, rule_version) VALUES"
      " (501, 'a', 32, 'd', 1, '2026-04-01 02:00:00', '2026-04-01 02:00:00',"
      "  '2026-04-01 02:00:00', '2026-04-01 02:00:00', 0, 120, 120, 120000, 0),"
      " (502, 'b', 31, 'd', 1, '2026-04-01 02:00:00', '2026-04-01 02:00:00',"
      "  '2026-04-01 02:00:00', '2026-04-01 02:00:00', 0, 60, 60, 60000, 0)");
  db.Execute(
      "INSERT INTO course_progress (member_id, course_id, state, lessons_completed,"
      " completion_time) VALUES (501, 3001, 2, 2, '2026-05-01 02:00:00')");
  // A's theme Party day in March, closed: two targeted, one present.
  db.Execute(
      "INSERT INTO activity (id, organization_id, kind, state, version, start_time,"
      " sign_in_secret, created_by, create_time, update_time, targeted_count) VALUES"
      " (61, 2, 5, 3, 1, '2026-03-10 01:00:00', REPEAT('ab', 32), 1, NOW(), NOW(), 2)");
  db.Execute(
      "INSERT INTO activity_attendance (activity_id, member_id, status, sign_in_method,"
      " sign_in_time, update_time) VALUES (61, 501, 1, 1, '2026-03-10 01:05:00', NOW())");
  // The final test of 3001: 501 passed with 80 of 100, 502 failed with 40.
  db.Execute(
      "INSERT INTO paper (id, organization_id, kind, state, version, title, description,"
      " content_category, course_id, shuffle_questions, partial_credit, time_limit_seconds,"
      " grace_seconds, max_attempts, score_policy, review_policy, pass_points, total_points,"
      " hours_hundredths, hours_rule_version, created_by, create_time, update_time) VALUES"
      " (81, 1, 1, 2, 1, '党章结业测试', '', 3, 3001, 0, 0, 0, 60, 3, 1, 1, 60, 100, 0, 0, 1,"
      " NOW(), NOW())");
  SeedQuestion(db, 7001, 1);
  db.Execute(
      "INSERT INTO attempt (id, paper_id, member_id, number, paper_kind, state, paper_version,"
      " start_time, grace_seconds, total_points, pass_points, points, passed, submit_time)"
      " VALUES (91, 81, 501, 1, 1, 2, 1, '2026-04-20 02:00:00', 60, 100, 60, 80, 1,"
      " '2026-04-20 02:30:00'), (92, 81, 502, 1, 1, 2, 1, '2026-04-20 02:00:00', 60, 100, 60,"
      " 40, 0, '2026-04-20 02:30:00')");
  db.Execute(
      "INSERT INTO attempt_question (attempt_id, position, question_id, question_version,"
      " points, option_order, correct) VALUES (91, 1, 7001, 1, 10, '', 1),"
      " (92, 1, 7001, 1, 10, '', 0)");
}

}  // namespace lms::testing

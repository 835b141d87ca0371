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

}  // namespace lms::testing

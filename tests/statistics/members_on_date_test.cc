// The tree and the members as they stood on a day, against a real database: a group moved
// from one branch to another at noon, a branch created later, a member transferred, one
// who joined later, one who left, a category change; each day counts what held at its end.
#include "services/statistics/members_on_date.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "common/db/run_transaction.h"
#include "services/statistics/tree_on_date.h"
#include "tests/testing/test_database.h"

namespace lms::statistics {
namespace {

using Members = std::vector<std::tuple<int64_t, int64_t, int64_t>>;

constexpr int64_t kOrdinary = int64_t{1} << 1;
constexpr int64_t kSecretary = int64_t{1} << 3;

class MembersOnDateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = testing::TestDatabase::Create("members_on_date").release();
    testing::SeedRootAndTwoBranches(*database_);
    database_->Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (4, 3, '甲一党小组', 'A1', 4, 1, NOW(), NOW()),"
        " (5, 1, '新支部', 'N', 3, 1, NOW(), NOW())");
    // Group 4 sat under branch A until 2026-03-10 12:00 China time (04:00 UTC), then
    // under branch B; branch 5 was founded on 2026-06-01 at 09:00 China time.
    database_->Execute(
        "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
        " valid_to, changed_by) VALUES (1, NULL, '2020-01-01', NULL, 1),"
        " (2, 1, '2020-01-01', NULL, 1), (3, 1, '2020-01-01', NULL, 1),"
        " (4, 2, '2020-01-01', '2026-03-10 04:00:00', 1), (4, 3, '2026-03-10 04:00:00', NULL, 1),"
        " (5, 1, '2026-06-01 01:00:00', NULL, 1)");
    database_->Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (101, '张', 'S101', 4, 8, 1, 1, NOW(),"
        " NOW()), (102, '李', 'S102', 3, 2, 1, 1, NOW(), NOW()), (103, '王', 'S103', 3, 0, 1,"
        " 1, NOW(), NOW()), (104, '赵', 'S104', 2, 2, 3, 1, NOW(), NOW())");
    // 102 moved from branch A to branch B on 2026-05-01; 103 joined on 2026-07-01.
    database_->Execute(
        "INSERT INTO member_assignment (member_id, organization_id, valid_from, valid_to) VALUES"
        " (101, 4, '2025-01-01', NULL), (102, 2, '2025-01-01', '2026-04-30'),"
        " (102, 3, '2026-05-01', NULL), (103, 3, '2026-07-01', NULL),"
        " (104, 2, '2025-01-01', NULL)");
    // 104 left on 2026-08-01 (inactive from that day; still assigned).
    database_->Execute(
        "INSERT INTO member_status_history (member_id, status, valid_from, valid_to) VALUES"
        " (101, 1, '2025-01-01', NULL), (102, 1, '2025-01-01', NULL),"
        " (103, 1, '2026-07-01', NULL), (104, 1, '2025-01-01', '2026-07-31'),"
        " (104, 3, '2026-08-01', NULL)");
    // 101 was an ordinary member until 2026-02-28 and branch secretary from 2026-03-01.
    database_->Execute(
        "INSERT INTO member_category_history (member_id, category, valid_from, valid_to) VALUES"
        " (101, 1, '2025-01-01', '2026-02-28'), (101, 3, '2026-03-01', NULL),"
        " (102, 1, '2025-01-01', NULL), (104, 1, '2025-01-01', NULL)");
  }
  static void TearDownTestSuite() { delete database_; }

  static TreeOnDate Tree(absl::CivilDay day) {
    absl::StatusOr<TreeOnDate> tree = db::RunTransactionFor<TreeOnDate>(
        database_->pool(), absl::Now() + absl::Seconds(10),
        [&](db::Transaction& tx) { return TreeOnDate::Load(tx, day); });
    EXPECT_TRUE(tree.ok()) << tree.status();
    return *tree;
  }
  // The members of `root`'s subtree on `day`: (member, organisation, categories).
  static Members Of(int64_t root, absl::CivilDay day) {
    const std::vector<int64_t> subtree = Tree(day).Subtree(root);
    absl::StatusOr<std::vector<MemberOnDate>> members =
        db::RunTransactionFor<std::vector<MemberOnDate>>(
            database_->pool(), absl::Now() + absl::Seconds(10),
            [&](db::Transaction& tx) { return MembersOnDate(tx, subtree, day); });
    EXPECT_TRUE(members.ok()) << members.status();
    Members out;
    for (const MemberOnDate& member : *members) {
      out.emplace_back(member.member_id, member.organization_id, member.category_mask);
    }
    return out;
  }

  static testing::TestDatabase* database_;
};
testing::TestDatabase* MembersOnDateTest::database_ = nullptr;

TEST_F(MembersOnDateTest, TheTreeIsTheOneThatStoodAtTheEndOfTheDay) {
  const TreeOnDate before = Tree(absl::CivilDay(2026, 3, 9));
  EXPECT_EQ(before.Subtree(2), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(before.Subtree(3), (std::vector<int64_t>{3}));
  EXPECT_EQ(before.BranchUnder(1, 4), 2);
  EXPECT_EQ(before.Parent(4), 2);
  // Moved at noon: at the end of that day it stands under branch B.
  const TreeOnDate after = Tree(absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(after.Subtree(2), (std::vector<int64_t>{2}));
  EXPECT_EQ(after.Subtree(3), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(after.BranchUnder(1, 4), 3);
  EXPECT_EQ(after.BranchUnder(1, 1), 1);
  EXPECT_EQ(after.BranchUnder(2, 4), 0);
  EXPECT_EQ(after.Children(1), (std::vector<int64_t>{2, 3}));
  // Branch 5 did not exist before its founding day.
  EXPECT_FALSE(Tree(absl::CivilDay(2026, 5, 31)).Exists(5));
  EXPECT_TRUE(Tree(absl::CivilDay(2026, 5, 31)).Subtree(5).empty());
  EXPECT_EQ(Tree(absl::CivilDay(2026, 6, 1)).Subtree(1), (std::vector<int64_t>{1, 2, 3, 5, 4}));
}

TEST_F(MembersOnDateTest, MembersCountWhereTheyBelongedWithTheCategoriesTheyHeld) {
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 2, 1)),
            (Members{{101, 4, kOrdinary}, {102, 2, kOrdinary}, {104, 2, kOrdinary}}));
  // The category changed on 1 March; the group moved on 10 March.
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 3, 9)),
            (Members{{101, 4, kSecretary}, {102, 2, kOrdinary}, {104, 2, kOrdinary}}));
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 3, 15)),
            (Members{{102, 2, kOrdinary}, {104, 2, kOrdinary}}));
  EXPECT_EQ(Of(3, absl::CivilDay(2026, 3, 15)), (Members{{101, 4, kSecretary}}));
  // Transferred on 1 May: branch A's until 30 April, branch B's from 1 May.
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 4, 30)),
            (Members{{102, 2, kOrdinary}, {104, 2, kOrdinary}}));
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 5, 1)), (Members{{104, 2, kOrdinary}}));
  EXPECT_EQ(Of(3, absl::CivilDay(2026, 5, 1)),
            (Members{{101, 4, kSecretary}, {102, 3, kOrdinary}}));
  // Joined on 1 July, with no category recorded.
  EXPECT_EQ(Of(1, absl::CivilDay(2026, 6, 30)).size(), 3u);
  EXPECT_EQ(Of(1, absl::CivilDay(2026, 7, 1)),
            (Members{{101, 4, kSecretary}, {102, 3, kOrdinary}, {103, 3, 0}, {104, 2, kOrdinary}}));
  // Left on 1 August: counted on 31 July, not from that day.
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 7, 31)), (Members{{104, 2, kOrdinary}}));
  EXPECT_EQ(Of(2, absl::CivilDay(2026, 8, 1)), Members{});
  // Before anyone was assigned, and in an organisation that did not exist yet.
  EXPECT_EQ(Of(1, absl::CivilDay(2024, 12, 31)), Members{});
  EXPECT_EQ(Of(5, absl::CivilDay(2026, 5, 1)), Members{});
}

}  // namespace
}  // namespace lms::statistics

// The organisation tree and members through a real gRPC channel against a real database:
// tree building, subtree moves with history, closing, members, search, transfers, and the
// subtree half of authorization.

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/db/migration.h"
#include "common/time/china_time.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::organization {
namespace {

using auth::Role;

constexpr grpc::StatusCode kOk = grpc::StatusCode::OK;

class OrganizationApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("organization_api");
    root_ = MustCreate(0, "公司党委", "ROOT", v1::ORGANIZATION_KIND_COMMITTEE);
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string SystemAdmin() { return server_->Token(Role::kSystemAdmin, 1, root_.id()); }
  static std::string AdminOf(int64_t organization_id) {
    return server_->Token(Role::kOrgAdmin, 1, organization_id);
  }

  static grpc::Status Create(const std::string& token, int64_t parent_id, const std::string& name,
                             const std::string& code, v1::OrganizationKind kind,
                             v1::Organization* created, const std::string& request_id = "") {
    v1::CreateOrganizationRequest request;
    request.set_request_id(request_id);
    request.mutable_organization()->set_parent_id(parent_id);
    request.mutable_organization()->set_name(name);
    request.mutable_organization()->set_code(code);
    request.mutable_organization()->set_kind(kind);
    return server_->organizations().CreateOrganization(server_->Context(token).get(), request,
                                                       created);
  }

  static v1::Organization MustCreate(int64_t parent_id, const std::string& name,
                                     const std::string& code, v1::OrganizationKind kind) {
    v1::Organization created;
    const grpc::Status status =
        Create(server_->Token(Role::kSystemAdmin, 1, 1), parent_id, name, code, kind, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  static grpc::Status Get(const std::string& token, int64_t id, v1::Organization* found) {
    v1::GetOrganizationRequest request;
    request.set_organization_id(id);
    return server_->organizations().GetOrganization(server_->Context(token).get(), request, found);
  }

  static grpc::Status Move(const std::string& token, const v1::Organization& moved,
                           int64_t new_parent_id, v1::Organization* result) {
    v1::MoveOrganizationRequest request;
    request.set_organization_id(moved.id());
    request.set_new_parent_id(new_parent_id);
    request.set_expected_version(moved.version());
    return server_->organizations().MoveOrganization(server_->Context(token).get(), request,
                                                     result);
  }

  static v1::Member SampleMember(const std::string& name, const std::string& number,
                                 int64_t organization_id) {
    v1::Member member;
    member.set_name(name);
    member.set_member_number(number);
    member.set_organization_id(organization_id);
    member.add_categories(v1::MEMBER_CATEGORY_ORDINARY);
    member.mutable_join_date()->set_year(2010);
    member.mutable_join_date()->set_month(7);
    member.mutable_join_date()->set_day(1);
    return member;
  }

  static grpc::Status CreateMember(const std::string& token, const v1::Member& member,
                                   v1::Member* created, const std::string& request_id = "") {
    v1::CreateMemberRequest request;
    request.set_request_id(request_id);
    *request.mutable_member() = member;
    return server_->organizations().CreateMember(server_->Context(token).get(), request, created);
  }

  static v1::Member MustCreateMember(const std::string& name, const std::string& number,
                                     int64_t organization_id) {
    v1::Member created;
    const grpc::Status status =
        CreateMember(SystemAdmin(), SampleMember(name, number, organization_id), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  // Reads a member, applies `edit` and writes it back as a system admin, expecting OK.
  static void EditMember(int64_t id, const std::function<void(v1::Member&)>& edit) {
    v1::Member current;
    EXPECT_EQ(GetMember(SystemAdmin(), id, &current).error_code(), grpc::StatusCode::OK);
    v1::UpdateMemberRequest update;
    *update.mutable_member() = current;
    edit(*update.mutable_member());
    update.set_expected_version(current.version());
    v1::Member updated;
    EXPECT_EQ(server_->organizations()
                  .UpdateMember(server_->Context(SystemAdmin()).get(), update, &updated)
                  .error_code(),
              grpc::StatusCode::OK);
  }
  static grpc::Status GetMember(const std::string& token, int64_t id, v1::Member* found) {
    v1::GetMemberRequest request;
    request.set_member_id(id);
    return server_->organizations().GetMember(server_->Context(token).get(), request, found);
  }

  static std::vector<int64_t> ListMemberIds(const std::string& token,
                                            v1::ListMembersRequest request) {
    std::vector<int64_t> ids;
    do {
      v1::ListMembersResponse response;
      const grpc::Status status =
          server_->organizations().ListMembers(server_->Context(token).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& member : response.members()) ids.push_back(member.id());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return ids;
  }

  static testing::TestServer* server_;
  static v1::Organization root_;
};

testing::TestServer* OrganizationApiTest::server_ = nullptr;
v1::Organization OrganizationApiTest::root_;

TEST_F(OrganizationApiTest, TreeHasOneRootAndPathsRunFromIt) {
  const v1::Organization general =
      MustCreate(root_.id(), "机关党总支", "T1-GB", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization branch =
      MustCreate(general.id(), "第一党支部", "T1-B", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization group =
      MustCreate(branch.id(), "第一党小组", "T1-G", v1::ORGANIZATION_KIND_GROUP);
  EXPECT_EQ(group.parent_id(), branch.id());
  EXPECT_EQ(std::vector<int64_t>(group.path().begin(), group.path().end()),
            (std::vector<int64_t>{root_.id(), general.id(), branch.id(), group.id()}));
  EXPECT_EQ(group.version(), 1);

  v1::Organization second_root;
  EXPECT_EQ(Create(SystemAdmin(), 0, "另一个党委", "T1-ROOT2", v1::ORGANIZATION_KIND_COMMITTEE,
                   &second_root)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Organization duplicate;
  EXPECT_EQ(
      Create(SystemAdmin(), root_.id(), "重复", "T1-GB", v1::ORGANIZATION_KIND_BRANCH, &duplicate)
          .error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(OrganizationApiTest, RetriedCreateReturnsTheFirstOrganisation) {
  v1::Organization first;
  v1::Organization second;
  ASSERT_EQ(Create(SystemAdmin(), root_.id(), "重试党支部", "T2-B", v1::ORGANIZATION_KIND_BRANCH,
                   &first, "retry-create-org-1")
                .error_code(),
            kOk);
  ASSERT_EQ(Create(SystemAdmin(), root_.id(), "重试党支部", "T2-B", v1::ORGANIZATION_KIND_BRANCH,
                   &second, "retry-create-org-1")
                .error_code(),
            kOk);
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM organization WHERE code = 'T2-B'"),
            1);
}

TEST_F(OrganizationApiTest, MovingASubtreeRewritesPathsAndKeepsHistory) {
  const v1::Organization from =
      MustCreate(root_.id(), "甲总支", "T3-A", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization to =
      MustCreate(root_.id(), "乙总支", "T3-B", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization branch =
      MustCreate(from.id(), "丙支部", "T3-C", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization group =
      MustCreate(branch.id(), "丁小组", "T3-D", v1::ORGANIZATION_KIND_GROUP);

  v1::Organization moved;
  ASSERT_EQ(Move(SystemAdmin(), branch, to.id(), &moved).error_code(), kOk);
  EXPECT_EQ(moved.parent_id(), to.id());
  EXPECT_EQ(moved.version(), branch.version() + 1);
  v1::Organization group_now;
  ASSERT_EQ(Get(SystemAdmin(), group.id(), &group_now).error_code(), kOk);
  EXPECT_EQ(std::vector<int64_t>(group_now.path().begin(), group_now.path().end()),
            (std::vector<int64_t>{root_.id(), to.id(), branch.id(), group.id()}));
  // The closure table holds no pair linking the old parent to the moved subtree.
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM organization_closure WHERE ancestor_id = ?", {from.id()}),
            1);
  // History: the first parent's interval is closed, the new one open.
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM organization_parent_history WHERE organization_id = ?"
                " AND parent_id = ? AND valid_to IS NOT NULL",
                {branch.id(), from.id()}),
            1);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM organization_parent_history WHERE organization_id = ?"
                " AND parent_id = ? AND valid_to IS NULL",
                {branch.id(), to.id()}),
            1);

  // Under itself or its own subtree: refused, nothing changed.
  v1::Organization refused;
  EXPECT_EQ(Move(SystemAdmin(), moved, group.id(), &refused).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Move(SystemAdmin(), moved, moved.id(), &refused).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // From a stale copy: ABORTED.
  EXPECT_EQ(Move(SystemAdmin(), branch, from.id(), &refused).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(OrganizationApiTest, AdminOfOneBranchCannotReachAnother) {
  const v1::Organization a =
      MustCreate(root_.id(), "A总支", "T4-A", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization b =
      MustCreate(root_.id(), "B总支", "T4-B", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization a_branch =
      MustCreate(a.id(), "A支部", "T4-A1", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Member in_b = MustCreateMember("李四", "T4-M-B", b.id());

  v1::Organization found;
  EXPECT_EQ(Get(AdminOf(a.id()), a_branch.id(), &found).error_code(), kOk);
  EXPECT_EQ(Get(AdminOf(a.id()), b.id(), &found).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::Organization created;
  EXPECT_EQ(
      Create(AdminOf(a.id()), a.id(), "A新支部", "T4-A2", v1::ORGANIZATION_KIND_BRANCH, &created)
          .error_code(),
      kOk);
  EXPECT_EQ(
      Create(AdminOf(a.id()), b.id(), "越权支部", "T4-B9", v1::ORGANIZATION_KIND_BRANCH, &created)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::Member member;
  EXPECT_EQ(GetMember(AdminOf(a.id()), in_b.id(), &member).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      CreateMember(AdminOf(a.id()), SampleMember("越权", "T4-M-X", b.id()), &member).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      server_->database().QueryInt("SELECT COUNT(*) FROM member WHERE member_number = 'T4-M-X'"),
      0);
  // Unknown ids are NOT_FOUND, not a hint about the rest of the tree.
  EXPECT_EQ(Get(AdminOf(a.id()), 987654321, &found).error_code(), grpc::StatusCode::NOT_FOUND);
  // An admin cannot move or close its own organisation out from under itself.
  v1::Organization moved;
  EXPECT_EQ(Move(AdminOf(a.id()), a, b.id(), &moved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganizationApiTest, MovingASubtreeChangesWhatAnAdminMayReachAtOnce) {
  const v1::Organization a =
      MustCreate(root_.id(), "迁出总支", "T5-A", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization b =
      MustCreate(root_.id(), "迁入总支", "T5-B", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization branch =
      MustCreate(a.id(), "流动支部", "T5-C", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Member member = MustCreateMember("赵六", "T5-M", branch.id());
  v1::Organization found;
  v1::Member found_member;
  ASSERT_EQ(Get(AdminOf(a.id()), branch.id(), &found).error_code(), kOk);
  ASSERT_EQ(GetMember(AdminOf(a.id()), member.id(), &found_member).error_code(), kOk);
  ASSERT_EQ(Get(AdminOf(b.id()), branch.id(), &found).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::Organization moved;
  ASSERT_EQ(Move(SystemAdmin(), branch, b.id(), &moved).error_code(), kOk);
  // The very next calls, with the same tokens, see the new tree.
  EXPECT_EQ(Get(AdminOf(a.id()), branch.id(), &found).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetMember(AdminOf(a.id()), member.id(), &found_member).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get(AdminOf(b.id()), branch.id(), &found).error_code(), kOk);
  EXPECT_EQ(GetMember(AdminOf(b.id()), member.id(), &found_member).error_code(), kOk);
}

TEST_F(OrganizationApiTest, ARetryRecordedBeforeTheScopeUpgradeStillGetsItsFirstOutcome) {
  // Before migration 0004 a scope was the bare method name; the migration rewrites it to
  // the RPC's full name, which is what the write path now looks for.
  const v1::Organization first =
      MustCreate(root_.id(), "升级前支部", "UPG-1", v1::ORGANIZATION_KIND_BRANCH);
  auto& db = server_->database();
  db.Execute(
      absl::StrCat("INSERT INTO request_log (scope, request_id, result_id, created_at) VALUES"
                   " ('CreateOrganization/4:1:0', 'before-upgrade', ",
                   first.id(), ", NOW(6))"));
  for (const db::Migration& migration : db::EmbeddedMigrations()) {
    if (migration.version != 4) continue;
    for (const std::string& statement : db::SplitStatements(migration.sql)) db.Execute(statement);
  }
  const int64_t organizations = db.CountRows("organization");
  v1::Organization retried;
  ASSERT_EQ(Create(server_->Token(Role::kSystemAdmin, 1, 1), root_.id(), "升级前支部", "UPG-1",
                   v1::ORGANIZATION_KIND_BRANCH, &retried, "before-upgrade")
                .error_code(),
            kOk);
  EXPECT_EQ(retried.id(), first.id());
  EXPECT_EQ(db.CountRows("organization"), organizations);
}

TEST_F(OrganizationApiTest, TheCategoryHistoryMigrationStartsFromEachMembersFirstDay) {
  // A member as migration 0007 finds them: categories in the mask, no history yet.
  const v1::Member member = MustCreateMember("迁移前党员", "UPG-CAT-1", root_.id());
  auto& db = server_->database();
  db.Execute(absl::StrCat("DELETE FROM member_category_history WHERE member_id = ", member.id()));
  db.Execute(absl::StrCat("UPDATE member SET category_mask = ",
                          (1 << v1::MEMBER_CATEGORY_ORDINARY) | (1 << v1::MEMBER_CATEGORY_MOBILE),
                          " WHERE id = ", member.id()));
  db.Execute(absl::StrCat(
      "UPDATE member_assignment SET valid_from = '2015-03-01' WHERE member_id = ", member.id()));
  for (const db::Migration& migration : db::EmbeddedMigrations()) {
    if (migration.version != 7) continue;
    for (const std::string& statement : db::SplitStatements(migration.sql)) db.Execute(statement);
  }
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM member_category_history WHERE member_id = ?"
                        " AND valid_from = '2015-03-01' AND valid_to IS NULL",
                        {member.id()}),
            2);
}

TEST_F(OrganizationApiTest, TheStatusHistoryMigrationDatesALeaverByTheLastChange) {
  // Members as migration 0018 finds them: a status, no history yet.
  const v1::Member staying = MustCreateMember("迁移前在册", "UPG-STA-1", root_.id());
  const v1::Member leaver = MustCreateMember("迁移前转出", "UPG-STA-2", root_.id());
  auto& db = server_->database();
  for (const int64_t id : {staying.id(), leaver.id()}) {
    db.Execute(absl::StrCat("DELETE FROM member_status_history WHERE member_id = ", id));
    db.Execute(absl::StrCat(
        "UPDATE member_assignment SET valid_from = '2015-03-01' WHERE member_id = ", id));
  }
  // Last changed at 20:00 UTC on 10 May: 11 May in China.
  db.Execute(
      absl::StrCat("UPDATE member SET status = 2, update_time = '2026-05-10 20:00:00'"
                   " WHERE id = ",
                   leaver.id()));
  for (const db::Migration& migration : db::EmbeddedMigrations()) {
    if (migration.version != 18) continue;
    for (const std::string& statement : db::SplitStatements(migration.sql)) db.Execute(statement);
  }
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM member_status_history WHERE member_id = ?"
                        " AND status = 1 AND valid_from = '2015-03-01' AND valid_to IS NULL",
                        {staying.id()}),
            1);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM member_status_history WHERE member_id = ?"
                        " AND status = 1 AND valid_from = '2015-03-01' AND valid_to = '2026-05-10'",
                        {leaver.id()}),
            1);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM member_status_history WHERE member_id = ?"
                        " AND status = 2 AND valid_from = '2026-05-11' AND valid_to IS NULL",
                        {leaver.id()}),
            1);
}

TEST_F(OrganizationApiTest, AScopedWriteHoldsItsDecisionUntilCommit) {
  const v1::Organization a =
      MustCreate(root_.id(), "持锁甲总支", "T15-A", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization b =
      MustCreate(root_.id(), "持锁乙总支", "T15-B", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization x = MustCreate(a.id(), "持锁支部", "T15-X", v1::ORGANIZATION_KIND_BRANCH);
  auth::Caller admin_a;
  admin_a.role = Role::kOrgAdmin;
  admin_a.member_id = 1;
  admin_a.organization_id = a.id();
  const std::vector<auth::ScopedId> target = {{auth::ScopeKind::kOrganization, x.id()}};
  {
    // A write of admin A on X is in flight: it holds its decision...
    absl::StatusOr<db::Transaction> write =
        server_->runtime().pool().Begin(absl::Now() + absl::Seconds(10));
    ASSERT_TRUE(write.ok());
    ASSERT_TRUE(server_->runtime().scope_checker().Hold(*write, admin_a, target).ok());
    // ...so moving X out of A's subtree waits for it (here until the move's deadline).
    v1::MoveOrganizationRequest move;
    move.set_organization_id(x.id());
    move.set_new_parent_id(b.id());
    move.set_expected_version(x.version());
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", SystemAdmin()));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
    v1::Organization moved;
    EXPECT_FALSE(server_->organizations().MoveOrganization(&context, move, &moved).ok());
    v1::Organization still;
    ASSERT_EQ(Get(SystemAdmin(), x.id(), &still).error_code(), kOk);
    EXPECT_EQ(still.parent_id(), a.id());
  }  // The write ends (rolled back here); the move may proceed.
  v1::Organization moved;
  ASSERT_EQ(Move(SystemAdmin(), x, b.id(), &moved).error_code(), kOk);
  absl::StatusOr<db::Transaction> later =
      server_->runtime().pool().Begin(absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(server_->runtime().scope_checker().Hold(*later, admin_a, target).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(OrganizationApiTest, OnlyAnEmptyOrganisationCloses) {
  const v1::Organization parent =
      MustCreate(root_.id(), "待撤总支", "T6-P", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization child =
      MustCreate(parent.id(), "待撤支部", "T6-C", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Member member = MustCreateMember("钱七", "T6-M", child.id());
  const auto close = [](const v1::Organization& o, v1::Organization* result) {
    v1::CloseOrganizationRequest request;
    request.set_organization_id(o.id());
    request.set_expected_version(o.version());
    return server_->organizations().CloseOrganization(server_->Context(SystemAdmin()).get(),
                                                      request, result);
  };
  v1::Organization result;
  EXPECT_EQ(close(parent, &result).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(close(child, &result).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::UpdateMemberRequest retire;
  *retire.mutable_member() = member;
  retire.mutable_member()->set_status(v1::MEMBER_STATUS_TRANSFERRED_OUT);
  retire.set_expected_version(member.version());
  v1::Member retired;
  ASSERT_EQ(server_->organizations()
                .UpdateMember(server_->Context(SystemAdmin()).get(), retire, &retired)
                .error_code(),
            kOk);
  // A kiosk still registered there keeps it open until revoked.
  v1::RegisterKioskRequest kiosk_request;
  kiosk_request.set_organization_id(child.id());
  kiosk_request.set_name("待撤活动室");
  v1::KioskRegistration kiosk;
  ASSERT_EQ(server_->identity()
                .RegisterKiosk(server_->Context(SystemAdmin()).get(), kiosk_request, &kiosk)
                .error_code(),
            kOk);
  EXPECT_EQ(close(child, &result).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::RevokeKioskRequest revoke;
  revoke.set_kiosk_id(kiosk.kiosk_id());
  v1::RevokeKioskResponse revoked;
  ASSERT_EQ(server_->identity()
                .RevokeKiosk(server_->Context(SystemAdmin()).get(), revoke, &revoked)
                .error_code(),
            kOk);
  ASSERT_EQ(close(child, &result).error_code(), kOk);
  EXPECT_TRUE(result.closed());
  v1::Organization parent_now;
  ASSERT_EQ(Get(SystemAdmin(), parent.id(), &parent_now).error_code(), kOk);
  ASSERT_EQ(close(parent_now, &result).error_code(), kOk);
  // Nothing new goes into a closed organisation.
  v1::Member refused;
  EXPECT_EQ(
      CreateMember(SystemAdmin(), SampleMember("孙八", "T6-M2", child.id()), &refused).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(OrganizationApiTest, MemberNumbersAndPhonesAreUnique) {
  const v1::Organization branch =
      MustCreate(root_.id(), "唯一支部", "T7-B", v1::ORGANIZATION_KIND_BRANCH);
  v1::Member with_phone = SampleMember("周一", "T7-1", branch.id());
  with_phone.set_phone("13800000007");
  v1::Member created;
  ASSERT_EQ(CreateMember(SystemAdmin(), with_phone, &created).error_code(), kOk);
  EXPECT_EQ(created.phone(), "13800000007");
  EXPECT_FALSE(created.activated());
  v1::Member refused;
  EXPECT_EQ(
      CreateMember(SystemAdmin(), SampleMember("周二", "T7-1", branch.id()), &refused).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  v1::Member same_phone = SampleMember("周三", "T7-3", branch.id());
  same_phone.set_phone("13800000007");
  const grpc::Status taken = CreateMember(SystemAdmin(), same_phone, &refused);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The other member is never named: it may lie outside the caller's subtree.
  EXPECT_EQ(taken.error_message().find(absl::StrCat(created.id())), std::string::npos)
      << taken.error_message();
  // A login (number or phone) must name one member: a number may not be another's phone,
  // nor a phone another's number.
  EXPECT_EQ(CreateMember(SystemAdmin(), SampleMember("周四", "13800000007", branch.id()), &refused)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::Member numbered_like_a_phone;
  ASSERT_EQ(CreateMember(SystemAdmin(), SampleMember("周五", "13900000077", branch.id()),
                         &numbered_like_a_phone)
                .error_code(),
            kOk);
  v1::Member phone_of_a_number = SampleMember("周六", "T7-6", branch.id());
  phone_of_a_number.set_phone("13900000077");
  EXPECT_EQ(CreateMember(SystemAdmin(), phone_of_a_number, &refused).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM member WHERE organization_id = ?",
                                         {branch.id()}),
            2);
}

TEST_F(OrganizationApiTest, HostileAndFourByteNamesAreStoredVerbatim) {
  const std::string name = "Robert'); DROP TABLE member;-- 😀𠮷";
  const v1::Organization branch =
      MustCreate(root_.id(), name, "T8-B", v1::ORGANIZATION_KIND_BRANCH);
  EXPECT_EQ(branch.name(), name);
  const v1::Member member = MustCreateMember(name, "T8-M", branch.id());
  v1::Member found;
  ASSERT_EQ(GetMember(SystemAdmin(), member.id(), &found).error_code(), kOk);
  EXPECT_EQ(found.name(), name);
  EXPECT_GT(server_->database().CountRows("member"), 0);
}

TEST_F(OrganizationApiTest, ListMembersSearchesChineseNamesNumbersAndCategories) {
  const v1::Organization branch =
      MustCreate(root_.id(), "检索支部", "T9-B", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization group =
      MustCreate(branch.id(), "检索小组", "T9-G", v1::ORGANIZATION_KIND_GROUP);
  const v1::Member wang = MustCreateMember("王建国", "T9-001", branch.id());
  const v1::Member zhang = MustCreateMember("张建军", "T9-002", group.id());
  v1::Member secretary_proto = SampleMember("刘书记", "T9-003", group.id());
  secretary_proto.add_categories(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  v1::Member secretary;
  ASSERT_EQ(CreateMember(SystemAdmin(), secretary_proto, &secretary).error_code(), kOk);

  v1::ListMembersRequest by_name;
  by_name.set_organization_id(branch.id());
  by_name.set_query("建");
  EXPECT_EQ(ListMemberIds(SystemAdmin(), by_name), (std::vector<int64_t>{wang.id(), zhang.id()}));
  v1::ListMembersRequest by_number;
  by_number.set_organization_id(branch.id());
  by_number.set_query("T9-00");
  EXPECT_EQ(ListMemberIds(SystemAdmin(), by_number).size(), 3u);
  v1::ListMembersRequest by_category;
  by_category.set_organization_id(branch.id());
  by_category.set_category(v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  EXPECT_EQ(ListMemberIds(SystemAdmin(), by_category), (std::vector<int64_t>{secretary.id()}));
  // The group's admin sees only the group's members.
  v1::ListMembersRequest own;
  EXPECT_EQ(ListMemberIds(AdminOf(group.id()), own),
            (std::vector<int64_t>{zhang.id(), secretary.id()}));
  // LIKE wildcards in a query are literal.
  v1::ListMembersRequest wildcard;
  wildcard.set_organization_id(branch.id());
  wildcard.set_query("%");
  EXPECT_TRUE(ListMemberIds(SystemAdmin(), wildcard).empty());
}

TEST_F(OrganizationApiTest, MemberPagesNeitherRepeatNorSkip) {
  const v1::Organization branch =
      MustCreate(root_.id(), "分页支部", "T10-B", v1::ORGANIZATION_KIND_BRANCH);
  std::set<int64_t> expected;
  for (int i = 0; i < 25; ++i) {
    expected.insert(
        MustCreateMember(absl::StrCat("党员", i), absl::StrCat("T10-", i), branch.id()).id());
  }
  v1::ListMembersRequest request;
  request.set_organization_id(branch.id());
  request.set_page_size(10);
  const std::vector<int64_t> ids = ListMemberIds(SystemAdmin(), request);
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()), expected);

  // A token is bound to its filters.
  v1::ListMembersResponse first;
  ASSERT_EQ(server_->organizations()
                .ListMembers(server_->Context(SystemAdmin()).get(), request, &first)
                .error_code(),
            kOk);
  request.set_page_token(first.next_page_token());
  request.set_query("党员");
  v1::ListMembersResponse refused;
  EXPECT_EQ(server_->organizations()
                .ListMembers(server_->Context(SystemAdmin()).get(), request, &refused)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganizationApiTest, TransferKeepsHistoryAndDates) {
  const v1::Organization from =
      MustCreate(root_.id(), "调出支部", "T11-A", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization to =
      MustCreate(root_.id(), "调入支部", "T11-B", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Member member = MustCreateMember("吴九", "T11-M", from.id());
  v1::TransferMemberRequest request;
  request.set_member_id(member.id());
  request.set_target_organization_id(to.id());
  request.set_expected_version(member.version());
  v1::Member moved;
  ASSERT_EQ(server_->organizations()
                .TransferMember(server_->Context(SystemAdmin()).get(), request, &moved)
                .error_code(),
            kOk);
  EXPECT_EQ(moved.organization_id(), to.id());
  EXPECT_EQ(moved.join_date().year(), 2010);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_assignment WHERE member_id = ?", {member.id()}),
            1);  // A same-day transfer re-points the assignment opened today.
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT organization_id FROM member_assignment WHERE member_id = ?"
                " AND valid_to IS NULL",
                {member.id()}),
            to.id());
  // A transfer from a past assignment closes it the day before the new one opens.
  server_->database().Execute(absl::StrCat(
      "UPDATE member_assignment SET valid_from = '2020-01-01' WHERE member_id = ", member.id()));
  v1::TransferMemberRequest back;
  back.set_member_id(member.id());
  back.set_target_organization_id(from.id());
  back.set_expected_version(moved.version());
  back.mutable_effective_date()->set_year(2024);
  back.mutable_effective_date()->set_month(3);
  back.mutable_effective_date()->set_day(1);
  ASSERT_EQ(server_->organizations()
                .TransferMember(server_->Context(SystemAdmin()).get(), back, &moved)
                .error_code(),
            kOk);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_assignment WHERE member_id = ? AND organization_id = ?"
                " AND valid_from = '2020-01-01' AND valid_to = '2024-02-29'",
                {member.id(), to.id()}),
            1);
  // The admin of the source alone cannot move a member out of its reach.
  const v1::Organization other =
      MustCreate(root_.id(), "外部支部", "T11-C", v1::ORGANIZATION_KIND_BRANCH);
  v1::TransferMemberRequest outward;
  outward.set_member_id(member.id());
  outward.set_target_organization_id(other.id());
  outward.set_expected_version(moved.version());
  v1::Member refused;
  EXPECT_EQ(server_->organizations()
                .TransferMember(server_->Context(AdminOf(from.id())).get(), outward, &refused)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganizationApiTest, AMemberSeesOnlyThemselves) {
  const v1::Organization branch =
      MustCreate(root_.id(), "自助支部", "T12-B", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Member me = MustCreateMember("郑十", "T12-1", branch.id());
  const v1::Member other = MustCreateMember("冯十一", "T12-2", branch.id());
  const std::string token = server_->Token(Role::kMember, me.id(), branch.id());
  v1::Member found;
  EXPECT_EQ(GetMember(token, me.id(), &found).error_code(), kOk);
  EXPECT_EQ(GetMember(token, other.id(), &found).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Its own organisation and those above it, nothing beside it.
  v1::Organization organization;
  EXPECT_EQ(Get(token, branch.id(), &organization).error_code(), kOk);
  EXPECT_EQ(Get(token, root_.id(), &organization).error_code(), kOk);
  const v1::Organization sibling =
      MustCreate(root_.id(), "旁支部", "T12-S", v1::ORGANIZATION_KIND_BRANCH);
  EXPECT_EQ(Get(token, sibling.id(), &organization).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListMembersRequest list;
  v1::ListMembersResponse listed;
  EXPECT_EQ(server_->organizations()
                .ListMembers(server_->Context(token).get(), list, &listed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganizationApiTest, SubtreeListingsPageLevelByLevel) {
  const v1::Organization top =
      MustCreate(root_.id(), "层级总支", "T13-T", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  std::set<int64_t> expected;
  for (int b = 0; b < 3; ++b) {
    const v1::Organization branch =
        MustCreate(top.id(), absl::StrCat("层级支部", b), absl::StrCat("T13-B", b),
                   v1::ORGANIZATION_KIND_BRANCH);
    expected.insert(branch.id());
    for (int g = 0; g < 2; ++g) {
      expected.insert(MustCreate(branch.id(), absl::StrCat("层级小组", b, g),
                                 absl::StrCat("T13-G", b, g), v1::ORGANIZATION_KIND_GROUP)
                          .id());
    }
  }
  v1::ListOrganizationsRequest request;
  request.set_parent_id(top.id());
  request.set_recursive(true);
  request.set_page_size(4);
  std::vector<int64_t> ids;
  std::vector<int> depths;
  do {
    v1::ListOrganizationsResponse response;
    ASSERT_EQ(server_->organizations()
                  .ListOrganizations(server_->Context(AdminOf(top.id())).get(), request, &response)
                  .error_code(),
              kOk);
    for (const auto& o : response.organizations()) {
      ids.push_back(o.id());
      depths.push_back(o.path_size());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(ids.size(), 9u);
  EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()), expected);
  EXPECT_TRUE(std::is_sorted(depths.begin(), depths.end()));

  v1::ListOrganizationsRequest children;
  children.set_parent_id(top.id());
  v1::ListOrganizationsResponse direct;
  ASSERT_EQ(server_->organizations()
                .ListOrganizations(server_->Context(SystemAdmin()).get(), children, &direct)
                .error_code(),
            kOk);
  EXPECT_EQ(direct.organizations_size(), 3);
}

TEST_F(OrganizationApiTest, ACodeFindsTheOrganisationWithinTheCallersSubtreeOnly) {
  const v1::Organization top =
      MustCreate(root_.id(), "编码总支", "T14-T", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Organization inside =
      MustCreate(top.id(), "编码支部", "T14-B", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization outside =
      MustCreate(root_.id(), "别的支部", "T14-X", v1::ORGANIZATION_KIND_BRANCH);
  const auto find = [&](const std::string& token, const std::string& code,
                        v1::ListOrganizationsResponse* response) {
    v1::ListOrganizationsRequest request;
    request.set_code(code);
    return server_->organizations()
        .ListOrganizations(server_->Context(token).get(), request, response)
        .error_code();
  };
  v1::ListOrganizationsResponse response;
  // The admin's own root, and an organisation below it.
  ASSERT_EQ(find(AdminOf(top.id()), "T14-T", &response), kOk);
  ASSERT_EQ(response.organizations_size(), 1);
  EXPECT_EQ(response.organizations(0).id(), top.id());
  response.Clear();
  ASSERT_EQ(find(AdminOf(top.id()), "T14-B", &response), kOk);
  ASSERT_EQ(response.organizations_size(), 1);
  EXPECT_EQ(response.organizations(0).id(), inside.id());
  // Outside the subtree, or unknown: nothing (the same answer for both).
  response.Clear();
  ASSERT_EQ(find(AdminOf(top.id()), "T14-X", &response), kOk);
  EXPECT_EQ(response.organizations_size(), 0);
  ASSERT_EQ(find(AdminOf(top.id()), "NO-SUCH", &response), kOk);
  EXPECT_EQ(response.organizations_size(), 0);
  // The system admin reaches it.
  ASSERT_EQ(find(SystemAdmin(), "T14-X", &response), kOk);
  ASSERT_EQ(response.organizations_size(), 1);
  EXPECT_EQ(response.organizations(0).id(), outside.id());
  EXPECT_EQ(find(SystemAdmin(), std::string(33, 'X'), &response),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganizationApiTest, CategoriesKeepTheirHistoryByDay) {
  const v1::Member member = MustCreateMember("史书记", "O-CAT-1", root_.id());
  const auto held_on = [&](absl::Time when) {
    const absl::CivilDay day = TodayInChina(when);
    return server_->database().QueryInt(
        "SELECT COALESCE(SUM(1 << category), 0) FROM member_category_history"
        " WHERE member_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
        {member.id(), day, day});
  };
  const auto bit = [](v1::MemberCategory category) { return int64_t{1} << category; };
  const auto set_categories = [&](std::vector<v1::MemberCategory> categories) {
    EditMember(member.id(), [&](v1::Member& edited) {
      edited.clear_categories();
      for (const v1::MemberCategory category : categories) edited.add_categories(category);
    });
  };
  const absl::Time created = server_->clock().Now();
  EXPECT_EQ(held_on(created), bit(v1::MEMBER_CATEGORY_ORDINARY));

  // Ten days on, elected to the branch committee.
  server_->clock().Advance(absl::Hours(24 * 10));
  const absl::Time elected = server_->clock().Now();
  set_categories({v1::MEMBER_CATEGORY_ORDINARY, v1::MEMBER_CATEGORY_BRANCH_SECRETARY});
  // A mistake corrected the same day leaves no trace of a day held.
  set_categories({v1::MEMBER_CATEGORY_ORDINARY});
  set_categories({v1::MEMBER_CATEGORY_ORDINARY, v1::MEMBER_CATEGORY_BRANCH_SECRETARY});
  // Ten days more, retired: no longer ordinary nor secretary.
  server_->clock().Advance(absl::Hours(24 * 10));
  const absl::Time retired = server_->clock().Now();
  set_categories({v1::MEMBER_CATEGORY_RETIRED});

  EXPECT_EQ(held_on(created), bit(v1::MEMBER_CATEGORY_ORDINARY));
  EXPECT_EQ(held_on(elected - absl::Hours(24)), bit(v1::MEMBER_CATEGORY_ORDINARY));
  EXPECT_EQ(held_on(elected),
            bit(v1::MEMBER_CATEGORY_ORDINARY) | bit(v1::MEMBER_CATEGORY_BRANCH_SECRETARY));
  EXPECT_EQ(held_on(retired - absl::Hours(24)),
            bit(v1::MEMBER_CATEGORY_ORDINARY) | bit(v1::MEMBER_CATEGORY_BRANCH_SECRETARY));
  EXPECT_EQ(held_on(retired), bit(v1::MEMBER_CATEGORY_RETIRED));
  // Three intervals in all: ordinary and secretary (once, despite the correction), both
  // ended, and retired; no interval ends before it begins.
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_category_history WHERE member_id = ?", {member.id()}),
            3);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM member_category_history"
                                         " WHERE valid_to IS NOT NULL AND valid_to < valid_from"),
            0);
}

TEST_F(OrganizationApiTest, StatusKeepsItsHistoryByDay) {
  const v1::Member member = MustCreateMember("钱师傅", "O-STA-1", root_.id());
  const auto status_on = [&](absl::Time when) {
    const absl::CivilDay day = TodayInChina(when);
    return server_->database().QueryInt(
        "SELECT COALESCE(MAX(status), 0) FROM member_status_history"
        " WHERE member_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
        {member.id(), day, day});
  };
  const auto set_status = [&](v1::MemberStatus status) {
    EditMember(member.id(), [&](v1::Member& edited) { edited.set_status(status); });
  };
  const absl::Time created = server_->clock().Now();
  EXPECT_EQ(status_on(created), v1::MEMBER_STATUS_ACTIVE);
  // Transferred out of the enterprise five days on; a slip undone the same day first.
  server_->clock().Advance(absl::Hours(24 * 5));
  const absl::Time left = server_->clock().Now();
  set_status(v1::MEMBER_STATUS_INACTIVE);
  set_status(v1::MEMBER_STATUS_ACTIVE);
  set_status(v1::MEMBER_STATUS_TRANSFERRED_OUT);
  // An unrelated edit keeps the history as it is.
  set_status(v1::MEMBER_STATUS_TRANSFERRED_OUT);

  EXPECT_EQ(status_on(created), v1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(status_on(left - absl::Hours(24)), v1::MEMBER_STATUS_ACTIVE);
  EXPECT_EQ(status_on(left), v1::MEMBER_STATUS_TRANSFERRED_OUT);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_status_history WHERE member_id = ?", {member.id()}),
            2);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM member_status_history"
                                         " WHERE valid_to IS NOT NULL AND valid_to < valid_from"),
            0);
}

TEST_F(OrganizationApiTest, ChangesOtherServicesReactToWriteTheirOutboxEventInTheSameTransaction) {
  auto& db = server_->database();
  const v1::Organization from =
      MustCreate(root_.id(), "事件甲支部", "EVT-A", v1::ORGANIZATION_KIND_BRANCH);
  const v1::Organization to =
      MustCreate(root_.id(), "事件乙总支", "EVT-B", v1::ORGANIZATION_KIND_GENERAL_BRANCH);
  const v1::Member member = MustCreateMember("事件党员", "EVT-001", from.id());
  const auto events = [&](const std::string& topic) {
    return db.QueryInt("SELECT COUNT(*) FROM outbox_event WHERE topic = ? AND member_id = ?",
                       {topic, member.id()});
  };
  EXPECT_EQ(events("member.joined"), 1);
  EXPECT_EQ(db.QueryInt("SELECT organization_id FROM outbox_event WHERE topic = 'member.joined'"
                        " AND member_id = ?",
                        {member.id()}),
            from.id());

  const auto update = [&](const std::function<void(v1::Member&)>& edit, int64_t version) {
    v1::Member current;
    EXPECT_EQ(GetMember(SystemAdmin(), member.id(), &current).error_code(), kOk);
    v1::UpdateMemberRequest request;
    *request.mutable_member() = current;
    edit(*request.mutable_member());
    request.set_expected_version(version == 0 ? current.version() : version);
    v1::Member updated;
    return server_->organizations()
        .UpdateMember(server_->Context(SystemAdmin()).get(), request, &updated)
        .error_code();
  };
  // A new name changes nothing any plan depends on: no event.
  ASSERT_EQ(update([](v1::Member& m) { m.set_name("事件党员改名"); }, 0), kOk);
  EXPECT_EQ(events("member.changed"), 0);
  // A category gained: one event. A refused write (stale version) leaves none.
  ASSERT_EQ(update([](v1::Member& m) { m.add_categories(v1::MEMBER_CATEGORY_LEADING_CADRE); }, 0),
            kOk);
  EXPECT_EQ(events("member.changed"), 1);
  EXPECT_EQ(update([](v1::Member& m) { m.set_status(v1::MEMBER_STATUS_INACTIVE); }, 1),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(events("member.changed"), 1);

  v1::Member current;
  ASSERT_EQ(GetMember(SystemAdmin(), member.id(), &current).error_code(), kOk);
  v1::TransferMemberRequest transfer;
  transfer.set_member_id(member.id());
  transfer.set_target_organization_id(to.id());
  transfer.set_expected_version(current.version());
  v1::Member moved;
  ASSERT_EQ(server_->organizations()
                .TransferMember(server_->Context(SystemAdmin()).get(), transfer, &moved)
                .error_code(),
            kOk);
  EXPECT_EQ(events("member.transferred"), 1);
  EXPECT_EQ(db.QueryInt("SELECT organization_id FROM outbox_event"
                        " WHERE topic = 'member.transferred' AND member_id = ?",
                        {member.id()}),
            to.id());

  v1::Organization moved_branch;
  ASSERT_EQ(Move(SystemAdmin(), from, to.id(), &moved_branch).error_code(), kOk);
  EXPECT_EQ(db.QueryInt("SELECT COUNT(*) FROM outbox_event WHERE topic = 'organization.moved'"
                        " AND organization_id = ?",
                        {from.id()}),
            1);
}

}  // namespace
}  // namespace lms::organization

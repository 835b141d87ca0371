// ImportRoster through a real gRPC stream against a real database: all-or-nothing
// validation naming every bad line, valid-rows-only, dry runs, idempotent re-import,
// transfers by import, and the caller's subtree.

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::organization {
namespace {

using auth::Role;

v1::RosterRow OrganizationRow(int line, const std::string& code, const std::string& name,
                              v1::OrganizationKind kind, const std::string& parent_code) {
  v1::RosterRow row;
  row.set_line(line);
  row.mutable_organization()->set_code(code);
  row.mutable_organization()->set_name(name);
  row.mutable_organization()->set_kind(kind);
  row.mutable_organization()->set_parent_code(parent_code);
  return row;
}

v1::RosterRow MemberRow(int line, const std::string& number, const std::string& name,
                        const std::string& organization_code, const std::string& phone = "") {
  v1::RosterRow row;
  row.set_line(line);
  v1::Member* member = row.mutable_member()->mutable_member();
  member->set_member_number(number);
  member->set_name(name);
  member->set_phone(phone);
  member->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
  row.mutable_member()->set_organization_code(organization_code);
  return row;
}

class RosterImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("roster_import");
    root_ = server_->CreateRootOrganization();
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, root_.id()); }

  // Streams `rows` in batches of `batch_size`, with the options on every message.
  static grpc::Status Import(const std::string& token, const std::vector<v1::RosterRow>& rows,
                             v1::ImportRosterResponse* response, bool valid_rows_only = false,
                             bool dry_run = false, size_t batch_size = 2) {
    auto context = server_->Context(token);
    auto writer = server_->organizations().ImportRoster(context.get(), response);
    for (size_t begin = 0; begin < rows.size(); begin += batch_size) {
      v1::ImportRosterRequest batch;
      batch.set_valid_rows_only(valid_rows_only);
      batch.set_dry_run(dry_run);
      for (size_t i = begin; i < std::min(rows.size(), begin + batch_size); ++i) {
        *batch.add_rows() = rows[i];
      }
      if (!writer->Write(batch)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  static int64_t Count(const std::string& table) { return server_->database().CountRows(table); }

  static testing::TestServer* server_;
  static v1::Organization root_;
};

testing::TestServer* RosterImportTest::server_ = nullptr;
v1::Organization RosterImportTest::root_;

TEST_F(RosterImportTest, ImportsATreeInAnyOrderAndReimportChangesNothing) {
  const std::vector<v1::RosterRow> rows = {
      // The group comes before its branch, the branch before its general branch.
      OrganizationRow(2, "R1-G", "第一党小组", v1::ORGANIZATION_KIND_GROUP, "R1-B"),
      OrganizationRow(3, "R1-B", "第一党支部", v1::ORGANIZATION_KIND_BRANCH, "R1-GB"),
      OrganizationRow(4, "R1-GB", "机关党总支", v1::ORGANIZATION_KIND_GENERAL_BRANCH, "ROOT"),
      MemberRow(5, "R1-001", "王建国", "R1-G", "13700000001"),
      MemberRow(6, "R1-002", "李红", "R1-B"),
      MemberRow(7, "R1-003", "张伟😀", "R1-GB")};
  v1::ImportRosterResponse first;
  ASSERT_TRUE(Import(Admin(), rows, &first).ok());
  EXPECT_EQ(first.errors_size(), 0);
  EXPECT_EQ(first.organizations_created(), 3);
  EXPECT_EQ(first.members_created(), 3);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM organization_closure c JOIN organization a ON a.id ="
                " c.ancestor_id JOIN organization d ON d.id = c.descendant_id"
                " WHERE a.code = 'ROOT' AND d.code = 'R1-G' AND c.depth = 3"),
            1);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM member_assignment a JOIN member m ON m.id = a.member_id"
                " WHERE m.member_number LIKE 'R1-%' AND a.valid_to IS NULL"),
            3);

  const int64_t members = Count("member");
  const int64_t organizations = Count("organization");
  v1::ImportRosterResponse again;
  ASSERT_TRUE(Import(Admin(), rows, &again).ok());
  EXPECT_EQ(again.errors_size(), 0);
  EXPECT_EQ(again.unchanged(), 6);
  EXPECT_EQ(again.organizations_created() + again.members_created() + again.members_updated() +
                again.organizations_updated(),
            0);
  EXPECT_EQ(Count("member"), members);
  EXPECT_EQ(Count("organization"), organizations);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT MAX(version) FROM member WHERE member_number LIKE 'R1-%'"),
            1);
}

TEST_F(RosterImportTest, BadRowsImportNothingAndEveryBadLineIsNamed) {
  const std::vector<v1::RosterRow> rows = {
      OrganizationRow(2, "R2-B", "好支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
      MemberRow(3, "R2-001", "好党员", "R2-B"),
      MemberRow(4, "R2-002", "坏电话", "R2-B", "12345"),
      MemberRow(5, "R2-003", "无组织", "NO-SUCH-ORG"),
      MemberRow(6, "R2-001", "重复编号", "R2-B"),
      OrganizationRow(7, "R2-X", "孤儿支部", v1::ORGANIZATION_KIND_BRANCH, "NO-PARENT"),
      MemberRow(8, "R2 004", "", "R2-B")};
  const int64_t members = Count("member");
  const int64_t organizations = Count("organization");
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  std::vector<int> lines;
  for (const auto& error : response.errors()) {
    if (lines.empty() || lines.back() != error.line()) lines.push_back(error.line());
    EXPECT_FALSE(error.reason().empty());
  }
  EXPECT_EQ(lines, (std::vector<int>{4, 5, 6, 7, 8}));
  EXPECT_EQ(response.members_created(), 0);
  EXPECT_EQ(Count("member"), members);
  EXPECT_EQ(Count("organization"), organizations);

  // With valid_rows_only the good rows go in and the bad are still reported.
  v1::ImportRosterResponse partial;
  ASSERT_TRUE(Import(Admin(), rows, &partial, /*valid_rows_only=*/true).ok());
  EXPECT_EQ(partial.errors_size(), response.errors_size());
  EXPECT_EQ(partial.organizations_created(), 1);
  EXPECT_EQ(partial.members_created(), 1);
  EXPECT_EQ(Count("member"), members + 1);
}

TEST_F(RosterImportTest, DryRunWritesNothing) {
  const std::vector<v1::RosterRow> rows = {
      OrganizationRow(2, "R3-B", "试运行支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
      MemberRow(3, "R3-001", "试运行", "R3-B")};
  const int64_t members = Count("member");
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response, false, /*dry_run=*/true).ok());
  EXPECT_EQ(response.organizations_created(), 1);
  EXPECT_EQ(response.members_created(), 1);
  EXPECT_EQ(Count("member"), members);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM organization WHERE code = 'R3-B'"),
            0);
}

TEST_F(RosterImportTest, ReimportWithAnotherOrganisationTransfersTheMember) {
  std::vector<v1::RosterRow> rows = {
      OrganizationRow(2, "R4-A", "甲支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
      OrganizationRow(3, "R4-B", "乙支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
      MemberRow(4, "R4-001", "调动者", "R4-A")};
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  rows[2] = MemberRow(4, "R4-001", "调动者", "R4-B");
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  EXPECT_EQ(response.errors_size(), 0);
  EXPECT_EQ(response.members_updated(), 1);
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT o.code = 'R4-B' FROM member m JOIN organization o ON o.id ="
                " m.organization_id WHERE m.member_number = 'R4-001'"),
            1);
}

TEST_F(RosterImportTest, AFileWithoutStatusesKeepsTheStoredOnes) {
  std::vector<v1::RosterRow> rows = {MemberRow(2, "R8-001", "已转出", "ROOT")};
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  rows[0].mutable_member()->mutable_member()->set_status(v1::MEMBER_STATUS_TRANSFERRED_OUT);
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  EXPECT_EQ(response.members_updated(), 1);
  rows[0].mutable_member()->mutable_member()->clear_status();
  ASSERT_TRUE(Import(Admin(), rows, &response).ok());
  EXPECT_EQ(response.unchanged(), 1);
  EXPECT_EQ(
      server_->database().QueryInt("SELECT status FROM member WHERE member_number = 'R8-001'"), 2);
}

TEST_F(RosterImportTest, AnAdminCannotChangeAMemberWhoseGrantsReachFurther) {
  v1::ImportRosterResponse setup;
  ASSERT_TRUE(Import(Admin(),
                     {OrganizationRow(2, "R7-A", "机关支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
                      MemberRow(3, "R7-001", "党办主任", "R7-A"),
                      MemberRow(4, "R7-002", "普通党员", "R7-A")},
                     &setup)
                  .ok());
  auto& db = server_->database();
  const int64_t a = db.QueryInt("SELECT id FROM organization WHERE code = 'R7-A'");
  const int64_t office = db.QueryInt("SELECT id FROM member WHERE member_number = 'R7-001'");
  // The office head is a member of the branch and a system admin.
  db.Execute(absl::StrCat("INSERT INTO admin_grant (member_id, role, organization_id) VALUES (",
                          office, ", 4, ", root_.id(), ")"));
  const std::string admin_a = server_->Token(Role::kOrgAdmin, 1, a);
  v1::RosterRow deactivate = MemberRow(2, "R7-001", "党办主任", "R7-A");
  deactivate.mutable_member()->mutable_member()->set_status(v1::MEMBER_STATUS_INACTIVE);
  v1::ImportRosterResponse response;
  ASSERT_TRUE(
      Import(admin_a, {deactivate, MemberRow(3, "R7-002", "普通党员改名", "R7-A")}, &response)
          .ok());
  ASSERT_EQ(response.errors_size(), 1);
  EXPECT_EQ(response.errors(0).line(), 2);
  EXPECT_EQ(response.members_updated(), 0);  // all or nothing
  EXPECT_EQ(db.QueryInt("SELECT status FROM member WHERE id = ?", {office}), 1);
  // Unchanged, the row is no write and passes; a system admin may change the member.
  ASSERT_TRUE(Import(admin_a, {MemberRow(2, "R7-001", "党办主任", "R7-A")}, &response).ok());
  EXPECT_EQ(response.errors_size(), 0);
  ASSERT_TRUE(Import(Admin(), {deactivate}, &response).ok());
  EXPECT_EQ(response.members_updated(), 1);
}

TEST_F(RosterImportTest, AnIdInARowIsIgnoredNeverTrusted) {
  v1::ImportRosterResponse setup;
  ASSERT_TRUE(Import(Admin(),
                     {OrganizationRow(2, "R8-A", "号码支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
                      MemberRow(3, "R8-001", "原主", "R8-A", "13700000088")},
                     &setup)
                  .ok());
  const int64_t owner =
      server_->database().QueryInt("SELECT id FROM member WHERE member_number = 'R8-001'");
  // A new member claiming the owner's id to slip the owner's phone past the check.
  v1::RosterRow forged = MemberRow(2, "R8-002", "冒名", "R8-A", "13700000088");
  forged.mutable_member()->mutable_member()->set_id(owner);
  const int64_t members = Count("member");
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), {forged}, &response).ok());
  ASSERT_EQ(response.errors_size(), 1);
  EXPECT_EQ(response.errors(0).field(), "member.phone");
  EXPECT_EQ(Count("member"), members);
}

TEST_F(RosterImportTest, AnAdminImportsOnlyIntoItsSubtree) {
  v1::ImportRosterResponse setup;
  ASSERT_TRUE(Import(Admin(),
                     {OrganizationRow(2, "R5-A", "本支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT"),
                      OrganizationRow(3, "R5-B", "他支部", v1::ORGANIZATION_KIND_BRANCH, "ROOT")},
                     &setup)
                  .ok());
  const int64_t a = server_->database().QueryInt("SELECT id FROM organization WHERE code = 'R5-A'");
  const std::string admin_a = server_->Token(Role::kOrgAdmin, 1, a);
  const int64_t members = Count("member");
  v1::ImportRosterResponse response;
  ASSERT_TRUE(
      Import(
          admin_a,
          {MemberRow(2, "R5-001", "本支部党员", "R5-A"), MemberRow(3, "R5-002", "越权党员", "R5-B"),
           OrganizationRow(4, "R5-C", "越权新支部", v1::ORGANIZATION_KIND_GROUP, "R5-B")},
          &response)
          .ok());
  ASSERT_EQ(response.errors_size(), 2);
  EXPECT_EQ(response.errors(0).line(), 3);
  EXPECT_EQ(response.errors(1).line(), 4);
  EXPECT_EQ(Count("member"), members);
  ASSERT_TRUE(Import(admin_a, {MemberRow(2, "R5-001", "本支部党员", "R5-A")}, &response).ok());
  EXPECT_EQ(response.members_created(), 1);
  // A member may not import at all.
  EXPECT_EQ(
      Import(server_->Token(Role::kMember, 1, a), {MemberRow(2, "R5-009", "x", "R5-A")}, &response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RosterImportTest, OptionsMayNotChangeMidStream) {
  auto context = server_->Context(Admin());
  v1::ImportRosterResponse response;
  auto writer = server_->organizations().ImportRoster(context.get(), &response);
  v1::ImportRosterRequest first;
  *first.add_rows() = MemberRow(2, "R6-001", "甲", "ROOT");
  writer->Write(first);
  v1::ImportRosterRequest second;
  second.set_dry_run(true);
  *second.add_rows() = MemberRow(3, "R6-002", "乙", "ROOT");
  writer->Write(second);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      server_->database().QueryInt("SELECT COUNT(*) FROM member WHERE member_number LIKE 'R6-%'"),
      0);
}

TEST_F(RosterImportTest, ANumberIsNeverAnotherMembersPhoneInTheFileOrTheStore) {
  // Already stored: a member whose phone looks like a member number would.
  v1::ImportRosterResponse stored;
  ASSERT_TRUE(
      Import(Admin(), {MemberRow(2, "R11-001", "甲", "ROOT", "13900001101")}, &stored).ok());
  ASSERT_EQ(stored.members_created(), 1) << stored.DebugString();
  const std::vector<v1::RosterRow> rows = {
      MemberRow(2, "R11-002", "乙", "ROOT", "13900001102"),
      // This file's own rows: a number that is line 2's phone, a phone that is line 2's number.
      MemberRow(3, "13900001102", "丙", "ROOT"), MemberRow(4, "R11-004", "丁", "ROOT", "R11-002"),
      // The store's: a number that is R8-001's phone, a phone that is R8-001's number.
      MemberRow(5, "13900001101", "戊", "ROOT"), MemberRow(6, "R11-006", "己", "ROOT", "R11-001")};
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response, /*valid_rows_only=*/true).ok());
  std::vector<std::pair<int, std::string>> errors;
  for (const auto& error : response.errors()) errors.emplace_back(error.line(), error.field());
  EXPECT_EQ(errors, (std::vector<std::pair<int, std::string>>{{3, "member.member_number"},
                                                              {4, "member.phone"},
                                                              {5, "member.member_number"},
                                                              {6, "member.phone"}}));
  EXPECT_EQ(response.members_created(), 1);
}

TEST_F(RosterImportTest, ImportedCategoriesKeepTheirHistory) {
  v1::RosterRow row = MemberRow(2, "R14-001", "甲", "ROOT");
  row.mutable_member()->mutable_member()->add_categories(v1::MEMBER_CATEGORY_LEADING_CADRE);
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), {row}, &response).ok());
  ASSERT_EQ(response.members_created(), 1);
  const auto open_categories = [&] {
    return server_->database().QueryInt(
        "SELECT COALESCE(SUM(1 << h.category), 0) FROM member_category_history h"
        " JOIN member m ON m.id = h.member_id WHERE m.member_number = 'R14-001'"
        " AND h.valid_to IS NULL");
  };
  EXPECT_EQ(open_categories(), (int64_t{1} << v1::MEMBER_CATEGORY_ORDINARY) |
                                   (int64_t{1} << v1::MEMBER_CATEGORY_LEADING_CADRE));
  // Re-imported a day later as retired only: the old categories end, the new one opens.
  server_->clock().Advance(absl::Hours(24));
  v1::RosterRow retired = MemberRow(2, "R14-001", "甲", "ROOT");
  retired.mutable_member()->mutable_member()->clear_categories();
  retired.mutable_member()->mutable_member()->add_categories(v1::MEMBER_CATEGORY_RETIRED);
  ASSERT_TRUE(Import(Admin(), {retired}, &response).ok());
  EXPECT_EQ(response.members_updated(), 1);
  EXPECT_EQ(open_categories(), int64_t{1} << v1::MEMBER_CATEGORY_RETIRED);
  EXPECT_EQ(
      server_->database().QueryInt("SELECT COUNT(*) FROM member_category_history h JOIN member m"
                                   " ON m.id = h.member_id WHERE m.member_number = 'R14-001'"),
      3);
}

TEST_F(RosterImportTest, AStreamIsBoundedInBytes) {
  auto context = server_->Context(Admin());
  v1::ImportRosterResponse response;
  auto writer = server_->organizations().ImportRoster(context.get(), &response);
  // Rows far too big to be valid, 3 MiB a message: the stream is cut once it passes
  // 64 MiB, before the client is done.
  v1::ImportRosterRequest batch;
  *batch.add_rows() = MemberRow(2, "R12-001", std::string(3 << 20, 'x'), "ROOT");
  int written = 0;
  while (written < 40 && writer->Write(batch)) ++written;
  EXPECT_LT(written, 40);
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("MiB"), std::string::npos) << status.error_message();
}

TEST_F(RosterImportTest, OnlyTwoImportsRunAtOnce) {
  // Three streams open before any of them is done: whichever the server took last is
  // refused, the other two run.
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<v1::ImportRosterResponse> responses(3);
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::ImportRosterRequest>>> writers;
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(server_->Context(Admin()));
    writers.push_back(server_->organizations().ImportRoster(contexts.back().get(), &responses[i]));
    v1::ImportRosterRequest batch;
    *batch.add_rows() = MemberRow(2, absl::StrCat("R13-00", i), "甲", "ROOT");
    writers.back()->Write(batch);
  }
  std::vector<grpc::StatusCode> codes;
  for (auto& writer : writers) {
    writer->WritesDone();
    codes.push_back(writer->Finish().error_code());
  }
  EXPECT_EQ(std::count(codes.begin(), codes.end(), grpc::StatusCode::OK), 2);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), grpc::StatusCode::RESOURCE_EXHAUSTED), 1);
  // Once they are done, the next one runs.
  v1::ImportRosterResponse response;
  EXPECT_TRUE(Import(Admin(), {MemberRow(2, "R13-009", "乙", "ROOT")}, &response).ok());
}

TEST_F(RosterImportTest, SmallAndLargeSubtreesListTheSameMembersWhicheverPlanRuns) {
  // Enough organisations that one branch is a small share of the tree (listed through its
  // organisations) while the root is all of it (listed in member order).
  std::vector<v1::RosterRow> rows;
  for (int b = 0; b < 120; ++b) {
    rows.push_back(OrganizationRow(2 + b, absl::StrCat("R7-", b), absl::StrCat("支部", b),
                                   v1::ORGANIZATION_KIND_BRANCH, "ROOT"));
  }
  for (int m = 0; m < 30; ++m) {
    rows.push_back(MemberRow(200 + m, absl::StrCat("R7-M", m), absl::StrCat("党员", m),
                             absl::StrCat("R7-", m % 3)));
  }
  v1::ImportRosterResponse response;
  ASSERT_TRUE(Import(Admin(), rows, &response, false, false, 50).ok());
  ASSERT_EQ(response.errors_size(), 0);
  const auto list = [](int64_t organization_id, const std::string& query) {
    std::vector<std::string> numbers;
    v1::ListMembersRequest request;
    request.set_organization_id(organization_id);
    request.set_query(query);
    request.set_page_size(4);
    do {
      v1::ListMembersResponse page;
      EXPECT_TRUE(server_->organizations()
                      .ListMembers(server_->Context(Admin()).get(), request, &page)
                      .ok());
      for (const auto& member : page.members()) numbers.push_back(member.member_number());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return numbers;
  };
  const int64_t branch =
      server_->database().QueryInt("SELECT id FROM organization WHERE code = 'R7-1'");
  const std::vector<std::string> small = list(branch, "");
  EXPECT_EQ(small.size(), 10u);
  for (const std::string& number : small) {
    const int index = std::stoi(number.substr(4));
    EXPECT_EQ(index % 3, 1) << number;
  }
  const std::vector<std::string> everyone = list(root_.id(), "R7-M");
  EXPECT_EQ(everyone.size(), 30u);
}

}  // namespace
}  // namespace lms::organization

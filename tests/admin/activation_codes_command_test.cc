// lms-admin activation-codes against a real server: one code per member without a
// password, in an owner-only CSV, and each code works.

#include "tools/admin/activation_codes_command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::admin {
namespace {

class ActivationCodesCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("activation_codes");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES"
        " (10, '甲一, \"老甲\"', 'A1', 2, 2, 1, 1, NOW(), NOW()),"
        " (11, '甲二', 'A2', 2, 2, 1, 1, NOW(), NOW()),"
        " (12, '甲三', 'A3', 2, 2, 1, 1, NOW(), NOW()),"
        " (13, '甲四', 'A4', 2, 2, 3, 1, NOW(), NOW()),"
        " (20, '乙一', 'B1', 3, 2, 1, 1, NOW(), NOW()),"
        " (21, '=HYPERLINK(\"http://evil\")', '+B2', 3, 2, 1, 1, NOW(), NOW())");
    // A3 already has a password.
    db.Execute(
        "INSERT INTO member_credential (member_id, password_hash) VALUES (12, '$argon2id$x')");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::vector<std::vector<std::string>> Run(const std::string& token, int64_t root,
                                                   const std::string& name) {
    ActivationCodesOptions options;
    options.organization_id = root;
    options.out_path = absl::StrCat(::testing::TempDir(), "/", getpid(), "_", name);
    unlink(options.out_path.c_str());
    std::ostringstream progress;
    auto identity = v1::IdentityService::NewStub(server_->channel());
    const auto report =
        RunActivationCodes(server_->organizations(), *identity, token, options, progress);
    EXPECT_TRUE(report.ok()) << report.status();
    struct stat info {};
    EXPECT_EQ(stat(options.out_path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    std::ifstream in(options.out_path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) rows.push_back(absl::StrSplit(line, ','));
    return rows;
  }

  static testing::TestServer* server_;
};

testing::TestServer* ActivationCodesCommandTest::server_ = nullptr;

TEST_F(ActivationCodesCommandTest, IssuesWorkingCodesForMembersWithoutPasswords) {
  const auto rows =
      Run(server_->Token(auth::Role::kOrgAdmin, 1, 2), 0, "branch_a.csv");  // admin of 甲支部
  ASSERT_EQ(rows.size(), 3u);  // header, A1, A2: not A3 (activated), A4 (inactive), B1
  EXPECT_EQ(rows[0][0], "member_number");
  EXPECT_EQ(rows[1][0], "A1");
  EXPECT_EQ(rows[1][1], "\"甲一");  // the quoted name holds a comma
  EXPECT_EQ(rows[2][0], "A2");
  const std::string code = rows[2][3];
  v1::ActivateRequest activate;
  activate.set_login("A2");
  activate.set_activation_code(code);
  activate.set_new_password("甲二的新密码 first one");
  v1::Session session;
  EXPECT_TRUE(server_->identity().Activate(server_->Context("").get(), activate, &session).ok());
  // The whole enterprise, for a system admin: B1 too; A2 now has a password.
  const auto all = Run(server_->Token(auth::Role::kSystemAdmin, 1, 1), 1, "all.csv");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1][0], "A1");
  EXPECT_EQ(all[2][0], "B1");
  // Values a spreadsheet would run as formulas are defused with a leading apostrophe.
  EXPECT_EQ(all[3][0], "'+B2");
  EXPECT_EQ(all[3][1].substr(0, 3), "\"'=");
}

TEST_F(ActivationCodesCommandTest, CodesGoOnlyToANewFileNeverThroughALink) {
  const std::string dir = ::testing::TempDir();
  const std::string existing = absl::StrCat(dir, "/", getpid(), "_existing.csv");
  const std::string link = absl::StrCat(dir, "/", getpid(), "_link.csv");
  const std::string target = absl::StrCat(dir, "/", getpid(), "_target.csv");
  unlink(existing.c_str());
  unlink(link.c_str());
  unlink(target.c_str());
  { std::ofstream(existing) << "keep me\n"; }
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  auto identity = v1::IdentityService::NewStub(server_->channel());
  for (const std::string& path : {existing, link}) {
    ActivationCodesOptions options;
    options.organization_id = 2;
    options.out_path = path;
    std::ostringstream progress;
    const auto report =
        RunActivationCodes(server_->organizations(), *identity,
                           server_->Token(auth::Role::kSystemAdmin, 1, 1), options, progress);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kAlreadyExists) << path;
  }
  std::ifstream kept(existing);
  std::string line;
  std::getline(kept, line);
  EXPECT_EQ(line, "keep me");
  struct stat info {};
  EXPECT_NE(stat(target.c_str(), &info), 0);  // nothing written through the link
}

}  // namespace
}  // namespace lms::admin

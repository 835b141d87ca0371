// lms-admin's import against a real server: CSV and XLSX of the same roster give the same
// result, a file with bad rows imports nothing and names every bad line, re-import is a
// no-op.

#include "tools/admin/import_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::admin {
namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/", getpid(), "_", name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

class ImportCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("import_command");
    server_->database().Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (1, NULL, '公司党委', 'ROOT', 1, 1, NOW(), NOW())");
    server_->database().Execute(
        "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES (1, 1, 0)");
  }
  static void TearDownTestSuite() { delete server_; }

  static absl::StatusOr<ImportReport> Run(const std::string& path, bool valid_rows_only = false) {
    ImportOptions options;
    options.path = path;
    options.valid_rows_only = valid_rows_only;
    options.batch_rows = 3;
    std::ostringstream progress;
    return RunImport(server_->organizations(), server_->Token(auth::Role::kSystemAdmin, 1, 1),
                     options, progress);
  }

  static testing::TestServer* server_;
};

testing::TestServer* ImportCommandTest::server_ = nullptr;

TEST_F(ImportCommandTest, ImportsThenReimportChangesNothing) {
  const std::string path =
      WriteFile("roster.csv",
                "type,code,name,kind,parent_code,member_number,phone,organization_code,categories\n"
                "organization,C1-A,一车间党支部,branch,ROOT,,,,\n"
                "member,,王建国,,,C1-001,13600000001,C1-A,ordinary\n"
                "member,,李红,,,C1-002,,C1-A,probationary;mobile\n"
                "member,,张伟,,,C1-003,,C1-A,retired\n");
  const auto first = Run(path);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->imported);
  EXPECT_TRUE(first->errors.empty()) << Summarize(*first);
  EXPECT_EQ(first->response.members_created(), 3);
  EXPECT_EQ(first->response.organizations_created(), 1);
  const auto again = Run(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->response.unchanged(), 4);
  EXPECT_EQ(again->response.members_created(), 0);
  EXPECT_NE(Summarize(*again).find("4 unchanged"), std::string::npos);
}

TEST_F(ImportCommandTest, BadRowsImportNothingAndEveryBadLineIsReported) {
  const int64_t members = server_->database().CountRows("member");
  // Line 4 is unreadable (caught by the tool), lines 5 and 6 are caught by the server.
  const std::string path = WriteFile(
      "bad.csv",
      "type,code,name,kind,parent_code,member_number,phone,organization_code,join_date,categories\n"
      "organization,C2-A,二车间党支部,branch,ROOT,,,,,\n"
      "member,,好党员,,,C2-001,,C2-A,2001-07-01,ordinary\n"
      "member,,坏日期,,,C2-002,,C2-A,2001-13-01,ordinary\n"
      "member,,坏组织,,,C2-003,,NOWHERE,,ordinary\n"
      "member,,坏手机,,,C2-004,999,C2-A,,ordinary\n");
  const auto report = Run(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->imported);
  std::vector<int> lines;
  for (const auto& error : report->errors) lines.push_back(error.line());
  EXPECT_EQ(lines, (std::vector<int>{4, 5, 6})) << Summarize(*report);
  EXPECT_EQ(server_->database().CountRows("member"), members);
  EXPECT_NE(Summarize(*report).find("nothing written"), std::string::npos) << Summarize(*report);

  const auto partial = Run(path, /*valid_rows_only=*/true);
  ASSERT_TRUE(partial.ok());
  EXPECT_TRUE(partial->imported);
  EXPECT_EQ(partial->response.members_created(), 1);
  EXPECT_EQ(server_->database().CountRows("member"), members + 1);
}

}  // namespace
}  // namespace lms::admin

// lms-admin import-questions against a real server: a bank from CSV and from XLSX with
// Chinese headings, every type; a re-import changes nothing; a file with bad rows (an
// unreadable cell, a key the server refuses) imports nothing and names every bad line.

#include "tools/admin/question_import_command.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lms/v1/assessment.grpc.pb.h"
#include "tests/testing/test_database.h"
#include "tests/testing/test_server.h"

namespace lms::admin {
namespace {

std::string TempPath(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "/", getpid(), "_", name);
}

const std::vector<std::vector<std::string>> kBank = {
    {"题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "内容类别", "难度", "标签",
     "编码"},
    {"单选", "党的最高理想和最终目标是？", "实现共产主义", "全面小康", "现代化", "", "A",
     "党章总纲。", "党章教育", "2", "党章；总纲", "Q-001"},
    {"多选", "“四个意识”包括？", "政治意识", "大局意识", "核心意识", "看齐意识", "ABCD", "",
     "政治理论教育", "3", "", "Q-002"},
    {"判断", "党员有权对党的决议提出不同意见。", "", "", "", "", "对", "", "党规党纪", "2", "",
     "Q-003"},
    {"填空", "中国共产党成立于（　）年（　）月。", "", "", "", "", "1921；7|七", "", "革命传统",
     "1", "", "Q-004"}};

std::string WriteCsv(const std::string& name, const std::vector<std::vector<std::string>>& rows) {
  std::string csv;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) absl::StrAppend(&csv, c == 0 ? "" : ",", row[c]);
    csv += "\n";
  }
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << csv;
  return path;
}

std::string WriteXlsx(const std::string& name, const std::vector<std::vector<std::string>>& rows) {
  const std::string path = TempPath(name);
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             rows[r][c].c_str(), nullptr);
    }
  }
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  return path;
}

class QuestionImportCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("question_import_command");
    testing::SeedRootAndTwoBranches(server_->database());
  }
  static void TearDownTestSuite() { delete server_; }

  static absl::StatusOr<QuestionImportReport> Run(const std::string& path, int64_t organization) {
    QuestionImportOptions options;
    options.path = path;
    options.organization_id = organization;
    options.batch_rows = 2;
    std::ostringstream progress;
    return RunQuestionImport(server_->assessment(), server_->Token(auth::Role::kSystemAdmin, 1, 1),
                             options, progress);
  }
  static int64_t Count(int64_t organization) {
    return server_->database().QueryInt("SELECT COUNT(*) FROM question WHERE organization_id = ?",
                                        {organization});
  }

  static testing::TestServer* server_;
};
testing::TestServer* QuestionImportCommandTest::server_ = nullptr;

TEST_F(QuestionImportCommandTest, CsvAndXlsxImportTheSameBankAndAReimportChangesNothing) {
  const auto csv = Run(WriteCsv("bank.csv", kBank), 2);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_TRUE(csv->imported) << Summarize(*csv);
  EXPECT_EQ(csv->response.created(), 4);
  EXPECT_TRUE(csv->errors.empty()) << Summarize(*csv);
  const auto xlsx = Run(WriteXlsx("bank.xlsx", kBank), 3);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  EXPECT_EQ(xlsx->response.created(), 4) << Summarize(*xlsx);
  // The same keys either way: the fill-in's two blanks, the second with a variant.
  const std::string keys_sql =
      "SELECT GROUP_CONCAT(v.key_json ORDER BY q.code SEPARATOR ' ') FROM question q"
      " JOIN question_version v ON v.question_id = q.id WHERE q.organization_id = ?";
  auto& db = server_->database();
  EXPECT_EQ(db.QueryString(keys_sql, {2}), db.QueryString(keys_sql, {3}));
  EXPECT_NE(db.QueryString(keys_sql, {2}).find("[\"7\",\"七\"]"), std::string::npos)
      << db.QueryString(keys_sql, {2});
  const auto again = Run(WriteCsv("bank.csv", kBank), 2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->response.unchanged(), 4) << Summarize(*again);
  EXPECT_EQ(again->response.created(), 0);
  EXPECT_EQ(Count(2), 4);
}

TEST_F(QuestionImportCommandTest, BadRowsImportNothingAndEveryBadLineIsNamed) {
  std::vector<std::vector<std::string>> bank = kBank;
  bank[1][6] = "E";     // line 2: an option the row does not have
  bank[2][6] = "A";     // line 3: a multiple-choice key of one option (the server's check)
  bank[3][0] = "问答";  // line 4: no such type
  const int64_t organization = 1;
  const int64_t before = Count(organization);
  const auto report = Run(WriteCsv("bad.csv", bank), organization);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->imported);
  std::vector<int> lines;
  for (const v1::RowError& error : report->errors) lines.push_back(error.line());
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4})) << Summarize(*report);
  EXPECT_EQ(Count(organization), before);
}

}  // namespace
}  // namespace lms::admin

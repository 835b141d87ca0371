// Reading roster files: CSV quoting and line numbers, Chinese headers and values, XLSX
// (written here with libxlsxwriter) read to the same rows as the same CSV.

#include "tools/admin/roster_file.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tools/admin/spreadsheet.h"

namespace lms::admin {
namespace {

std::string TempPath(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "/", getpid(), "_", name);
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The same table as an XLSX workbook: strings as shared strings, except numbers-only
// cells, written as numbers (as Excel keeps member numbers and phones).
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

const std::vector<std::vector<std::string>> kTable = {
    {"类型", "组织编码", "名称", "组织类别", "上级组织编码", "党员编号", "手机号", "所在组织编码",
     "党员类别", "入党日期", "状态"},
    {"组织", "ZB-001", "第一党支部", "党支部", "ROOT", "", "", "", "", "", ""},
    {"党员", "", "王建国, \"老王\"", "", "", "M001", "13800000001", "ZB-001", "普通党员、支委",
     "2010-07-01", "正常"},
    {"member", "", "Li Hong", "", "", "M002", "", "ZB-001", "probationary", "2024/3/9", ""}};

std::string TableAsCsv() {
  std::string csv = "\xEF\xBB\xBF";  // Excel's UTF-8 byte-order mark
  for (const auto& row : kTable) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      if (cell.find_first_of(",\"") != std::string::npos) {
        std::string quoted = "\"";
        for (const char ch : cell) {
          if (ch == '"') quoted += '"';
          quoted += ch;
        }
        cell = quoted + "\"";
      }
      absl::StrAppend(&csv, c == 0 ? "" : ",", cell);
    }
    csv += "\r\n";
  }
  return csv;
}

TEST(RosterFileTest, CsvAndXlsxReadToTheSameRows) {
  const auto csv = ReadSpreadsheet(WriteFile("roster.csv", TableAsCsv()));
  const auto xlsx = ReadSpreadsheet(WriteXlsx("roster.xlsx", kTable));
  ASSERT_TRUE(csv.ok()) << csv.status();
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const auto from_csv = ParseRoster(*csv);
  const auto from_xlsx = ParseRoster(*xlsx);
  ASSERT_TRUE(from_csv.ok()) << from_csv.status();
  ASSERT_TRUE(from_xlsx.ok()) << from_xlsx.status();
  ASSERT_EQ(from_csv->rows.size(), 3u);
  ASSERT_EQ(from_xlsx->rows.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(from_csv->rows[i].SerializeAsString(), from_xlsx->rows[i].SerializeAsString()) << i;
  }
  const v1::RosterRow& wang = from_csv->rows[1];
  EXPECT_EQ(wang.line(), 3);
  EXPECT_EQ(wang.member().member().name(), "王建国, \"老王\"");
  EXPECT_EQ(wang.member().member().categories_size(), 2);
  EXPECT_EQ(wang.member().member().categories(1), v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  EXPECT_EQ(wang.member().member().join_date().year(), 2010);
  EXPECT_EQ(wang.member().organization_code(), "ZB-001");
  EXPECT_EQ(from_csv->rows[0].organization().kind(), v1::ORGANIZATION_KIND_BRANCH);
  EXPECT_EQ(from_csv->rows[2].member().member().join_date().day(), 9);
}

TEST(RosterFileTest, UnreadableCellsAreNamedWithTheirLine) {
  const auto sheet = ReadCsv(WriteFile("bad.csv",
                                       "type,code,name,kind,parent_code\n"
                                       "organization,A,甲,branch,ROOT\n"
                                       "\n"  // blank lines are skipped but still counted
                                       "organization,B,乙,castle,ROOT\n"
                                       "member,,丙,,\n"
                                       "robot,,丁,,\n"));
  ASSERT_TRUE(sheet.ok());
  const auto file = ParseRoster(*sheet);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->errors.size(), 2u);
  EXPECT_EQ(file->errors[0].line(), 4);
  EXPECT_EQ(file->errors[0].field(), "organization.kind");
  EXPECT_EQ(file->errors[1].line(), 6);
  EXPECT_EQ(file->rows.size(), 2u);
  EXPECT_EQ(file->rows[1].line(), 5);
}

TEST(RosterFileTest, DatesAcceptExcelSerialsAndRefuseImpossibleDays) {
  const auto sheet = ReadCsv(WriteFile("dates.csv",
                                       "type,member_number,name,organization_code,join_date\n"
                                       "member,M1,甲,A,40360\n"
                                       "member,M2,乙,A,2010-02-30\n"));
  ASSERT_TRUE(sheet.ok());
  const auto file = ParseRoster(*sheet);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->rows.size(), 1u);
  EXPECT_EQ(file->rows[0].member().member().join_date().year(), 2010);
  EXPECT_EQ(file->rows[0].member().member().join_date().month(), 7);
  EXPECT_EQ(file->rows[0].member().member().join_date().day(), 1);
  ASSERT_EQ(file->errors.size(), 1u);
  EXPECT_EQ(file->errors[0].line(), 3);
}

TEST(RosterFileTest, BirthDatesAreReadUnderEitherHeading) {
  const auto sheet = ReadCsv(WriteFile("births.csv",
                                       "type,党员编号,姓名,所在组织编码,出生日期\n"
                                       "member,M1,甲,A,1975/6/1\n"
                                       "member,M2,乙,A,1975-13-01\n"));
  ASSERT_TRUE(sheet.ok());
  const auto file = ParseRoster(*sheet);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->rows.size(), 1u);
  EXPECT_EQ(file->rows[0].member().member().birth_date().year(), 1975);
  EXPECT_EQ(file->rows[0].member().member().birth_date().month(), 6);
  ASSERT_EQ(file->errors.size(), 1u);
  EXPECT_EQ(file->errors[0].field(), "member.birth_date") << file->errors[0].DebugString();
}

TEST(RosterFileTest, UnknownColumnsAndUnclosedQuotesAreRefused) {
  EXPECT_EQ(ParseRoster(*ReadCsv(WriteFile("cols.csv", "type,shoe_size\n"))).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadCsv(WriteFile("quote.csv", "type,name\nmember,\"open\n")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadXlsx(WriteFile("fake.xlsx", "not a zip")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lms::admin

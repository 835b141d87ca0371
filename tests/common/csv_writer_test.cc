// CSV as Excel reads it: the byte order mark, typed numbers, dates, quoting of names with
// commas, quotes and line breaks, and no formula let through.
#include "common/export/csv_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace lms::export_file {
namespace {

TEST(CsvWriterTest, BomNumbersDatesAndChineseText) {
  std::string out;
  CsvWriter csv(&out);
  csv.ByteOrderMark();
  csv.Row({std::string("党员"), std::string("学时"), std::string("日期")});
  csv.Row({std::string("王建国"), Decimal{3250, 2}, absl::CivilDay(2026, 6, 30)});
  csv.Row({std::string("李玉"), Decimal{-5, 2}, int64_t{42}});
  csv.Row({std::string(""), Decimal{7, 0}, int64_t{-3}});
  EXPECT_EQ(out,
            "\xEF\xBB\xBF"
            "党员,学时,日期\r\n"
            "王建国,32.50,2026-06-30\r\n"
            "李玉,-0.05,42\r\n"
            ",7,-3\r\n");
}

TEST(CsvWriterTest, QuotesWhatWouldBreakTheRow) {
  std::string out;
  CsvWriter csv(&out);
  csv.Row({std::string("张三,李四"), std::string("说\"好\""), std::string("第一行\n第二行"),
           std::string(" 前后空格 "), std::string("a\rb")});
  EXPECT_EQ(out, "\"张三,李四\",\"说\"\"好\"\"\",\"第一行\n第二行\",\" 前后空格 \",\"a\rb\"\r\n");
}

TEST(CsvWriterTest, NoCellBecomesAFormula) {
  std::string out;
  CsvWriter csv(&out);
  csv.Row({std::string("=HYPERLINK(\"http://x\")"), std::string("+1"), std::string("-2"),
           std::string("@SUM(A1)"), std::string("\tx"), std::string("a=b")});
  EXPECT_EQ(out, "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),'\tx,a=b\r\n");
}

}  // namespace
}  // namespace lms::export_file

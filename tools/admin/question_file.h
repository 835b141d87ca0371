#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lms/v1/assessment.pb.h"
#include "lms/v1/organization.pb.h"
#include "tools/admin/spreadsheet.h"

namespace lms::admin {

// A question file turned into import rows, with the rows that could not even be read.
struct QuestionFile {
  std::vector<v1::QuestionRow> rows;
  std::vector<v1::RowError> errors;
};

// Reads the rows of a question spreadsheet (CSV or XLSX; see README "Assessment"). The
// first row names the columns, in English or Chinese, in any order:
//   type (题型): single / 单选, multiple / 多选, true_false / 判断, fill_in / 填空
//   stem (题干); a .. j or option_a .. option_j (选项A .. 选项J): the options in order
//   answer (答案): letters for choice questions ("B", "ACD", "A、C"); 对 / 错 (正确,
//     错误, true, false, √, ×) for true/false; for fill in the blank one text per blank
//     separated by ；or ; , each blank's accepted variants by | ("七一|7月1日；1921")
//   explanation (解析), category (内容类别: a name such as 党章教育, or 1-8),
//   difficulty (难度, 1-5), tags (标签, ; or 、 between), code (编码),
//   fixed_order (选项固定: 是 / 否)
// Cells that cannot be read (an unknown type, an answer letter past the options) become
// errors with the line; everything else is left to the server, which checks every row.
[[nodiscard]] absl::StatusOr<QuestionFile> ParseQuestions(const std::vector<SheetRow>& sheet);

}  // namespace lms::admin

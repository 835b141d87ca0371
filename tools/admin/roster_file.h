#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lms/v1/organization.pb.h"
#include "tools/admin/spreadsheet.h"

namespace lms::admin {

// A roster file turned into import rows, with the rows that could not even be read.
struct RosterFile {
  std::vector<v1::RosterRow> rows;
  std::vector<v1::RowError> errors;
};

// Reads the rows of a roster spreadsheet (CSV or XLSX; see README "Importing members").
// The first row names the columns, in English or Chinese, in any order:
//   type (类型): organization / 组织, member / 党员
//   code (组织编码), name (名称, 姓名), kind (组织类别), parent_code (上级组织编码)
//   member_number (党员编号), phone (手机号), organization_code (所在组织编码),
//   categories (党员类别, several joined by ; or 、), join_date (入党日期), birth_date
//   (出生日期), status (状态)
// Values may be English names or their Chinese forms (党支部, 预备党员, ...). Cells that
// cannot be read (an unknown kind, a date that is not one) become errors with the line;
// everything else is left to the server, which checks every row.
[[nodiscard]] absl::StatusOr<RosterFile> ParseRoster(const std::vector<SheetRow>& sheet);

}  // namespace lms::admin

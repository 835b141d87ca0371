#include "tools/admin/roster_file.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"

namespace lms::admin {
namespace {

using Names = std::map<std::string, int>;

// Column names and their Chinese forms, to one canonical name.
const std::map<std::string, std::string>& ColumnAliases() {
  static const auto* const kAliases =
      new std::map<std::string, std::string>{{"type", "type"},
                                             {"类型", "type"},
                                             {"code", "code"},
                                             {"组织编码", "code"},
                                             {"name", "name"},
                                             {"名称", "name"},
                                             {"姓名", "name"},
                                             {"kind", "kind"},
                                             {"组织类别", "kind"},
                                             {"parent_code", "parent_code"},
                                             {"上级组织编码", "parent_code"},
                                             {"member_number", "member_number"},
                                             {"党员编号", "member_number"},
                                             {"phone", "phone"},
                                             {"手机号", "phone"},
                                             {"organization_code", "organization_code"},
                                             {"所在组织编码", "organization_code"},
                                             {"categories", "categories"},
                                             {"党员类别", "categories"},
                                             {"join_date", "join_date"},
                                             {"入党日期", "join_date"},
                                             {"birth_date", "birth_date"},
                                             {"出生日期", "birth_date"},
                                             {"status", "status"},
                                             {"状态", "status"}};
  return *kAliases;
}

const Names& Kinds() {
  static const auto* const kKinds =
      new Names{{"committee", v1::ORGANIZATION_KIND_COMMITTEE},
                {"党委", v1::ORGANIZATION_KIND_COMMITTEE},
                {"general_branch", v1::ORGANIZATION_KIND_GENERAL_BRANCH},
                {"党总支", v1::ORGANIZATION_KIND_GENERAL_BRANCH},
                {"branch", v1::ORGANIZATION_KIND_BRANCH},
                {"党支部", v1::ORGANIZATION_KIND_BRANCH},
                {"group", v1::ORGANIZATION_KIND_GROUP},
                {"党小组", v1::ORGANIZATION_KIND_GROUP}};
  return *kKinds;
}

const Names& Categories() {
  static const auto* const kCategories =
      new Names{{"ordinary", v1::MEMBER_CATEGORY_ORDINARY},
                {"普通党员", v1::MEMBER_CATEGORY_ORDINARY},
                {"probationary", v1::MEMBER_CATEGORY_PROBATIONARY},
                {"预备党员", v1::MEMBER_CATEGORY_PROBATIONARY},
                {"branch_secretary", v1::MEMBER_CATEGORY_BRANCH_SECRETARY},
                {"支部书记", v1::MEMBER_CATEGORY_BRANCH_SECRETARY},
                {"支委", v1::MEMBER_CATEGORY_BRANCH_SECRETARY},
                {"leading_cadre", v1::MEMBER_CATEGORY_LEADING_CADRE},
                {"领导干部", v1::MEMBER_CATEGORY_LEADING_CADRE},
                {"retired", v1::MEMBER_CATEGORY_RETIRED},
                {"离退休党员", v1::MEMBER_CATEGORY_RETIRED},
                {"mobile", v1::MEMBER_CATEGORY_MOBILE},
                {"流动党员", v1::MEMBER_CATEGORY_MOBILE}};
  return *kCategories;
}

const Names& Statuses() {
  static const auto* const kStatuses =
      new Names{{"active", v1::MEMBER_STATUS_ACTIVE},
                {"正常", v1::MEMBER_STATUS_ACTIVE},
                {"transferred_out", v1::MEMBER_STATUS_TRANSFERRED_OUT},
                {"转出", v1::MEMBER_STATUS_TRANSFERRED_OUT},
                {"inactive", v1::MEMBER_STATUS_INACTIVE},
                {"停止", v1::MEMBER_STATUS_INACTIVE}};
  return *kStatuses;
}

using Cells = SheetCells;

class RowReader {
 public:
  RowReader(RosterFile& file, int line) : file_(file), line_(line) {}
  bool failed() const { return failed_; }

  void Fail(const std::string& field, const std::string& reason) {
    v1::RowError& error = file_.errors.emplace_back();
    error.set_line(line_);
    error.set_field(field);
    error.set_reason(reason);
    failed_ = true;
  }

  int Lookup(const Names& names, const std::string& field, const std::string& value) {
    const auto it = names.find(absl::AsciiStrToLower(value));
    if (it != names.end()) return it->second;
    std::vector<std::string> known;
    for (const auto& [name, number] : names) {
      if (absl::ascii_isalpha(static_cast<unsigned char>(name[0]))) known.push_back(name);
    }
    Fail(field, absl::StrCat("unknown value `", value, "`: one of ", absl::StrJoin(known, ", ")));
    return 0;
  }

  // "2010-07-01", "2010/7/1", or an Excel serial day number.
  void ReadDate(const std::string& field, const std::string& value, v1::Date* date) {
    if (value.empty()) return;
    int64_t serial = 0;
    absl::CivilDay day;
    if (absl::SimpleAtoi(value, &serial) && serial > 0 && serial < 2958466) {
      day = absl::CivilDay(1899, 12, 30) + serial;
    } else {
      const std::vector<std::string> parts =
          absl::StrSplit(absl::StrReplaceAll(value, {{"/", "-"}, {".", "-"}}), '-');
      int y = 0, m = 0, d = 0;
      const bool parsed = parts.size() == 3 && absl::SimpleAtoi(parts[0], &y) &&
                          absl::SimpleAtoi(parts[1], &m) && absl::SimpleAtoi(parts[2], &d);
      // CivilDay normalises 2010-02-30 to March: a real date survives the round trip.
      const absl::CivilDay candidate(y, m, d);
      if (!parsed || candidate.year() != y || candidate.month() != m || candidate.day() != d) {
        Fail(field, absl::StrCat("`", value, "` is not a date like 2010-07-01"));
        return;
      }
      day = absl::CivilDay(y, m, d);
    }
    date->set_year(static_cast<int32_t>(day.year()));
    date->set_month(day.month());
    date->set_day(day.day());
  }

 private:
  RosterFile& file_;
  const int line_;
  bool failed_ = false;
};

void ReadOrganization(const Cells& cells, RowReader& reader, v1::RosterRow& row) {
  v1::RosterOrganization* o = row.mutable_organization();
  o->set_code(cells.Get("code"));
  o->set_name(cells.Get("name"));
  o->set_parent_code(cells.Get("parent_code"));
  const std::string kind = cells.Get("kind");
  if (!kind.empty()) {
    o->set_kind(
        static_cast<v1::OrganizationKind>(reader.Lookup(Kinds(), "organization.kind", kind)));
  }
}

void ReadMember(const Cells& cells, RowReader& reader, v1::RosterRow& row) {
  v1::Member* m = row.mutable_member()->mutable_member();
  row.mutable_member()->set_organization_code(cells.Get("organization_code"));
  m->set_member_number(cells.Get("member_number"));
  m->set_name(cells.Get("name"));
  m->set_phone(cells.Get("phone"));
  const std::string categories = absl::StrReplaceAll(
      cells.Get("categories"), {{"；", ";"}, {"、", ";"}, {"|", ";"}, {",", ";"}});
  for (const absl::string_view name : absl::StrSplit(categories, ';', absl::SkipWhitespace())) {
    m->add_categories(static_cast<v1::MemberCategory>(reader.Lookup(
        Categories(), "member.categories", std::string(absl::StripAsciiWhitespace(name)))));
  }
  reader.ReadDate("member.join_date", cells.Get("join_date"), m->mutable_join_date());
  if (m->join_date().year() == 0) m->clear_join_date();
  reader.ReadDate("member.birth_date", cells.Get("birth_date"), m->mutable_birth_date());
  if (m->birth_date().year() == 0) m->clear_birth_date();
  const std::string status = cells.Get("status");
  if (!status.empty()) {
    m->set_status(
        static_cast<v1::MemberStatus>(reader.Lookup(Statuses(), "member.status", status)));
  }
}

}  // namespace

absl::StatusOr<RosterFile> ParseRoster(const std::vector<SheetRow>& sheet) {
  if (sheet.empty()) return absl::InvalidArgumentError("the file is empty: no header row");
  absl::StatusOr<std::map<std::string, size_t>> header = MapHeader(sheet[0], ColumnAliases());
  if (!header.ok()) return header.status();
  const std::map<std::string, size_t>& columns = *header;
  if (!columns.count("type")) {
    return absl::InvalidArgumentError("the header has no `type` (类型) column");
  }
  RosterFile file;
  for (size_t r = 1; r < sheet.size(); ++r) {
    const Cells cells(columns, sheet[r]);
    RowReader reader(file, sheet[r].line);
    v1::RosterRow row;
    row.set_line(sheet[r].line);
    const std::string type = absl::AsciiStrToLower(cells.Get("type"));
    if (type == "organization" || type == "组织") {
      ReadOrganization(cells, reader, row);
    } else if (type == "member" || type == "党员") {
      ReadMember(cells, reader, row);
    } else {
      reader.Fail("type",
                  absl::StrCat("`", type, "` is neither organization (组织) nor member (党员)"));
    }
    if (!reader.failed()) file.rows.push_back(std::move(row));
  }
  return file;
}

}  // namespace lms::admin

#include "services/statistics/report_directory.h"

#include "absl/strings/str_cat.h"
#include "common/db/batched_query.h"
#include "common/status/status_macros.h"

namespace lms::statistics {
namespace {

constexpr char kOrganizations[] = "SELECT id, name, kind, code FROM organization WHERE id IN (";
constexpr char kMembers[] = "SELECT id, name, member_number FROM member WHERE id IN (";
// The title of each plan's current content (its published version, or the draft's).
constexpr char kPlanTitles[] =
    "SELECT p.id, v.title FROM training_plan p JOIN plan_version v ON v.plan_id = p.id AND"
    " v.plan_version = p.published_version WHERE p.id IN (";
constexpr char kAdmins[] =
    "SELECT g.organization_id, m.id, m.name FROM admin_grant g JOIN member m ON m.id ="
    " g.member_id WHERE g.role = 3 AND m.status = 1 AND g.organization_id IN (";
constexpr char kAdminsOrder[] = ") ORDER BY g.organization_id, m.member_number";

}  // namespace

absl::StatusOr<std::map<int64_t, OrganizationLabel>> ReportDirectory::Organizations(
    db::Transaction& tx, const std::vector<int64_t>& ids) const {
  std::map<int64_t, OrganizationLabel> labels;
  RETURN_IF_ERROR(db::QueryForIds(tx, kOrganizations, ")", {}, ids, [&](const db::Row& row) {
    labels[row.Int64(1)] = {row.String(2), static_cast<int>(row.Int64(3)), row.String(4)};
  }));
  return labels;
}

absl::StatusOr<std::map<int64_t, MemberLabel>> ReportDirectory::Members(
    db::Transaction& tx, const std::vector<int64_t>& ids) const {
  std::map<int64_t, MemberLabel> labels;
  RETURN_IF_ERROR(db::QueryForIds(tx, kMembers, ")", {}, ids, [&](const db::Row& row) {
    labels[row.Int64(1)] = {row.String(2), row.String(3)};
  }));
  return labels;
}

absl::StatusOr<std::map<int64_t, std::string>> ReportDirectory::PlanTitles(
    db::Transaction& tx, const std::vector<int64_t>& ids) const {
  std::map<int64_t, std::string> titles;
  RETURN_IF_ERROR(db::QueryForIds(tx, kPlanTitles, ")", {}, ids, [&](const db::Row& row) {
    titles[row.Int64(1)] = row.String(2);
  }));
  return titles;
}

absl::StatusOr<std::map<int64_t, std::vector<AdminLabel>>> ReportDirectory::AdminsAt(
    db::Transaction& tx, const std::vector<int64_t>& organization_ids) const {
  std::map<int64_t, std::vector<AdminLabel>> admins;
  RETURN_IF_ERROR(
      db::QueryForIds(tx, kAdmins, kAdminsOrder, {}, organization_ids, [&](const db::Row& row) {
        admins[row.Int64(1)].push_back({row.Int64(2), row.String(3)});
      }));
  return admins;
}

}  // namespace lms::statistics

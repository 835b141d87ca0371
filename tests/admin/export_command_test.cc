// lms-admin export against a real server: the organisation named by its roster code, the
// file written whole (checked against the trailer's size and SHA-256) with a progress bar
// and the stamp summarised; a code outside the admin's subtree is unknown to them, and a
// refused export leaves no file behind.

#include "tools/admin/export_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_server.h"
#include "tools/admin/spreadsheet.h"

namespace lms::admin {
namespace {

TEST(ExportCommandTest, WritesTheFileWholeForAnOrganisationNamedByCode) {
  testing::TestServer server("export_command");
  testing::SeedKnownStatisticsSite(server.database());
  auto organizations = v1::OrganizationService::NewStub(server.channel());
  auto statistics = v1::StatisticsService::NewStub(server.channel());
  const std::string admin = server.Token(auth::Role::kSystemAdmin, 1, 1);

  ExportOptions options;
  options.table = "members";
  options.organization_code = "A";
  options.year = 2026;
  options.as_of = "2026-07-02";
  options.output = absl::StrCat(::testing::TempDir(), "/members-", ::getpid(), ".xlsx");
  options.show_progress = true;
  std::ostringstream progress;
  const absl::StatusOr<ExportReport> report =
      RunExport(*organizations, *statistics, admin, options, progress);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->trailer.rows(), 2);
  EXPECT_EQ(report->header.file_name(), "members-A-2026-07-02.xlsx");
  EXPECT_NE(progress.str().find("2/2 rows"), std::string::npos) << progress.str();
  const absl::StatusOr<std::vector<SheetRow>> rows = ReadSpreadsheet(options.output);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].cells[2], "SM501");
  EXPECT_EQ(::access((options.output + ".part").c_str(), F_OK), -1);
  const std::string summary = Summarize(*report);
  EXPECT_NE(summary.find("2 rows"), std::string::npos) << summary;
  EXPECT_NE(summary.find("as of 2026-07-02"), std::string::npos) << summary;
  EXPECT_NE(summary.find(report->trailer.stamp().figures_hash()), std::string::npos) << summary;

  // B's code is unknown to A's admin; a refused export leaves no file.
  options.organization_code = "B";
  options.output = absl::StrCat(::testing::TempDir(), "/refused-", ::getpid(), ".csv");
  const std::string branch_admin = server.Token(auth::Role::kOrgAdmin, 501, 2);
  const absl::StatusOr<ExportReport> unknown =
      RunExport(*organizations, *statistics, branch_admin, options, progress);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  options.organization_code = "";
  options.organization_id = 1;
  const absl::StatusOr<ExportReport> denied =
      RunExport(*organizations, *statistics, branch_admin, options, progress);
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied) << denied.status();
  EXPECT_EQ(::access(options.output.c_str(), F_OK), -1);
  EXPECT_EQ(::access((options.output + ".part").c_str(), F_OK), -1);
  std::remove(report->path.c_str());
}

}  // namespace
}  // namespace lms::admin

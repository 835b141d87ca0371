#include "tools/admin/report_command.h"

#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <filesystem>
#include <fstream>
#include <type_traits>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/status/status_macros.h"
#include "tools/admin/export_command.h"
#include "tools/admin/report_html.h"

namespace lms::admin {
namespace {

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

absl::StatusOr<absl::CivilDay> ParseDay(const std::string& flag, const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " must be YYYY-MM-DD (got ", text, ")"));
  }
  return day;
}

void SetDate(absl::CivilDay day, v1::Date* date) {
  date->set_year(static_cast<int>(day.year()));
  date->set_month(day.month());
  date->set_day(day.day());
}

// Calls one statistics RPC with the admin's token.
template <typename Request, typename Response, typename Method>
absl::Status Ask(v1::StatisticsService::Stub& stub, Method method, const std::string& token,
                 const Request& request, Response* response, const std::string& what,
                 std::ostream& progress) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
  const absl::Time start = absl::Now();
  const grpc::Status status = (stub.*method)(&context, request, response);
  // Which section took the time (a past date is recounted).
  progress << "  " << what << ": "
           << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1))) << "\n";
  return status.ok() ? absl::OkStatus() : FromGrpc(status, what);
}

}  // namespace

absl::Status PrintToPdf(const std::string& chromium, const std::string& html_path,
                        const std::string& pdf_path) {
  char absolute[PATH_MAX];
  if (realpath(html_path.c_str(), absolute) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("cannot find ", html_path));
  }
  std::remove(pdf_path.c_str());
  const std::string url = absl::StrCat("file://", absolute);
  const std::string print = absl::StrCat("--print-to-pdf=", pdf_path);
  // Headless, no sandbox (root in a container has none to offer), no network, no profile
  // left behind, no header or footer on the pages.
  const std::string profile_dir = absl::StrCat("/tmp/lms-chromium-", getpid());
  const std::string profile = absl::StrCat("--user-data-dir=", profile_dir);
  std::vector<const char*> argv = {chromium.c_str(),
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf-no-header",
                                   profile.c_str(),
                                   print.c_str(),
                                   url.c_str(),
                                   nullptr};
  const pid_t child = fork();
  if (child < 0) return absl::FailedPreconditionError("cannot start Chromium");
  if (child == 0) {
    // Chromium's chatter is not the admin's business.
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execvp(argv[0], const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  std::error_code ignored;
  std::filesystem::remove_all(profile_dir, ignored);
  struct stat written {};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(pdf_path.c_str(), &written) != 0 ||
      written.st_size == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Chromium (", chromium, ") did not print the PDF: is Debian's chromium installed?"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReportResult> RunReport(v1::OrganizationService::Stub& organizations,
                                       v1::StatisticsService::Stub& statistics,
                                       const std::string& access_token,
                                       const ReportOptions& options, std::ostream& progress) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
  absl::CivilDay from(today.year(), 1, 1);
  if (!options.from.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay("--from", options.from);
    if (!day.ok()) return day.status();
    from = *day;
  }
  absl::CivilDay to = std::min(today, absl::CivilDay(from.year(), 12, 31));
  if (!options.to.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay("--to", options.to);
    if (!day.ok()) return day.status();
    to = *day;
  }
  if (to.year() != from.year() || to < from) {
    return absl::InvalidArgumentError(
        "--from and --to must lie within one calendar year, --from first (the year's plans "
        "and requirements are what a report counts against)");
  }
  absl::CivilDay as_of = to;
  if (!options.as_of.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay("--as-of", options.as_of);
    if (!day.ok()) return day.status();
    as_of = *day;
  }
  const absl::StatusOr<int64_t> organization = ResolveOrganization(
      organizations, access_token, options.organization_code, options.organization_id);
  if (!organization.ok()) return organization.status();

  v1::StatisticsScope scope;
  scope.set_organization_id(*organization);
  scope.set_year(static_cast<int>(from.year()));
  // Today's figures come from the rollups when the as-of day is left to the server.
  if (as_of != today) SetDate(as_of, scope.mutable_as_of());

  InspectionData data;
  using Stub = v1::StatisticsService::Stub;
  progress << "reading the figures…\n";
  // Each section's request is its scope alone (members behind: and a page size).
  const auto section = [&](auto request, auto method, auto* response, const char* what) {
    *request.mutable_scope() = scope;
    if constexpr (std::is_same_v<decltype(request), v1::ListMembersBehindRequest>) {
      request.set_page_size(std::clamp(options.members_behind, 1, 100));
    }
    return Ask(statistics, method, access_token, request, response, what, progress);
  };
  RETURN_IF_ERROR(section(v1::GetOrganizationStatisticsRequest(), &Stub::GetOrganizationStatistics,
                          &data.figures, "organisation figures"));
  RETURN_IF_ERROR(section(v1::GetHoursDistributionRequest(), &Stub::GetHoursDistribution,
                          &data.distribution, "hours distribution"));
  RETURN_IF_ERROR(
      section(v1::GetMonthlyTrendRequest(), &Stub::GetMonthlyTrend, &data.trend, "monthly trend"));
  RETURN_IF_ERROR(section(v1::GetActivityStatisticsRequest(), &Stub::GetActivityStatistics,
                          &data.activities, "organisational life"));
  RETURN_IF_ERROR(section(v1::GetAssessmentStatisticsRequest(), &Stub::GetAssessmentStatistics,
                          &data.assessment, "tests"));
  RETURN_IF_ERROR(section(v1::ListMembersBehindRequest(), &Stub::ListMembersBehind, &data.behind,
                          "members behind"));
  // The months before --from are not the report's.
  auto* months = data.trend.mutable_months();
  months->erase(std::remove_if(months->begin(), months->end(),
                               [&](const v1::MonthFigures& m) { return m.month() < from.month(); }),
                months->end());
  data.organization = data.figures.organization().name();
  if (!options.organization_code.empty()) {
    absl::StrAppend(&data.organization, "（", options.organization_code, "）");
  }
  data.period = absl::StrCat(absl::FormatCivilTime(from), " 至 ", absl::FormatCivilTime(to));

  ReportResult result;
  result.html_path = options.output;
  result.stamp = data.figures.stamp();
  result.members = data.figures.organization().categories_size() > 0
                       ? data.figures.organization().categories(0).members()
                       : 0;
  {
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    out << RenderInspectionReport(data);
    if (!out) return absl::FailedPreconditionError(absl::StrCat("cannot write ", options.output));
  }
  if (options.pdf) {
    result.pdf_path =
        absl::EndsWithIgnoreCase(options.output, ".html")
            ? absl::StrCat(options.output.substr(0, options.output.size() - 5), ".pdf")
            : absl::StrCat(options.output, ".pdf");
    progress << "printing " << result.pdf_path << " with headless Chromium…\n";
    if (absl::Status printed = PrintToPdf(options.chromium, options.output, result.pdf_path);
        !printed.ok()) {
      return printed;
    }
  }
  return result;
}

}  // namespace lms::admin

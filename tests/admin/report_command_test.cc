// lms-admin report as a person would see it: the inspection report of the statistics
// tests' hand-made site written as one self-contained HTML page (no script, nothing from
// the network), rendered by headless Chromium — each chart drawn (its bars laid out with a
// size), each figure on the page equal to the statistics service's — and printed to PDF.

#include "tools/admin/report_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_server.h"

namespace lms::admin {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Measures the page as Chromium laid it out: for each chart, how many bars have a
// rendered width and height; for each figure, its visible text. Appended to a copy of the
// report only (the report itself carries no script).
constexpr char kCheckScript[] = R"(<script>
const charts = {};
for (const figure of document.querySelectorAll('[data-chart]')) {
  let drawn = 0;
  for (const bar of figure.querySelectorAll('.bar')) {
    const box = bar.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) drawn++;
  }
  const svg = figure.querySelector('svg').getBoundingClientRect();
  charts[figure.dataset.chart] = {drawn: drawn, width: svg.width, height: svg.height};
}
const figures = {};
for (const f of document.querySelectorAll('[data-figure]')) figures[f.dataset.figure] = f.innerText;
const out = document.createElement('pre');
out.id = 'lms-check';
out.textContent = JSON.stringify({charts: charts, figures: figures});
document.body.appendChild(out);
</script></body>)";

// The JSON the check script left in the DOM Chromium dumped.
nlohmann::json RenderAndMeasure(const std::string& html_path) {
  std::string page = ReadFile(html_path);
  const size_t end = page.rfind("</body>");
  EXPECT_NE(end, std::string::npos);
  page.replace(end, 7, kCheckScript);
  const std::string check_path = html_path + ".check.html";
  std::ofstream(check_path, std::ios::binary) << page;
  const std::string command =
      absl::StrCat("chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=",
                   ::testing::TempDir(), "/report-chromium-", ::getpid(),
                   " --virtual-time-budget=5000 --dump-dom file://", check_path, " 2>/dev/null");
  std::string dom;
  if (FILE* pipe = ::popen(command.c_str(), "r"); pipe != nullptr) {
    char buffer[4096];
    size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) dom.append(buffer, read);
    ::pclose(pipe);
  }
  std::remove(check_path.c_str());
  const size_t open = dom.find("<pre id=\"lms-check\">");
  if (open == std::string::npos) {
    ADD_FAILURE() << "Chromium rendered no check (is Debian's chromium installed?): "
                  << dom.substr(0, 300);
    return nlohmann::json::object();
  }
  const size_t start = open + std::string("<pre id=\"lms-check\">").size();
  std::string text = dom.substr(start, dom.find("</pre>", start) - start);
  // The dump escapes what the DOM holds as text.
  for (const auto& [entity, c] : {std::pair<std::string, std::string>{"&quot;", "\""},
                                  {"&lt;", "<"},
                                  {"&gt;", ">"},
                                  {"&amp;", "&"}}) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, entity.size(), c);
    }
  }
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

TEST(ReportCommandTest, TheReportRendersWithEveryChartAndTheServicesFigures) {
  testing::TestServer server("report_command");
  testing::SeedKnownStatisticsSite(server.database());
  auto organizations = v1::OrganizationService::NewStub(server.channel());
  auto statistics = v1::StatisticsService::NewStub(server.channel());
  const std::string admin = server.Token(auth::Role::kSystemAdmin, 1, 1);

  ReportOptions options;
  options.organization_code = "ROOT";
  options.from = "2026-01-01";
  options.to = "2026-07-02";
  options.output = absl::StrCat(::testing::TempDir(), "/report-", ::getpid(), ".html");
  options.pdf = true;
  std::ostringstream progress;
  const absl::StatusOr<ReportResult> result =
      RunReport(*organizations, *statistics, admin, options, progress);
  ASSERT_TRUE(result.ok()) << result.status();

  // Self-contained: no script, nothing fetched.
  const std::string html = ReadFile(result->html_path);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find(result->stamp.figures_hash()), std::string::npos);

  // What the service says, asked directly.
  v1::StatisticsScope scope;
  scope.set_organization_id(1);
  scope.set_year(2026);
  scope.mutable_as_of()->set_year(2026);
  scope.mutable_as_of()->set_month(7);
  scope.mutable_as_of()->set_day(2);
  v1::GetOrganizationStatisticsRequest figures_request;
  *figures_request.mutable_scope() = scope;
  v1::OrganizationStatistics figures;
  ASSERT_TRUE(
      statistics->GetOrganizationStatistics(server.Context(admin).get(), figures_request, &figures)
          .ok());
  v1::ListMembersBehindRequest behind_request;
  *behind_request.mutable_scope() = scope;
  v1::ListMembersBehindResponse behind;
  ASSERT_TRUE(
      statistics->ListMembersBehind(server.Context(admin).get(), behind_request, &behind).ok());
  v1::GetAssessmentStatisticsRequest tests_request;
  *tests_request.mutable_scope() = scope;
  v1::AssessmentStatistics tests;
  ASSERT_TRUE(
      statistics->GetAssessmentStatistics(server.Context(admin).get(), tests_request, &tests).ok());
  const v1::CategoryFigures& all = figures.organization().categories(0);

  const nlohmann::json page = RenderAndMeasure(result->html_path);
  ASSERT_TRUE(page.is_object() && page.contains("charts")) << page.dump();
  for (const char* chart :
       {"children", "hours_distribution", "monthly_trend", "activities", "weakest_topics"}) {
    SCOPED_TRACE(chart);
    ASSERT_TRUE(page["charts"].contains(chart)) << page.dump();
    EXPECT_GT(page["charts"][chart]["drawn"].get<int>(), 0);
    EXPECT_GT(page["charts"][chart]["width"].get<double>(), 100);
    EXPECT_GT(page["charts"][chart]["height"].get<double>(), 50);
  }
  // The two branches, two bars each.
  EXPECT_EQ(page["charts"]["children"]["drawn"].get<int>(), 4);
  const nlohmann::json& shown = page["figures"];
  EXPECT_EQ(shown["members"], absl::StrCat(all.members()));
  EXPECT_EQ(shown["members_in_plans"], absl::StrCat(all.members_in_plans()));
  EXPECT_EQ(shown["coverage"],
            absl::StrCat(all.coverage_permille() / 10, ".", all.coverage_permille() % 10, "%"));
  EXPECT_EQ(shown["hours_credited"], "43.00");
  EXPECT_EQ(all.hours_credited().hundredths(), 4300);
  EXPECT_EQ(shown["hours_required"], "104.00");
  EXPECT_EQ(shown["members_behind"], absl::StrCat(behind.total()));
  EXPECT_EQ(shown["attempts"], absl::StrCat(tests.attempts()));
  EXPECT_EQ(shown["as_of"], "2026-07-02");

  // And on paper.
  const std::string pdf = ReadFile(result->pdf_path);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_GT(pdf.size(), 10000u);
  std::remove(result->html_path.c_str());
  std::remove(result->pdf_path.c_str());
}

TEST(ReportCommandTest, BadPeriodsAreRefusedBeforeAnyCall) {
  testing::TestServer server("report_command_bad");
  auto organizations = v1::OrganizationService::NewStub(server.channel());
  auto statistics = v1::StatisticsService::NewStub(server.channel());
  ReportOptions options;
  options.organization_code = "ROOT";
  options.output = "/dev/null";
  options.from = "2025-12-01";
  options.to = "2026-01-31";
  std::ostringstream progress;
  const std::string admin = server.Token(auth::Role::kSystemAdmin, 1, 1);
  EXPECT_EQ(RunReport(*organizations, *statistics, admin, options, progress).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.from = "2026-13-01";
  EXPECT_EQ(RunReport(*organizations, *statistics, admin, options, progress).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lms::admin

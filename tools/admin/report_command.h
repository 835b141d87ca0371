#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"

namespace lms::admin {

struct ReportOptions {
  // The organisation by roster code ("ROOT", "SC-01"), else by id.
  std::string organization_code;
  int64_t organization_id = 0;
  // YYYY-MM-DD, within one calendar year; empty: that year's first day, and today (or the
  // year's last day once it is over).
  std::string from;
  std::string to;
  // YYYY-MM-DD; empty: `to`.
  std::string as_of;
  std::string output;
  // Also print FILE.pdf (same name, .pdf) through headless Chromium.
  bool pdf = false;
  std::string chromium = "chromium";
  // Members behind listed (the largest shortfall first).
  int members_behind = 50;
};

struct ReportResult {
  std::string html_path;
  std::string pdf_path;  // empty without --pdf
  v1::ReportStamp stamp;
  int64_t members = 0;
};

// lms-admin report: asks the statistics RPCs for an organisation's figures as of a date
// (figures with its children, hours distribution, monthly trend, organisational life,
// tests, members behind) and writes the inspection report (RenderInspectionReport) to
// `options.output`; with `pdf`, prints it to PDF with headless Chromium.
[[nodiscard]] absl::StatusOr<ReportResult> RunReport(v1::OrganizationService::Stub& organizations,
                                                     v1::StatisticsService::Stub& statistics,
                                                     const std::string& access_token,
                                                     const ReportOptions& options,
                                                     std::ostream& progress);

// Prints `html_path` to `pdf_path` with headless Chromium (`chromium`, an executable name
// or path); FAILED_PRECONDITION when it cannot run or writes nothing.
[[nodiscard]] absl::Status PrintToPdf(const std::string& chromium, const std::string& html_path,
                                      const std::string& pdf_path);

}  // namespace lms::admin

#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "lms/v1/organization.grpc.pb.h"
#include "lms/v1/statistics.grpc.pb.h"

namespace lms::admin {

struct ExportOptions {
  // members, courses or organizations.
  std::string table = "members";
  // The subtree: a roster code ("SC-01"), else an id; neither: the admin's own root.
  std::string organization_code;
  int64_t organization_id = 0;
  // A year (default: this year) or a plan.
  int year = 0;
  int64_t plan_id = 0;
  // YYYY-MM-DD; empty: today.
  std::string as_of;
  // RFC 3339; empty: everything received (reproduce a report with its stamp's).
  std::string received_by;
  // ordinary, probationary, branch_secretary, leading_cadre, retired, mobile; empty: all.
  std::string category;
  // csv or xlsx; empty: from the output's extension.
  std::string format;
  std::string output;
  bool show_progress = false;
};

struct ExportReport {
  v1::ExportHeader header;
  v1::ExportTrailer trailer;
  std::string path;
};

// Streams ExportStatistics into `options.output`: written to "<output>.part" and renamed
// once whole, its size and SHA-256 checked against the trailer (a broken stream never
// leaves a file that looks complete); a progress bar on `progress` by rows.
[[nodiscard]] absl::StatusOr<ExportReport> RunExport(v1::OrganizationService::Stub& organizations,
                                                     v1::StatisticsService::Stub& statistics,
                                                     const std::string& access_token,
                                                     const ExportOptions& options,
                                                     std::ostream& progress);

// What was written and the stamp to cite it by.
[[nodiscard]] std::string Summarize(const ExportReport& report);

// The subtree root an admin names by code (ListOrganizations' code filter) or id; 0 and no
// code: the admin's own root (0, which the statistics scope refuses, so it is looked up).
[[nodiscard]] absl::StatusOr<int64_t> ResolveOrganization(
    v1::OrganizationService::Stub& organizations, const std::string& access_token,
    const std::string& code, int64_t id);

}  // namespace lms::admin

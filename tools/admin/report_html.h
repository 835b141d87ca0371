#pragma once

#include <string>

#include "lms/v1/statistics.pb.h"

namespace lms::admin {

// What an inspection report shows, as the statistics RPCs answered it.
struct InspectionData {
  // "公司党委 (ROOT)", "2026-01-01 至 2026-11-30".
  std::string organization;
  std::string period;
  v1::OrganizationStatistics figures;
  v1::HoursDistribution distribution;
  v1::MonthlyTrend trend;
  v1::ActivityStatistics activities;
  v1::AssessmentStatistics assessment;
  v1::ListMembersBehindResponse behind;
};

// The inspection report as one self-contained HTML page: headline figures, completion and
// coverage by child organisation, the hours distribution, the monthly trend,
// organisational life against the cadence, the weakest topics and most-missed questions,
// members falling behind, and every section's reproducibility stamp. Charts are inline SVG;
// no script, no font, no image or style from the network: it opens offline and prints on
// A4. Every figure stands in an element with `data-figure` (and each chart in one with
// `data-chart`), so a check can find it.
[[nodiscard]] std::string RenderInspectionReport(const InspectionData& data);

}  // namespace lms::admin

#pragma once

#include <cstdint>
#include <map>

#include "services/statistics/organization_figures.h"
#include "services/statistics/report_directory.h"
#include "services/statistics/report_stamp.h"

namespace lms::statistics {

// An organisation's figures and its direct children's, with their names and the stamp
// that makes them citable.
struct OrganizationReport {
  ReportStamp stamp;
  SubtreeFigures figures;
  std::map<int64_t, OrganizationLabel> labels;
};

}  // namespace lms::statistics

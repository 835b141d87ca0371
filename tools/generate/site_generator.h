#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"

namespace lms::generate {

// The size and shape of a generated site (the large site by default).
struct SiteOptions {
  int64_t members = 200'000;
  int64_t organizations = 5'000;
  int64_t courses = 2'000;
  int64_t enrollments = 1'000'000;
  int64_t progress_events = 20'000'000;
  int64_t attempts = 500'000;
  // Shares of members, in per-mille: transferred within the enterprise this year, given
  // another category this year, left the Party this year.
  int transfer_permille = 50;
  int category_change_permille = 50;
  int leaver_permille = 20;
  uint32_t seed = 20261201;
  // "Now": the site's year is this instant's (China time), its history ends here.
  absl::Time now = absl::Now();
};

// What was written, for the report.
struct SiteCounts {
  int64_t organizations = 0;
  int64_t members = 0;
  int64_t courses = 0;
  int64_t lessons = 0;
  int64_t enrollments = 0;
  int64_t progress_events = 0;
  int64_t completions = 0;
  int64_t credits = 0;
  int64_t attempts = 0;
  int64_t activities = 0;
  int64_t attendance = 0;
};

// Writes a realistic site into an empty, migrated database with multi-row INSERTs: a tree
// of general branches, branches and groups under one committee, in use since 1 January of
// this year (one branch in a hundred moved since); members with their assignment, status and
// category histories (transfers, category changes, leavers); courses with lessons; the committee's
// plan and some general branches' own; enrolments by plan and by choice; progress events
// through the year with the lesson and course states and the ledger credits they earned;
// tests with graded attempts and their answers; a year of branch activities with
// attendance and its credits. Random but reproducible from the seed. Each table's rows are written
// by the same code the services' rules read, never by the services themselves: summaries and
// rollups are then built by the statistics job (see lms-generate). `progress` is told of
// each stage as it starts.
[[nodiscard]] absl::StatusOr<SiteCounts> GenerateSite(
    db::ConnectionPool& pool, const SiteOptions& options,
    const std::function<void(const std::string& stage)>& progress);

}  // namespace lms::generate

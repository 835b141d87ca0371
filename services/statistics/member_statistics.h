#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "services/statistics/member_details.h"
#include "services/statistics/report_stamp.h"
#include "services/statistics/scoped_standings.h"
#include "services/statistics/statistics_scope.h"

namespace lms::statistics {

struct MemberListingInput {
  ScopeRequest scope;
  // A MemberCategory value; 0: all.
  int category = 0;
  int page_size = 0;
  std::string page_token;
};

struct MemberListingPage {
  ReportStamp stamp;
  std::vector<MemberDetail> members;
  std::string next_page_token;
};

// INVALID_ARGUMENT naming `category` unless it is 0 or a member category.
[[nodiscard]] absl::Status CheckMemberCategory(int category);

// The canonical text of one member's row, for figures hashes: every figure, fixed
// separators, ending in a line break.
[[nodiscard]] std::string MemberDetailLine(const MemberDetail& member);

// ListMemberStatistics: a page of the member-level listing (MemberDetailWalk), its stamp's
// hash over the page's rows. Authorization was decided before. Thread-safe.
class MemberStatistics {
 public:
  MemberStatistics(db::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  [[nodiscard]] absl::StatusOr<MemberListingPage> Page(const call::CallContext& call,
                                                       const MemberListingInput& input) const;

 private:
  db::ConnectionPool& pool_;
  const Clock& clock_;
  const StandingsLoader standings_{};
};

}  // namespace lms::statistics

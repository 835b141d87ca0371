#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/transaction.h"
#include "services/statistics/member_standing.h"
#include "services/statistics/report_directory.h"
#include "services/statistics/rollup_repository.h"
#include "services/statistics/rule_versions.h"
#include "services/statistics/scoped_standings.h"

namespace lms::statistics {

// Where a walk through a subtree's members stands: the position of an organisation in
// the walk's order and the last member id given there (0: none yet).
struct MemberWalkPosition {
  int64_t organization_index = 0;
  int64_t member_id = 0;
};

// One member as the figures count them on a scope's date, with what a person reading the
// row needs beside the standing: names, the organisation's code, hours by source.
struct MemberDetail {
  MemberStanding standing;
  MemberLabel member;
  OrganizationLabel organization;
  // lms.v1.CreditSource -> hundredths (a reversal under the source it undoes); sources
  // without hours absent.
  std::map<int, int64_t> hours_by_source;
  // Where the walk stood after this row: a page token's cursor.
  MemberWalkPosition position;
};

// The member-level listing of a scope, shared by ListMemberStatistics and the member
// export so the file says what the screen says: the subtree's organisations as the tree
// stood on the date, depth-first, and in each its members by id, every one with the
// standing the organisation figures add up — the rollups' when they answer the scope,
// else recounted a batch at a time — and hours by source from the ledger under the same
// bounds. It reads a few organisations at a time, never the whole subtree: an export of
// every member holds one batch in memory. Lives inside one transaction (one snapshot)
// and must not outlive `standings`. Not thread-safe.
class MemberDetailWalk {
 public:
  // `standings` as StandingsLoader::LoadScope resolved them; `view` as Rollup gave it
  // (nullopt: recount); `category` a MemberCategory value (0: every member).
  MemberDetailWalk(const ScopedStandings& standings, std::optional<RollupView> view, int category,
                   MemberWalkPosition from);

  // The next members, at most `limit`; empty when the walk is over. Adds the rules the
  // recount applied to `rules`.
  [[nodiscard]] absl::StatusOr<std::vector<MemberDetail>> Next(db::Transaction& tx, int limit,
                                                               RuleVersions& rules);
  // How many members the whole walk gives (from its start), for a progress bar.
  [[nodiscard]] absl::StatusOr<int64_t> Count(db::Transaction& tx) const;
  // Where the walk stands after the last member given.
  [[nodiscard]] MemberWalkPosition position() const { return position_; }

 private:
  // The members of the next organisations, from the position, at most `limit`.
  // Each member with the position after it.
  absl::StatusOr<std::vector<std::pair<MemberStanding, MemberWalkPosition>>> Gather(
      db::Transaction& tx, int limit, RuleVersions& rules);
  // The members of `organizations` by organisation, each by member id, of the category:
  // standings from the rollups, or the members as they stood (standings still to count).
  absl::StatusOr<std::map<int64_t, std::vector<MemberStanding>>> Direct(
      db::Transaction& tx, const std::vector<int64_t>& organizations,
      std::vector<MemberOnDate>* on_date) const;
  bool InCategory(int64_t mask) const {
    return category_ == 0 || (mask & (int64_t{1} << category_)) != 0;
  }

  const ScopedStandings& standings_;
  const std::optional<RollupView> view_;
  const int category_;
  const std::vector<int64_t> organizations_;
  MemberWalkPosition position_;
  // How many organisations the next read takes: grows while they are small.
  size_t batch_ = 8;
  std::map<int64_t, OrganizationLabel> organization_labels_;
  const FiguresRecount recount_{};
  const RollupRepository rollups_{};
  const ReportDirectory directory_{};
};

}  // namespace lms::statistics

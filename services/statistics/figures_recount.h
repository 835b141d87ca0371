#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/statistics/members_on_date.h"
#include "services/statistics/organization_figures.h"
#include "services/statistics/requirements_on_date.h"
#include "services/statistics/rule_versions.h"
#include "services/statistics/tree_on_date.h"

namespace lms::statistics {

// What a figure set counts: a calendar year's requirements (every plan in force), or one
// plan's (of its year; members it does not speak for are left out).
struct RecountPeriod {
  int year = 0;
  int64_t plan_id = 0;
};

// Every member of a subtree as of a day, with the tree and the rules that applied.
struct RecountedStandings {
  TreeOnDate tree;
  std::vector<MemberStanding> members;
  RuleVersions rules;
};

// A subtree's figures for `year` as of `day`, recounted from the raw records: the tree,
// members, categories, requirements and settings of that day; the ledger, self-study and
// completions that happened by its end and were received by `received_by`
// (InfiniteFuture: everything). Slow by design (it reads every member's rows): it is the
// tests' reference and the answer for past dates. Stateless; thread-safe.
class FiguresRecount {
 public:
  // NOT_FOUND when `root` did not exist on `day`.
  [[nodiscard]] absl::StatusOr<SubtreeFigures> Compute(db::Transaction& tx, int64_t root, int year,
                                                       absl::CivilDay day,
                                                       absl::Time received_by) const;
  // The members' standings the figures add up, for a year or a plan.
  [[nodiscard]] absl::StatusOr<RecountedStandings> Standings(db::Transaction& tx, int64_t root,
                                                             const RecountPeriod& period,
                                                             absl::CivilDay day,
                                                             absl::Time received_by) const;
  // The standings of `members` (as MembersOnDate or MembersByIdOnDate gave them for `day`,
  // in `tree` of that day), adding the rules applied to `rules`.
  [[nodiscard]] absl::StatusOr<std::vector<MemberStanding>> StandingsOf(
      db::Transaction& tx, const TreeOnDate& tree, const std::vector<MemberOnDate>& members,
      const RecountPeriod& period, absl::CivilDay day, absl::Time received_by,
      RuleVersions& rules) const;

 private:
  const RequirementsOnDate requirements_{};
};

// The requirement pro rata to `day`: the share of `year`'s days passed by its end (all of
// it after the year, none before).
[[nodiscard]] int64_t ExpectedByDate(int64_t required_hundredths, int year, absl::CivilDay day);

}  // namespace lms::statistics

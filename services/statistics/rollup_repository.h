#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"
#include "services/statistics/member_standing.h"
#include "services/statistics/organization_figures.h"
#include "services/statistics/rule_versions.h"

namespace lms::statistics {

// What the rollups hold (statistics_rollup_state).
struct RollupState {
  int year = 0;
  absl::CivilDay standing_day;
  std::string rules_fingerprint;
  RuleVersions rules;
  absl::Time build_time = absl::InfinitePast();
};

// An organisation's direct members in one category: the figures, and those behind.
struct RollupRow {
  CategoryFigures figures;
  int64_t members_behind = 0;
  int64_t members_overdue = 0;
};

// The rollups as a reader may use them: their rule versions and how far behind the data
// they are.
struct RollupView {
  RuleVersions rules;
  // Since the oldest change still queued (0: none).
  int64_t lag_ms = 0;
};

// A queued change: its row id and member.
struct QueuedMember {
  int64_t id = 0;
  int64_t member_id = 0;
};

// SQL for the statistics rollups: the state row, members' standings, organisations'
// rollup rows and the queue of members to recompute. Stateless; thread-safe.
class RollupRepository {
 public:
  // With `lock`, the row FOR UPDATE: one job at a time writes the rollups.
  [[nodiscard]] absl::StatusOr<RollupState> State(db::Transaction& tx, bool lock) const;
  [[nodiscard]] absl::Status SaveState(db::Transaction& tx, const RollupState& state) const;
  // Inside a reader's transaction: the rollups if they hold `day` of `year` under the
  // rules of now; nullopt when a rebuild is due (the reader recounts meanwhile).
  [[nodiscard]] absl::StatusOr<std::optional<RollupView>> View(db::Transaction& tx, int year,
                                                               absl::CivilDay day,
                                                               absl::Time now) const;
  // What the rules the rollups depend on look like now (plans and their versions, setting
  // changes, tree moves): any change to them changes this text.
  [[nodiscard]] absl::StatusOr<std::string> RulesFingerprint(db::Transaction& tx) const;

  // The oldest `limit` queued rows, and the queue time of the oldest (nullopt: empty).
  [[nodiscard]] absl::StatusOr<std::vector<QueuedMember>> Queued(db::Transaction& tx,
                                                                 int limit) const;
  [[nodiscard]] absl::StatusOr<std::optional<absl::Time>> OldestQueued(db::Transaction& tx) const;
  [[nodiscard]] absl::Status DeleteQueued(db::Transaction& tx,
                                          const std::vector<int64_t>& ids) const;

  // Standings: by member, where each member stands now.
  [[nodiscard]] absl::StatusOr<std::map<int64_t, int64_t>> OrganizationsOf(
      db::Transaction& tx, const std::vector<int64_t>& member_ids) const;
  // The standings of the members of `organization_ids`, by member id.
  [[nodiscard]] absl::StatusOr<std::vector<MemberStanding>> StandingsIn(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids) const;
  // How many of those standings there are, of `category` (0: any).
  [[nodiscard]] absl::StatusOr<int64_t> CountIn(db::Transaction& tx,
                                                const std::vector<int64_t>& organization_ids,
                                                int category) const;
  // Members behind, the largest shortfall first (then the higher member id), after the
  // keyset `after` (-shortfall, -member id), at most `limit`; in `organization_ids` (all
  // members when empty) and of `category` (0: any). Walks the behind index: a first page
  // reads a page of rows, however large the site.
  [[nodiscard]] absl::StatusOr<std::vector<MemberStanding>> BehindPage(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids, int category,
      const std::optional<std::pair<int64_t, int64_t>>& after, int limit) const;
  [[nodiscard]] absl::StatusOr<int64_t> BehindCount(db::Transaction& tx,
                                                    const std::vector<int64_t>& organization_ids,
                                                    int category) const;
  [[nodiscard]] absl::Status SaveStandings(db::Transaction& tx,
                                           const std::vector<MemberStanding>& standings) const;
  [[nodiscard]] absl::Status DeleteStandings(db::Transaction& tx,
                                             const std::vector<int64_t>& member_ids) const;

  // Organisation rollups: replaces those of `organization_ids` with `rows` (organisation ->
  // rows by category; an organisation without rows is left with none).
  [[nodiscard]] absl::Status ReplaceRollups(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids,
      const std::map<int64_t, std::vector<RollupRow>>& rows) const;
  [[nodiscard]] absl::StatusOr<std::map<int64_t, std::vector<RollupRow>>> Rollups(
      db::Transaction& tx, const std::vector<int64_t>& organization_ids) const;
  // Empties the standings and the rollups (a rebuild).
  [[nodiscard]] absl::Status Clear(db::Transaction& tx) const;
};

// Adds up `members` (direct members of one organisation) into rollup rows: all members
// first, then each category someone holds.
[[nodiscard]] std::vector<RollupRow> RollupRowsOf(const std::vector<MemberStanding>& members);

// "0,17,42" / "920:1,921:3" and back: rule versions as stored beside frozen or rolled-up
// figures.
[[nodiscard]] std::pair<std::string, std::string> RulesText(const RuleVersions& rules);
[[nodiscard]] RuleVersions RulesFromText(const std::string& settings, const std::string& plans);

}  // namespace lms::statistics

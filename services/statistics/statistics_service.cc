#include "services/statistics/statistics_service.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "services/statistics/figures_hash.h"

namespace lms::statistics {
namespace {

constexpr char kMembersBehindPage[] = "members_behind";
constexpr int kDefaultRankCount = 5;
constexpr int kMaxRankCount = 50;
constexpr int kLastCategory = 6;

// The sort key of a member behind under `order`, member id last.
std::pair<int64_t, int64_t> SortKey(const MemberStanding& member, MembersBehindOrder order) {
  switch (order) {
    case MembersBehindOrder::kOrganization:
      return {member.organization_id, member.member_id};
    case MembersBehindOrder::kLastStudy:
      // Never studied sorts first: longest without study.
      return {member.last_study == absl::InfinitePast() ? std::numeric_limits<int64_t>::min()
                                                        : absl::ToUnixMicros(member.last_study),
              member.member_id};
    case MembersBehindOrder::kShortfall:
    case MembersBehindOrder::kUnspecified:
      break;
  }
  // Equal shortfalls: the higher member id first (the rollups' index order, walked back).
  return {-member.shortfall_hundredths(), -member.member_id};
}

std::string MemberLine(const MemberStanding& m) {
  return absl::StrCat(
      m.member_id, ",", m.organization_id, ",", m.category_mask, ",", m.required_hundredths, ",",
      m.expected_hundredths, ",", m.credited_hundredths, ",", m.overdue_courses, ",",
      m.last_study == absl::InfinitePast() ? 0 : absl::ToUnixMicros(m.last_study), "\n");
}

}  // namespace

int32_t Permille(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return static_cast<int32_t>(part * 1000 / whole);
}

absl::StatusOr<OrganizationReport> StatisticsService::Organization(
    const call::CallContext& call, const ScopeRequest& request) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  const absl::Time now = clock_.Now();
  OrganizationReport report;
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.LoadScope(tx, request, now));
  ASSIGN_OR_RETURN(std::optional<SubtreeFigures> rolled,
                   standings_.RolledUpFigures(tx, standings, now));
  if (rolled.has_value()) {
    report.figures = *std::move(rolled);
  } else {
    RETURN_IF_ERROR(standings_.Fill(tx, standings, std::nullopt));
    report.figures =
        AddUp(standings.recounted.tree, standings.scope.root, standings.recounted.members);
  }
  std::vector<int64_t> ids{standings.scope.root};
  for (const OrganizationFigures& child : report.figures.children) {
    ids.push_back(child.organization_id);
  }
  ASSIGN_OR_RETURN(report.labels, directory_.Organizations(tx, ids));
  report.stamp = std::move(standings.stamp);
  report.stamp.figures_hash = FiguresHash(report.figures);
  return report;
}

absl::StatusOr<MembersBehindPage> StatisticsService::MembersBehind(
    const call::CallContext& call, const MembersBehindInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (input.category < 0 || input.category > kLastCategory) {
    errors.Add("category", absl::StrCat("is not a member category (got ", input.category, ")"));
  }
  if (static_cast<int>(input.order) < 0 ||
      static_cast<int>(input.order) > static_cast<int>(MembersBehindOrder::kLastStudy)) {
    errors.Add("order", absl::StrCat("is not an order (got ", static_cast<int>(input.order), ")"));
  }
  RETURN_IF_ERROR(errors.ToStatus());

  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.LoadScope(tx, input.scope, now));
  const uint64_t fingerprint = PageFingerprint(
      standings.scope, absl::StrCat(input.category, "/", static_cast<int>(input.order)));
  std::optional<std::pair<int64_t, int64_t>> after;
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(
        const paging::KeysetCursor cursor,
        paging::DecodeKeysetToken(kMembersBehindPage, input.page_token, 2, fingerprint));
    after = {cursor.keys[0], cursor.keys[1]};
  }

  // The page's rows and one more (is there a next page?), and the total.
  MembersBehindPage page;
  std::vector<MemberStanding> rows;
  ASSIGN_OR_RETURN(const std::optional<RollupView> view, standings_.Rollup(tx, standings, now));
  const bool by_shortfall = input.order == MembersBehindOrder::kShortfall ||
                            input.order == MembersBehindOrder::kUnspecified;
  if (view.has_value() && by_shortfall) {
    // The rollups' behind index, walked from the cursor: a page costs a page.
    const TreeOnDate& tree = standings.recounted.tree;
    const bool whole_site = tree.Parent(standings.scope.root) == 0 && tree.Roots().size() == 1;
    const std::vector<int64_t> organizations =
        whole_site ? std::vector<int64_t>{} : tree.Subtree(standings.scope.root);
    ASSIGN_OR_RETURN(rows,
                     rollups_.BehindPage(tx, organizations, input.category, after, *page_size + 1));
    ASSIGN_OR_RETURN(page.total, rollups_.BehindCount(tx, organizations, input.category));
  } else {
    RETURN_IF_ERROR(standings_.Fill(tx, standings, view));
    std::vector<const MemberStanding*> behind;
    for (const MemberStanding& member : standings.recounted.members) {
      if (!member.behind()) continue;
      if (input.category != 0 && (member.category_mask & (int64_t{1} << input.category)) == 0) {
        continue;
      }
      behind.push_back(&member);
    }
    const auto key = [&](const MemberStanding* member) { return SortKey(*member, input.order); };
    std::sort(behind.begin(), behind.end(),
              [&](const MemberStanding* a, const MemberStanding* b) { return key(a) < key(b); });
    page.total = static_cast<int64_t>(behind.size());
    auto first = behind.begin();
    if (after.has_value()) {
      first = std::upper_bound(behind.begin(), behind.end(), *after,
                               [&](const std::pair<int64_t, int64_t>& cursor,
                                   const MemberStanding* member) { return cursor < key(member); });
    }
    for (auto it = first; it != behind.end() && static_cast<int>(rows.size()) <= *page_size; ++it) {
      rows.push_back(**it);
    }
  }
  if (static_cast<int>(rows.size()) > *page_size) {
    rows.resize(*page_size);
    paging::KeysetCursor cursor;
    const auto [first_key, second_key] = SortKey(rows.back(), input.order);
    cursor.keys = {first_key, second_key};
    cursor.filter_fingerprint = fingerprint;
    page.next_page_token = paging::EncodeKeysetToken(kMembersBehindPage, cursor);
  }
  std::vector<int64_t> member_ids, organization_ids, plan_ids;
  std::string text = "lms-members-behind-v1\n";
  for (const MemberStanding& member : rows) {
    MemberBehindRow row;
    row.standing = member;
    row.plan_id = member.behind_plan_id();
    member_ids.push_back(member.member_id);
    organization_ids.push_back(member.organization_id);
    if (row.plan_id != 0) plan_ids.push_back(row.plan_id);
    absl::StrAppend(&text, MemberLine(member));
    page.members.push_back(std::move(row));
  }
  std::sort(organization_ids.begin(), organization_ids.end());
  organization_ids.erase(std::unique(organization_ids.begin(), organization_ids.end()),
                         organization_ids.end());
  ASSIGN_OR_RETURN(const auto members, directory_.Members(tx, member_ids));
  ASSIGN_OR_RETURN(const auto organizations, directory_.Organizations(tx, organization_ids));
  ASSIGN_OR_RETURN(const auto titles, directory_.PlanTitles(tx, plan_ids));
  for (MemberBehindRow& row : page.members) {
    if (const auto found = members.find(row.standing.member_id); found != members.end()) {
      row.member = found->second;
    }
    if (const auto found = organizations.find(row.standing.organization_id);
        found != organizations.end()) {
      row.organization_name = found->second.name;
    }
    if (const auto found = titles.find(row.plan_id); found != titles.end()) {
      row.plan_title = found->second;
    }
  }
  absl::StrAppend(&text, "total ", page.total, "\n");
  page.stamp = std::move(standings.stamp);
  page.stamp.figures_hash = CanonicalTextHash(text);
  return page;
}

absl::StatusOr<ChildRanking> StatisticsService::RankChildren(const call::CallContext& call,
                                                             const ScopeRequest& request,
                                                             int count) const {
  if (count < 0 || count > kMaxRankCount) {
    return status::InvalidField("count",
                                absl::StrCat("must be 0 to ", kMaxRankCount, " (got ", count, ")"));
  }
  if (count == 0) count = kDefaultRankCount;
  ASSIGN_OR_RETURN(OrganizationReport report, Organization(call, request));
  std::vector<RankedChild> ranked;
  for (const OrganizationFigures& child : report.figures.children) {
    const CategoryFigures& all = child.categories.front();
    if (all.members == 0) continue;
    RankedChild row;
    row.organization_id = child.organization_id;
    if (const auto found = report.labels.find(child.organization_id);
        found != report.labels.end()) {
      row.name = found->second.name;
    }
    row.members = all.members;
    row.coverage_permille = Permille(all.members_meeting_requirement, all.members);
    row.completion_permille = Permille(all.completed_enrollments, all.required_enrollments);
    ranked.push_back(std::move(row));
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedChild& a, const RankedChild& b) {
    return std::make_tuple(-a.coverage_permille, -a.completion_permille, a.name,
                           a.organization_id) <
           std::make_tuple(-b.coverage_permille, -b.completion_permille, b.name, b.organization_id);
  });
  std::string text = "lms-ranking-v1\n";
  for (size_t i = 0; i < ranked.size(); ++i) {
    ranked[i].rank = static_cast<int>(i) + 1;
    absl::StrAppend(&text, ranked[i].organization_id, ",", ranked[i].members, ",",
                    ranked[i].coverage_permille, ",", ranked[i].completion_permille, "\n");
  }
  ChildRanking ranking;
  const size_t shown = std::min(ranked.size(), static_cast<size_t>(count));
  ranking.best.assign(ranked.begin(), ranked.begin() + shown);
  ranking.worst.assign(ranked.rbegin(), ranked.rbegin() + shown);
  ranking.stamp = std::move(report.stamp);
  ranking.stamp.figures_hash = CanonicalTextHash(text);
  return ranking;
}

absl::StatusOr<EscalationReport> StatisticsService::Escalation(const call::CallContext& call,
                                                               const ScopeRequest& request) const {
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.LoadScope(tx, request, now));
  std::map<int64_t, EscalationRow> by_child;
  // Counts `behind` and `overdue` members of `organization` at the child answering for it
  // (the root answers for its own direct members).
  const auto count = [&](const TreeOnDate& tree, int64_t organization, int64_t behind,
                         int64_t overdue) {
    if (behind == 0) return;
    const int64_t responsible = tree.BranchUnder(standings.scope.root, organization);
    EscalationRow& row = by_child[responsible];
    row.organization_id = responsible;
    row.members_behind += behind;
    row.members_overdue += overdue;
  };
  ASSIGN_OR_RETURN(const std::optional<RollupView> view, standings_.Rollup(tx, standings, now));
  if (view.has_value()) {
    // Each organisation's rollup rows already count its members behind and overdue.
    const TreeOnDate& tree = standings.recounted.tree;
    ASSIGN_OR_RETURN(const auto rollups, rollups_.Rollups(tx, tree.Subtree(standings.scope.root)));
    for (const auto& [organization, rows] : rollups) {
      for (const RollupRow& row : rows) {
        if (row.figures.category == 0) {
          count(tree, organization, row.members_behind, row.members_overdue);
        }
      }
    }
  } else {
    RETURN_IF_ERROR(standings_.Fill(tx, standings, std::nullopt));
    for (const MemberStanding& member : standings.recounted.members) {
      if (member.behind()) {
        count(standings.recounted.tree, member.organization_id, 1,
              member.overdue_courses > 0 ? 1 : 0);
      }
    }
  }
  std::vector<int64_t> ids;
  for (const auto& [id, row] : by_child) ids.push_back(id);
  ASSIGN_OR_RETURN(const auto labels, directory_.Organizations(tx, ids));
  ASSIGN_OR_RETURN(auto admins, directory_.AdminsAt(tx, ids));
  EscalationReport report;
  for (auto& [id, row] : by_child) {
    if (const auto found = labels.find(id); found != labels.end()) row.name = found->second.name;
    row.admins = std::move(admins[id]);
    report.rows.push_back(std::move(row));
  }
  std::sort(report.rows.begin(), report.rows.end(),
            [](const EscalationRow& a, const EscalationRow& b) {
              return std::make_tuple(-a.members_behind, -a.members_overdue, a.organization_id) <
                     std::make_tuple(-b.members_behind, -b.members_overdue, b.organization_id);
            });
  std::string text = "lms-escalation-v1\n";
  for (const EscalationRow& row : report.rows) {
    absl::StrAppend(&text, row.organization_id, ",", row.members_behind, ",", row.members_overdue,
                    "\n");
  }
  report.stamp = std::move(standings.stamp);
  report.stamp.figures_hash = CanonicalTextHash(text);
  return report;
}

absl::StatusOr<HoursDistributionReport> StatisticsService::HoursDistribution(
    const call::CallContext& call, const ScopeRequest& request, int category) const {
  if (category < 0 || category > kLastCategory) {
    return status::InvalidField("category",
                                absl::StrCat("is not a member category (got ", category, ")"));
  }
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.Load(tx, request, clock_.Now()));
  HoursDistributionReport report;
  for (int32_t from = 0; from <= 100; from += 25) {
    report.buckets.push_back({from, from == 100 ? 0 : from + 25, 0});
  }
  for (const MemberStanding& member : standings.recounted.members) {
    if (category != 0 && (member.category_mask & (int64_t{1} << category)) == 0) continue;
    if (member.required_hundredths <= 0) {
      ++report.members_without_requirement;
      continue;
    }
    const int64_t percent =
        std::max<int64_t>(0, member.credited_hundredths) * 100 / member.required_hundredths;
    ++report.buckets[static_cast<size_t>(std::min<int64_t>(percent / 25, 4))].members;
  }
  std::string text = "lms-hours-distribution-v1\n";
  for (const HoursBucket& bucket : report.buckets) {
    absl::StrAppend(&text, bucket.from_percent, ",", bucket.members, "\n");
  }
  absl::StrAppend(&text, "none,", report.members_without_requirement, "\n");
  report.stamp = std::move(standings.stamp);
  report.stamp.figures_hash = CanonicalTextHash(text);
  return report;
}

}  // namespace lms::statistics

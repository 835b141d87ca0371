#include "services/statistics/member_details.h"

#include <algorithm>
#include <utility>

#include "common/status/status_macros.h"
#include "services/statistics/hours_on_date.h"
#include "services/statistics/members_on_date.h"

namespace lms::statistics {
namespace {

// Organisations a read may take at most: enough that a walk over a tree of thousands of
// small branches is a few hundred statements, few enough that a read past the batch's end
// (read again by the next call) stays small.
constexpr size_t kMaxBatch = 256;

}  // namespace

MemberDetailWalk::MemberDetailWalk(const ScopedStandings& standings, std::optional<RollupView> view,
                                   int category, MemberWalkPosition from)
    : standings_(standings),
      view_(std::move(view)),
      category_(category),
      organizations_(standings.recounted.tree.DepthFirst(standings.scope.root)),
      position_(from) {}

absl::StatusOr<std::map<int64_t, std::vector<MemberStanding>>> MemberDetailWalk::Direct(
    db::Transaction& tx, const std::vector<int64_t>& organizations,
    std::vector<MemberOnDate>* on_date) const {
  std::map<int64_t, std::vector<MemberStanding>> by_organization;
  if (view_.has_value()) {
    ASSIGN_OR_RETURN(const std::vector<MemberStanding> standings,
                     rollups_.StandingsIn(tx, organizations));
    for (const MemberStanding& standing : standings) {
      if (InCategory(standing.category_mask)) {
        by_organization[standing.organization_id].push_back(standing);
      }
    }
    return by_organization;
  }
  ASSIGN_OR_RETURN(std::vector<MemberOnDate> members,
                   MembersOnDate(tx, organizations, standings_.scope.day));
  for (MemberOnDate& member : members) {
    if (!InCategory(member.category_mask)) continue;
    // Where the member stands is counted once the batch is chosen (Gather).
    MemberStanding to_count;
    to_count.member_id = member.member_id;
    to_count.organization_id = member.organization_id;
    by_organization[member.organization_id].push_back(to_count);
    on_date->push_back(std::move(member));
  }
  return by_organization;
}

absl::StatusOr<std::vector<std::pair<MemberStanding, MemberWalkPosition>>> MemberDetailWalk::Gather(
    db::Transaction& tx, int limit, RuleVersions& rules) {
  std::vector<std::pair<MemberStanding, MemberWalkPosition>> taken;
  std::vector<MemberOnDate> on_date;
  const size_t wanted = static_cast<size_t>(std::max(limit, 1));
  bool full = false;
  while (!full && static_cast<size_t>(position_.organization_index) < organizations_.size()) {
    const size_t first = static_cast<size_t>(position_.organization_index);
    const size_t end = std::min(organizations_.size(), first + batch_);
    const std::vector<int64_t> batch(organizations_.begin() + static_cast<ptrdiff_t>(first),
                                     organizations_.begin() + static_cast<ptrdiff_t>(end));
    ASSIGN_OR_RETURN(const auto by_organization, Direct(tx, batch, &on_date));
    for (size_t index = first; index < end && !full; ++index) {
      const auto found = by_organization.find(organizations_[index]);
      if (found != by_organization.end()) {
        const int64_t after = index == first ? position_.member_id : 0;
        for (const MemberStanding& member : found->second) {
          if (member.member_id <= after) continue;
          if (taken.size() == wanted) {
            full = true;
            break;
          }
          position_ = {static_cast<int64_t>(index), member.member_id};
          taken.emplace_back(member, position_);
        }
      }
      if (!full) position_ = {static_cast<int64_t>(index) + 1, 0};
    }
    if (!full && end - first == batch_) batch_ = std::min(batch_ * 2, kMaxBatch);
  }
  if (view_.has_value() || taken.empty()) return taken;

  // Recounted: the standings of the members taken, in the walk's order. A plan's figures
  // leave out members it does not speak for.
  std::vector<MemberOnDate> members;
  members.reserve(taken.size());
  std::sort(on_date.begin(), on_date.end(),
            [](const MemberOnDate& a, const MemberOnDate& b) { return a.member_id < b.member_id; });
  for (const auto& [member, position] : taken) {
    const auto found =
        std::lower_bound(on_date.begin(), on_date.end(), member.member_id,
                         [](const MemberOnDate& m, int64_t id) { return m.member_id < id; });
    members.push_back(*found);
  }
  std::sort(members.begin(), members.end(),
            [](const MemberOnDate& a, const MemberOnDate& b) { return a.member_id < b.member_id; });
  const ResolvedScope& scope = standings_.scope;
  ASSIGN_OR_RETURN(std::vector<MemberStanding> counted,
                   recount_.StandingsOf(tx, standings_.recounted.tree, members, scope.period,
                                        scope.day, scope.received_by, rules));
  std::map<int64_t, MemberStanding> by_member;
  for (MemberStanding& standing : counted) by_member[standing.member_id] = std::move(standing);
  std::vector<std::pair<MemberStanding, MemberWalkPosition>> ordered;
  ordered.reserve(by_member.size());
  for (const auto& [member, position] : taken) {
    if (const auto found = by_member.find(member.member_id); found != by_member.end()) {
      ordered.emplace_back(std::move(found->second), position);
    }
  }
  return ordered;
}

absl::StatusOr<std::vector<MemberDetail>> MemberDetailWalk::Next(db::Transaction& tx, int limit,
                                                                 RuleVersions& rules) {
  std::vector<std::pair<MemberStanding, MemberWalkPosition>> standings;
  // A plan's recount may leave a whole batch out: read on until a member is in or the
  // walk is over.
  while (standings.empty() &&
         static_cast<size_t>(position_.organization_index) < organizations_.size()) {
    ASSIGN_OR_RETURN(standings, Gather(tx, limit, rules));
  }
  std::vector<MemberDetail> details;
  if (standings.empty()) return details;

  std::vector<int64_t> member_ids;
  std::vector<int64_t> unnamed_organizations;
  member_ids.reserve(standings.size());
  for (const auto& [standing, position] : standings) {
    member_ids.push_back(standing.member_id);
    if (organization_labels_.count(standing.organization_id) == 0) {
      unnamed_organizations.push_back(standing.organization_id);
    }
  }
  std::sort(unnamed_organizations.begin(), unnamed_organizations.end());
  unnamed_organizations.erase(
      std::unique(unnamed_organizations.begin(), unnamed_organizations.end()),
      unnamed_organizations.end());
  if (!unnamed_organizations.empty()) {
    ASSIGN_OR_RETURN(auto labels, directory_.Organizations(tx, unnamed_organizations));
    organization_labels_.merge(labels);
  }
  ASSIGN_OR_RETURN(auto names, directory_.Members(tx, member_ids));
  const ResolvedScope& scope = standings_.scope;
  ASSIGN_OR_RETURN(auto by_source, HoursBySourceOnDate(tx, member_ids, scope.period.year, scope.day,
                                                       scope.received_by));

  details.reserve(standings.size());
  for (auto& [standing, position] : standings) {
    MemberDetail detail;
    detail.position = position;
    detail.member = std::move(names[standing.member_id]);
    detail.organization = organization_labels_[standing.organization_id];
    detail.hours_by_source = std::move(by_source[standing.member_id]);
    detail.standing = std::move(standing);
    details.push_back(std::move(detail));
  }
  return details;
}

absl::StatusOr<int64_t> MemberDetailWalk::Count(db::Transaction& tx) const {
  if (view_.has_value()) return rollups_.CountIn(tx, organizations_, category_);
  ASSIGN_OR_RETURN(const std::vector<MemberOnDate> members,
                   MembersOnDate(tx, organizations_, standings_.scope.day));
  return static_cast<int64_t>(
      std::count_if(members.begin(), members.end(),
                    [&](const MemberOnDate& member) { return InCategory(member.category_mask); }));
}

}  // namespace lms::statistics

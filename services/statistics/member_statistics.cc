#include "services/statistics/member_statistics.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "services/statistics/figures_hash.h"

namespace lms::statistics {
namespace {

constexpr char kMemberListingPage[] = "member_statistics";
constexpr int kLastCategory = 6;

}  // namespace

absl::Status CheckMemberCategory(int category) {
  if (category >= 0 && category <= kLastCategory) return absl::OkStatus();
  return status::InvalidField("category",
                              absl::StrCat("is not a member category (got ", category, ")"));
}

std::string MemberDetailLine(const MemberDetail& member) {
  const MemberStanding& m = member.standing;
  std::string line = absl::StrCat(
      m.member_id, ",", m.organization_id, ",", m.category_mask, ",", m.in_plan ? 1 : 0, ",",
      m.required_hundredths, ",", m.expected_hundredths, ",", m.credited_hundredths, ",",
      m.required_courses, ",", m.completed_courses, ",", m.overdue_courses, ",", m.study_ms, ",",
      m.last_study == absl::InfinitePast() ? 0 : absl::ToUnixMicros(m.last_study));
  for (const auto& [source, hundredths] : member.hours_by_source) {
    absl::StrAppend(&line, ",", source, ":", hundredths);
  }
  absl::StrAppend(&line, "\n");
  return line;
}

absl::StatusOr<MemberListingPage> MemberStatistics::Page(const call::CallContext& call,
                                                         const MemberListingInput& input) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (const absl::Status category = CheckMemberCategory(input.category); !category.ok()) {
    errors.Add("category", std::string(category.message()));
  }
  RETURN_IF_ERROR(errors.ToStatus());

  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(ScopedStandings standings, standings_.LoadScope(tx, input.scope, now));
  const uint64_t fingerprint =
      PageFingerprint(standings.scope, absl::StrCat("members/", input.category));
  MemberWalkPosition from;
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(
        const paging::KeysetCursor cursor,
        paging::DecodeKeysetToken(kMemberListingPage, input.page_token, 2, fingerprint));
    from = {cursor.keys[0], cursor.keys[1]};
  }
  ASSIGN_OR_RETURN(std::optional<RollupView> view, standings_.RollupOrTree(tx, standings, now));
  MemberDetailWalk walk(standings, std::move(view), input.category, from);
  MemberListingPage page;
  // One more than the page: a last page never points at an empty one.
  ASSIGN_OR_RETURN(page.members, walk.Next(tx, *page_size + 1, standings.stamp.rules));
  if (static_cast<int>(page.members.size()) > *page_size) {
    page.members.resize(static_cast<size_t>(*page_size));
    const MemberWalkPosition after = page.members.back().position;
    paging::KeysetCursor cursor;
    cursor.keys = {after.organization_index, after.member_id};
    cursor.filter_fingerprint = fingerprint;
    page.next_page_token = paging::EncodeKeysetToken(kMemberListingPage, cursor);
  }
  std::string text = "lms-member-statistics-v1\n";
  for (const MemberDetail& member : page.members) absl::StrAppend(&text, MemberDetailLine(member));
  page.stamp = std::move(standings.stamp);
  page.stamp.figures_hash = CanonicalTextHash(text);
  return page;
}

}  // namespace lms::statistics

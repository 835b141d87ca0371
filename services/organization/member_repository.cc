#include "services/organization/member_repository.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/db/batches.h"
#include "common/status/status_macros.h"

namespace lms::organization {
namespace {

constexpr char kInsert[] =
    "INSERT INTO member (name, member_number, phone, organization_id, category_mask, join_date,"
    " birth_date, status, version, create_time, update_time)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";
constexpr char kOpenAssignment[] =
    "INSERT INTO member_assignment (member_id, organization_id, valid_from) VALUES (?, ?, ?)";
constexpr char kCloseAssignment[] =
    "UPDATE member_assignment SET valid_to = ? WHERE member_id = ? AND valid_to IS NULL";
constexpr char kReassign[] =
    "UPDATE member_assignment SET organization_id = ? WHERE member_id = ? AND valid_to IS NULL";
constexpr char kCurrentAssignmentStart[] =
    "SELECT DATE_FORMAT(valid_from, '%Y-%m-%d') FROM member_assignment"
    " WHERE member_id = ? AND valid_to IS NULL";
constexpr char kUpdate[] =
    "UPDATE member SET name = ?, phone = ?, category_mask = ?, join_date = ?, birth_date = ?,"
    " status = ?, version = version + 1, update_time = ? WHERE id = ?";
// Read under the row's lock just before the update: an import reads its members
// without locking, and the history must start from what is really replaced.
constexpr char kCategoriesAndStatus[] =
    "SELECT category_mask, status FROM member WHERE id = ? FOR UPDATE";
constexpr char kSetOrganization[] =
    "UPDATE member SET organization_id = ?, version = version + 1, update_time = ?"
    " WHERE id = ?";

#define LMS_MEMBER_COLUMNS                                                                    \
  "m.id, m.name, m.member_number, COALESCE(m.phone, ''), m.organization_id, m.category_mask," \
  " COALESCE(DATE_FORMAT(m.join_date, '%Y-%m-%d'), ''), m.status, m.version,"                 \
  " EXISTS(SELECT 1 FROM member_credential c WHERE c.member_id = m.id"                        \
  "        AND c.password_hash IS NOT NULL),"                                                 \
  " m.create_time, COALESCE(DATE_FORMAT(m.birth_date, '%Y-%m-%d'), '')"

constexpr char kSelect[] = "SELECT " LMS_MEMBER_COLUMNS " FROM member m WHERE m.id = ?";
constexpr char kSelectForUpdate[] =
    "SELECT " LMS_MEMBER_COLUMNS " FROM member m WHERE m.id = ? FOR UPDATE";
constexpr char kSelectByNumber[] =
    "SELECT " LMS_MEMBER_COLUMNS " FROM member m WHERE m.member_number = ?";
// Members of a subtree in id order. The text filter is a substring of the name (Chinese
// names have no word boundaries) or a prefix of number or phone; LIKE wildcards in the
// query are escaped by the caller. Numbers and phones are ASCII columns: a query with
// other characters binds NULL for them (LIKE NULL matches nothing).
#define LMS_MEMBER_FILTERS                                                         \
  "   AND m.id > ?"                                                                \
  "   AND (? = 0 OR (m.category_mask & ?) <> 0)"                                   \
  "   AND (? = 0 OR m.status = ?)"                                                 \
  "   AND (? = '' OR m.name LIKE ? OR m.member_number LIKE CONVERT(? USING ascii)" \
  "        OR m.phone LIKE CONVERT(? USING ascii))"                                \
  " ORDER BY m.id LIMIT ?"
// Two plans, chosen by the subtree's size (both checked with Handler_read_next at 100,000
// members): a small subtree is read through its organisations and sorted (a branch's few
// dozen members); a large one walks the primary key in order and keeps members whose
// organisation is in the subtree (closure primary key), stopping at the page's end - the
// first plan would read and sort the whole enterprise for every page.
constexpr char kListNarrow[] =
    "SELECT " LMS_MEMBER_COLUMNS
    " FROM member m"
    " WHERE m.organization_id IN (SELECT c.descendant_id FROM organization_closure c"
    "                             WHERE c.ancestor_id = ?)" LMS_MEMBER_FILTERS;
constexpr char kListBroad[] =
    "SELECT STRAIGHT_JOIN " LMS_MEMBER_COLUMNS
    " FROM member m"
    " JOIN organization_closure c ON c.ancestor_id = ? AND c.descendant_id = m.organization_id"
    " WHERE TRUE" LMS_MEMBER_FILTERS;
#undef LMS_MEMBER_FILTERS
constexpr char kMembersByNumberPrefix[] =
    "SELECT " LMS_MEMBER_COLUMNS " FROM member m WHERE m.member_number IN (";
#undef LMS_MEMBER_COLUMNS

constexpr char kSelectIdByPhone[] = "SELECT id FROM member WHERE phone = ?";
constexpr char kCountActive[] =
    "SELECT COUNT(*) FROM member WHERE organization_id = ? AND status = 1";

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  absl::CivilDay day;
  if (text.empty() || !absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

db::Param PhoneParam(const std::string& phone) {
  return phone.empty() ? db::Param(nullptr) : db::Param(phone);
}

db::Param DayParam(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? db::Param(FormatDay(*day)) : db::Param(nullptr);
}

std::string EscapeLike(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"%", "\\%"}, {"_", "\\_"}});
}

}  // namespace

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

Member MemberFromRow(const db::Row& row) {
  Member m;
  m.id = row.Int64(1);
  m.name = row.String(2);
  m.member_number = row.String(3);
  m.phone = row.String(4);
  m.organization_id = row.Int64(5);
  m.categories = MemberCategoriesFromMask(row.Int64(6));
  m.join_date = ParseDay(row.String(7));
  m.status = static_cast<MemberStatus>(row.Int64(8));
  m.version = row.Int64(9);
  m.activated = row.Bool(10);
  m.create_time = row.Time(11);
  m.birth_date = ParseDay(row.String(12));
  return m;
}

absl::StatusOr<absl::flat_hash_map<std::string, Member>> MemberRepository::FindByNumbers(
    db::Transaction& tx, const std::vector<std::string>& numbers) const {
  absl::flat_hash_map<std::string, Member> found;
  RETURN_IF_ERROR(db::ForEachBatch(numbers.size(), [&](size_t begin, size_t size) {
    const std::vector<db::Param> params(numbers.begin() + begin, numbers.begin() + begin + size);
    return tx.Query(absl::StrCat(kMembersByNumberPrefix, db::BindMarks(size), ")"), params,
                    [&](const db::Row& row) {
                      Member member = MemberFromRow(row);
                      found.emplace(member.member_number, std::move(member));
                    });
  }));
  return found;
}

absl::StatusOr<int64_t> MemberRepository::Insert(db::Transaction& tx, const Member& member,
                                                 absl::CivilDay since, absl::Time now) const {
  ASSIGN_OR_RETURN(
      const int64_t id,
      tx.Insert(kInsert, {member.name, member.member_number, PhoneParam(member.phone),
                          member.organization_id, MemberCategoryMask(member.categories),
                          DayParam(member.join_date), DayParam(member.birth_date),
                          static_cast<int>(member.status), now, now}));
  RETURN_IF_ERROR(
      tx.Execute(kOpenAssignment, {id, member.organization_id, FormatDay(since)}).status());
  RETURN_IF_ERROR(categories_.Open(tx, id, MemberCategoryMask(member.categories), since));
  RETURN_IF_ERROR(statuses_.Open(tx, id, static_cast<int>(member.status), since));
  RETURN_IF_ERROR(
      outbox_.Append(tx, {outbox::kMemberJoined, id, member.organization_id, since}, now));
  return id;
}

absl::Status MemberRepository::Update(db::Transaction& tx, const Member& member,
                                      absl::CivilDay today, absl::Time now) const {
  std::optional<std::pair<int64_t, int64_t>> stored;
  RETURN_IF_ERROR(tx.Query(kCategoriesAndStatus, {member.id}, [&](const db::Row& row) {
    stored = std::make_pair(row.Int64(1), row.Int64(2));
  }));
  const int64_t mask = MemberCategoryMask(member.categories);
  if (stored.has_value() && stored->first != mask) {
    RETURN_IF_ERROR(categories_.Change(tx, member.id, stored->first, mask, today));
  }
  if (stored.has_value() && stored->second != static_cast<int64_t>(member.status)) {
    RETURN_IF_ERROR(statuses_.Change(tx, member.id, static_cast<int>(member.status), today));
  }
  // What plans require of a member follows from categories and status.
  if (stored.has_value() &&
      (stored->first != mask || stored->second != static_cast<int64_t>(member.status))) {
    RETURN_IF_ERROR(outbox_.Append(
        tx, {outbox::kMemberChanged, member.id, member.organization_id, today}, now));
  }
  return tx
      .Execute(kUpdate,
               {member.name, PhoneParam(member.phone), MemberCategoryMask(member.categories),
                DayParam(member.join_date), DayParam(member.birth_date),
                static_cast<int>(member.status), now, member.id})
      .status();
}

absl::Status MemberRepository::Transfer(db::Transaction& tx, int64_t member_id,
                                        int64_t organization_id, absl::CivilDay effective,
                                        absl::Time now) const {
  ASSIGN_OR_RETURN(const absl::CivilDay current_start, CurrentAssignmentStart(tx, member_id));
  if (effective <= current_start) {
    // A second move on the day the current assignment began replaces it: no interval
    // may end before it starts.
    RETURN_IF_ERROR(tx.Execute(kReassign, {organization_id, member_id}).status());
  } else {
    RETURN_IF_ERROR(tx.Execute(kCloseAssignment, {FormatDay(effective - 1), member_id}).status());
    RETURN_IF_ERROR(
        tx.Execute(kOpenAssignment, {member_id, organization_id, FormatDay(effective)}).status());
  }
  RETURN_IF_ERROR(tx.Execute(kSetOrganization, {organization_id, now, member_id}).status());
  return outbox_.Append(tx, {outbox::kMemberTransferred, member_id, organization_id, effective},
                        now);
}

absl::StatusOr<absl::CivilDay> MemberRepository::CurrentAssignmentStart(db::Transaction& tx,
                                                                        int64_t member_id) const {
  std::optional<absl::CivilDay> start;
  RETURN_IF_ERROR(tx.Query(kCurrentAssignmentStart, {member_id},
                           [&](const db::Row& row) { start = ParseDay(row.String(1)); }));
  if (!start.has_value()) {
    return absl::InternalError(absl::StrCat("member ", member_id, " has no open assignment"));
  }
  return *start;
}

absl::StatusOr<Member> MemberRepository::Find(db::Transaction& tx, int64_t id,
                                              bool for_update) const {
  std::optional<Member> found;
  RETURN_IF_ERROR(tx.Query(for_update ? kSelectForUpdate : kSelect, {id},
                           [&](const db::Row& row) { found = MemberFromRow(row); }));
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat("member ", id, " not found"));
  return *std::move(found);
}

absl::StatusOr<std::optional<Member>> MemberRepository::FindByNumber(
    db::Transaction& tx, const std::string& member_number) const {
  std::optional<Member> found;
  RETURN_IF_ERROR(tx.Query(kSelectByNumber, {member_number},
                           [&](const db::Row& row) { found = MemberFromRow(row); }));
  return found;
}

absl::StatusOr<std::optional<int64_t>> MemberRepository::FindIdByPhone(
    db::Transaction& tx, const std::string& phone) const {
  return tx.QueryInt64(kSelectIdByPhone, {phone});
}

absl::StatusOr<int64_t> MemberRepository::CountActive(db::Transaction& tx,
                                                      int64_t organization_id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64(kCountActive, {organization_id}));
  return count.value_or(0);
}

absl::StatusOr<std::vector<Member>> MemberRepository::List(db::Transaction& tx,
                                                           const MemberQuery& query) const {
  const int category = static_cast<int>(query.category);
  const int64_t category_mask = category == 0 ? 0 : int64_t{1} << category;
  const int status = static_cast<int>(query.status);
  const std::string escaped = EscapeLike(query.text);
  const bool ascii = std::all_of(query.text.begin(), query.text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const db::Param prefix = ascii ? db::Param(absl::StrCat(escaped, "%")) : db::Param(nullptr);
  std::vector<Member> members;
  RETURN_IF_ERROR(
      tx.Query(query.broad ? kListBroad : kListNarrow,
               {query.root_id, query.after_id, category, category_mask, status, status, query.text,
                absl::StrCat("%", escaped, "%"), prefix, prefix, query.limit},
               [&](const db::Row& row) { members.push_back(MemberFromRow(row)); }));
  return members;
}

}  // namespace lms::organization

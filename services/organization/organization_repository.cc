#include "services/organization/organization_repository.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/status_macros.h"

namespace lms::organization {
namespace {

constexpr char kInsert[] =
    "INSERT INTO organization (parent_id, name, code, kind, closed, version, create_time,"
    " update_time) VALUES (?, ?, ?, ?, 0, 1, ?, ?)";
// The new organisation's pairs: itself at depth 0, and below each ancestor of its parent.
constexpr char kInsertSelfLink[] =
    "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, 0)";
constexpr char kInsertAncestorLinks[] =
    "INSERT INTO organization_closure (ancestor_id, descendant_id, depth)"
    " SELECT ancestor_id, ?, depth + 1 FROM organization_closure WHERE descendant_id = ?";
constexpr char kOpenHistory[] =
    "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
    " changed_by) VALUES (?, ?, ?, ?)";
constexpr char kCloseHistory[] =
    "UPDATE organization_parent_history SET valid_to = ?"
    " WHERE organization_id = ? AND valid_to IS NULL";
constexpr char kUpdate[] =
    "UPDATE organization SET name = ?, code = ?, kind = ?, version = version + 1,"
    " update_time = ? WHERE id = ?";
constexpr char kSetParent[] =
    "UPDATE organization SET parent_id = ?, version = version + 1, update_time = ?"
    " WHERE id = ?";
// Moving subtree S (rooted at ?) drops every pair (a, d) with d in S and a above S...
constexpr char kUnlinkSubtree[] =
    "DELETE FROM organization_closure"
    " WHERE descendant_id IN (SELECT s.descendant_id FROM organization_closure s"
    "                         WHERE s.ancestor_id = ?)"
    "   AND ancestor_id IN (SELECT a.ancestor_id FROM organization_closure a"
    "                       WHERE a.descendant_id = ? AND a.depth > 0)";
// ...and adds (a, d) for every a at or above the new parent and every d in S.
constexpr char kLinkSubtree[] =
    "INSERT INTO organization_closure (ancestor_id, descendant_id, depth)"
    " SELECT p.ancestor_id, s.descendant_id, p.depth + s.depth + 1"
    " FROM organization_closure p JOIN organization_closure s"
    " WHERE p.descendant_id = ? AND s.ancestor_id = ?";
constexpr char kClose[] =
    "UPDATE organization SET closed = 1, version = version + 1, update_time = ? WHERE id = ?";

// Columns shared by every organisation read: the path comes from the closure table
// (covering index on descendant_id, depth), the count from member (organization_id,
// status) - neither needs another round trip.
#define LMS_ORGANIZATION_COLUMNS                                                           \
  "o.id, COALESCE(o.parent_id, 0), o.name, o.code, o.kind, o.closed, o.version,"           \
  " (SELECT GROUP_CONCAT(p.ancestor_id ORDER BY p.depth DESC) FROM organization_closure p" \
  "  WHERE p.descendant_id = o.id),"                                                       \
  " (SELECT COUNT(*) FROM member m WHERE m.organization_id = o.id AND m.status = 1)"

constexpr char kSelect[] =
    "SELECT " LMS_ORGANIZATION_COLUMNS ", 0 FROM organization o WHERE o.id = ?";
constexpr char kSelectForUpdate[] =
    "SELECT " LMS_ORGANIZATION_COLUMNS ", 0 FROM organization o WHERE o.id = ? FOR UPDATE";
constexpr char kSelectByCode[] =
    "SELECT " LMS_ORGANIZATION_COLUMNS ", 0 FROM organization o WHERE o.code = ?";
constexpr char kListChildren[] =
    "SELECT " LMS_ORGANIZATION_COLUMNS
    ", 0 FROM organization o"
    " WHERE o.parent_id = ? AND (? OR o.closed = 0) AND o.id > ? ORDER BY o.id LIMIT ?";
constexpr char kListSubtree[] = "SELECT " LMS_ORGANIZATION_COLUMNS
                                ", c.depth FROM organization_closure c"
                                " JOIN organization o ON o.id = c.descendant_id"
                                " WHERE c.ancestor_id = ? AND (? OR o.closed = 0)"
                                "   AND (c.depth > ? OR (c.depth = ? AND c.descendant_id > ?))"
                                " ORDER BY c.depth, c.descendant_id LIMIT ?";
#undef LMS_ORGANIZATION_COLUMNS

constexpr char kIsWithin[] =
    "SELECT COUNT(*) FROM organization_closure WHERE ancestor_id = ? AND descendant_id = ?";
constexpr char kIsBroadSubtree[] =
    "SELECT (SELECT COUNT(*) FROM organization_closure WHERE ancestor_id = ?) * ?"
    " >= (SELECT COUNT(*) FROM organization)";
constexpr char kCountRoots[] = "SELECT COUNT(*) FROM organization WHERE parent_id IS NULL";
constexpr char kCountActiveKiosks[] =
    "SELECT COUNT(*) FROM kiosk WHERE organization_id = ? AND revoked_at IS NULL";
constexpr char kCountOpenChildren[] =
    "SELECT COUNT(*) FROM organization WHERE parent_id = ? AND closed = 0";

OrganizationRow RowToOrganization(const db::Row& row) {
  OrganizationRow result;
  Organization& o = result.organization;
  o.id = row.Int64(1);
  o.parent_id = row.Int64(2);
  o.name = row.String(3);
  o.code = row.String(4);
  o.kind = static_cast<OrganizationKind>(row.Int64(5));
  o.closed = row.Bool(6);
  o.version = row.Int64(7);
  if (!row.IsNull(8)) {
    for (const absl::string_view id : absl::StrSplit(row.String(8), ',')) {
      int64_t value = 0;
      if (absl::SimpleAtoi(id, &value)) o.path.push_back(value);
    }
  }
  o.member_count = row.Int64(9);
  result.depth = row.Int64(10);
  return result;
}

}  // namespace

absl::StatusOr<int64_t> OrganizationRepository::Insert(db::Transaction& tx,
                                                       const Organization& draft,
                                                       int64_t changed_by, absl::Time now) const {
  const db::Param parent = db::Param::NullIfZero(draft.parent_id);
  ASSIGN_OR_RETURN(const int64_t id, tx.Insert(kInsert, {parent, draft.name, draft.code,
                                                         static_cast<int>(draft.kind), now, now}));
  RETURN_IF_ERROR(tx.Execute(kInsertSelfLink, {id, id}).status());
  if (draft.parent_id != 0) {
    RETURN_IF_ERROR(tx.Execute(kInsertAncestorLinks, {id, draft.parent_id}).status());
  }
  RETURN_IF_ERROR(tx.Execute(kOpenHistory, {id, parent, now, changed_by}).status());
  return id;
}

absl::Status OrganizationRepository::Update(db::Transaction& tx, const Organization& edited,
                                            absl::Time now) const {
  return tx
      .Execute(kUpdate, {edited.name, edited.code, static_cast<int>(edited.kind), now, edited.id})
      .status();
}

absl::Status OrganizationRepository::Move(db::Transaction& tx, int64_t id, int64_t old_parent_id,
                                          int64_t new_parent_id, int64_t changed_by,
                                          absl::Time now) const {
  if (old_parent_id != 0) RETURN_IF_ERROR(tx.Execute(kUnlinkSubtree, {id, id}).status());
  RETURN_IF_ERROR(tx.Execute(kLinkSubtree, {new_parent_id, id}).status());
  RETURN_IF_ERROR(tx.Execute(kSetParent, {new_parent_id, now, id}).status());
  RETURN_IF_ERROR(tx.Execute(kCloseHistory, {now, id}).status());
  RETURN_IF_ERROR(tx.Execute(kOpenHistory, {id, new_parent_id, now, changed_by}).status());
  // The plans covering the whole moved subtree may have changed.
  return outbox_.Append(tx, {outbox::kOrganizationMoved, 0, id, std::nullopt}, now);
}

absl::Status OrganizationRepository::Close(db::Transaction& tx, int64_t id, absl::Time now) const {
  return tx.Execute(kClose, {now, id}).status();
}

absl::StatusOr<Organization> OrganizationRepository::Find(db::Transaction& tx, int64_t id,
                                                          bool for_update) const {
  std::optional<Organization> found;
  RETURN_IF_ERROR(tx.Query(for_update ? kSelectForUpdate : kSelect, {id}, [&](const db::Row& row) {
    found = RowToOrganization(row).organization;
  }));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("organisation ", id, " not found"));
  }
  return *std::move(found);
}

absl::StatusOr<std::optional<Organization>> OrganizationRepository::FindByCode(
    db::Transaction& tx, const std::string& code) const {
  std::optional<Organization> found;
  RETURN_IF_ERROR(tx.Query(kSelectByCode, {code}, [&](const db::Row& row) {
    found = RowToOrganization(row).organization;
  }));
  return found;
}

absl::StatusOr<bool> OrganizationRepository::IsWithin(db::Transaction& tx, int64_t descendant,
                                                      int64_t ancestor) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   tx.QueryInt64(kIsWithin, {ancestor, descendant}));
  return count.value_or(0) > 0;
}

absl::StatusOr<bool> OrganizationRepository::IsBroadSubtree(db::Transaction& tx, int64_t id,
                                                            int64_t share) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> broad, tx.QueryInt64(kIsBroadSubtree, {id, share}));
  return broad.value_or(0) != 0;
}

absl::StatusOr<bool> OrganizationRepository::HasRoot(db::Transaction& tx) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count, tx.QueryInt64(kCountRoots, {}));
  return count.value_or(0) > 0;
}

absl::StatusOr<int64_t> OrganizationRepository::CountOpenChildren(db::Transaction& tx,
                                                                  int64_t id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count, tx.QueryInt64(kCountOpenChildren, {id}));
  return count.value_or(0);
}

absl::StatusOr<int64_t> OrganizationRepository::CountActiveKiosks(db::Transaction& tx,
                                                                  int64_t id) const {
  ASSIGN_OR_RETURN(const std::optional<int64_t> count, tx.QueryInt64(kCountActiveKiosks, {id}));
  return count.value_or(0);
}

absl::StatusOr<std::vector<OrganizationRow>> OrganizationRepository::List(
    db::Transaction& tx, const OrganizationQuery& query) const {
  std::vector<OrganizationRow> rows;
  const auto add = [&](const db::Row& row) { rows.push_back(RowToOrganization(row)); };
  const db::Param include_closed = db::Param::Bool(query.include_closed);
  if (query.recursive) {
    RETURN_IF_ERROR(tx.Query(kListSubtree,
                             {query.root_id, include_closed, query.after_depth, query.after_depth,
                              query.after_id, query.limit},
                             add));
  } else {
    RETURN_IF_ERROR(
        tx.Query(kListChildren, {query.root_id, include_closed, query.after_id, query.limit}, add));
  }
  return rows;
}

}  // namespace lms::organization

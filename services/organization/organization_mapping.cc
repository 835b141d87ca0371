#include "services/organization/organization_mapping.h"

#include "common/grpc/proto_time.h"

namespace lms::organization {

Organization OrganizationFromProto(const v1::Organization& proto) {
  Organization organization;
  organization.id = proto.id();
  organization.parent_id = proto.parent_id();
  organization.name = proto.name();
  organization.code = proto.code();
  organization.kind = static_cast<OrganizationKind>(proto.kind());
  return organization;
}

void ToProto(const Organization& organization, v1::Organization* proto) {
  proto->set_id(organization.id);
  proto->set_parent_id(organization.parent_id);
  proto->set_name(organization.name);
  proto->set_code(organization.code);
  proto->set_kind(static_cast<v1::OrganizationKind>(organization.kind));
  for (const int64_t id : organization.path) proto->add_path(id);
  proto->set_closed(organization.closed);
  proto->set_version(organization.version);
  proto->set_member_count(organization.member_count);
}

Member MemberFromProto(const v1::Member& proto) {
  Member member;
  member.id = proto.id();
  member.name = proto.name();
  member.member_number = proto.member_number();
  member.phone = proto.phone();
  member.organization_id = proto.organization_id();
  for (const int category : proto.categories()) {
    member.categories.push_back(static_cast<MemberCategory>(category));
  }
  if (proto.has_join_date()) member.join_date = grpc_util::DayFromProto(proto.join_date());
  if (proto.has_birth_date()) member.birth_date = grpc_util::DayFromProto(proto.birth_date());
  member.status = static_cast<MemberStatus>(proto.status());
  return member;
}

void ToProto(const Member& member, v1::Member* proto) {
  proto->set_id(member.id);
  proto->set_name(member.name);
  proto->set_member_number(member.member_number);
  proto->set_phone(member.phone);
  proto->set_organization_id(member.organization_id);
  for (const MemberCategory category : member.categories) {
    proto->add_categories(static_cast<v1::MemberCategory>(category));
  }
  if (member.join_date.has_value())
    grpc_util::SetDate(*member.join_date, proto->mutable_join_date());
  if (member.birth_date.has_value()) {
    grpc_util::SetDate(*member.birth_date, proto->mutable_birth_date());
  }
  proto->set_status(static_cast<v1::MemberStatus>(member.status));
  proto->set_version(member.version);
  proto->set_activated(member.activated);
  grpc_util::SetTimestamp(member.create_time, proto->mutable_create_time());
}

void AppendRows(const v1::ImportRosterRequest& batch, RosterIntake& intake) {
  for (const v1::RosterRow& row : batch.rows()) {
    if (row.has_organization()) {
      const v1::RosterOrganization& o = row.organization();
      intake.AddOrganization({row.line(), o.code(), o.name(),
                              static_cast<OrganizationKind>(o.kind()), o.parent_code()});
    } else if (row.has_member()) {
      intake.AddMember(
          {row.line(), MemberFromProto(row.member().member()), row.member().organization_code()});
    }
  }
}

void ToProto(const ImportOutcome& outcome, v1::ImportRosterResponse* proto) {
  for (const RowError& error : outcome.errors) {
    v1::RowError* e = proto->add_errors();
    e->set_line(error.line);
    e->set_field(error.field);
    e->set_reason(error.reason);
  }
  proto->set_organizations_created(outcome.organizations_created);
  proto->set_organizations_updated(outcome.organizations_updated);
  proto->set_members_created(outcome.members_created);
  proto->set_members_updated(outcome.members_updated);
  proto->set_unchanged(outcome.unchanged);
}

}  // namespace lms::organization

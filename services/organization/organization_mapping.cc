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
  proto->set_status(static_cast<v1::MemberStatus>(member.status));
  proto->set_version(member.version);
  proto->set_activated(member.activated);
  grpc_util::SetTimestamp(member.create_time, proto->mutable_create_time());
}

}  // namespace lms::organization

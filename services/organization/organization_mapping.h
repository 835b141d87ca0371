#pragma once

#include "lms/v1/organization.pb.h"
#include "services/organization/organization.h"
#include "services/organization/roster_importer.h"
#include "services/organization/roster_intake.h"

namespace lms::organization {

// Proto <-> domain for the organisation service; the handler's only translation layer.
// Enum numbers are copied as they are: validation rejects unknown values by field name.
[[nodiscard]] Organization OrganizationFromProto(const v1::Organization& proto);
void ToProto(const Organization& organization, v1::Organization* proto);
[[nodiscard]] Member MemberFromProto(const v1::Member& proto);
void ToProto(const Member& member, v1::Member* proto);
// Appends one streamed batch of import rows.
// Hands a batch's rows to the intake, which checks each as it comes.
void AppendRows(const v1::ImportRosterRequest& batch, RosterIntake& intake);
void ToProto(const ImportOutcome& outcome, v1::ImportRosterResponse* proto);

}  // namespace lms::organization

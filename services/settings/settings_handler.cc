#include "services/settings/settings_handler.h"

#include "common/grpc/proto_time.h"

namespace lms::settings {
namespace {

void ToProto(const SettingChangeRecord& change, v1::SettingChange* proto) {
  proto->set_id(change.id);
  proto->set_organization_id(change.organization_id);
  proto->set_key(change.key);
  proto->set_value(change.value.value_or(0));
  proto->set_clear(change.cleared);
  grpc_util::SetDate(change.effective_from, proto->mutable_effective_date());
  proto->set_version(change.version);
  proto->set_changed_by_member_id(change.changed_by);
  grpc_util::SetTimestamp(change.change_time, proto->mutable_change_time());
}

void ToProto(const EffectiveSetting& setting, v1::EffectiveSetting* proto) {
  const SettingDefinition& definition = *setting.definition;
  auto* out = proto->mutable_definition();
  out->set_key(std::string(definition.key));
  out->set_description(std::string(definition.description));
  out->set_default_value(definition.default_value);
  out->set_site_wide(definition.site_wide);
  out->set_min_value(definition.min_value);
  out->set_max_value(definition.max_value);
  proto->set_value(setting.value);
  proto->set_source_organization_id(setting.source_organization_id);
  proto->set_change_id(setting.change_id);
}

}  // namespace

void SettingsHandler::Bind(grpc_util::RpcService& rpcs) const {
  rpcs.Blocking("GetSettings", *this, &SettingsHandler::GetSettings);
  rpcs.Blocking("ChangeSetting", *this, &SettingsHandler::ChangeSetting);
  rpcs.Blocking("ListSettingChanges", *this, &SettingsHandler::ListSettingChanges);
}

absl::Status SettingsHandler::GetSettings(const call::CallContext& call,
                                          const v1::GetSettingsRequest& request,
                                          v1::GetSettingsResponse* response) const {
  const std::vector<std::string> keys(request.keys().begin(), request.keys().end());
  const std::optional<absl::CivilDay> day =
      request.has_as_of() ? grpc_util::DayFromProto(request.as_of()) : std::nullopt;
  const absl::StatusOr<std::vector<EffectiveSetting>> settings =
      service_.Get(call, request.organization_id(), keys, day);
  if (!settings.ok()) return settings.status();
  for (const EffectiveSetting& setting : *settings) ToProto(setting, response->add_settings());
  return absl::OkStatus();
}

absl::Status SettingsHandler::ChangeSetting(const call::CallContext& call,
                                            const v1::ChangeSettingRequest& request,
                                            v1::SettingChange* response) const {
  SettingChangeInput input;
  input.organization_id = request.organization_id();
  input.key = request.key();
  input.value = request.value();
  input.clear = request.clear();
  if (request.has_effective_date()) {
    input.effective_date = grpc_util::DayFromProto(request.effective_date());
  }
  input.expected_version = request.expected_version();
  const absl::StatusOr<SettingChangeRecord> change = service_.Change(call, input);
  if (change.ok()) ToProto(*change, response);
  return change.status();
}

absl::Status SettingsHandler::ListSettingChanges(const call::CallContext& call,
                                                 const v1::ListSettingChangesRequest& request,
                                                 v1::ListSettingChangesResponse* response) const {
  const absl::StatusOr<SettingChangePage> page = service_.ListChanges(
      call, request.organization_id(), request.key(), request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const SettingChangeRecord& change : page->changes) ToProto(change, response->add_changes());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace lms::settings

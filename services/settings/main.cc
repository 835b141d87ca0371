// lms-settings-server: the settings service on its own.
#include "services/server/server_main.h"
#include "services/settings/settings_module.h"

int main(int argc, char** argv) {
  return lms::server::RunServerMain(argc, argv,
                                    "lms-settings-server: serves lms.v1.SettingsService",
                                    {{"settings", &lms::settings::SettingsModule::Create}});
}

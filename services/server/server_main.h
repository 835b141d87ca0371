#pragma once

#include <vector>

#include "services/server/server_host.h"

namespace lms::server {

// The body of every server binary: parses flags, sets up logging, optionally migrates,
// builds the runtime, hosts `modules` (one that cannot be built is a configuration
// error: exit 2), serves until SIGTERM or SIGINT, then drains in-flight calls within
// --shutdown_grace and exits 0.
int RunServerMain(int argc, char** argv, const char* usage,
                  const std::vector<ModuleEntry>& modules);

}  // namespace lms::server

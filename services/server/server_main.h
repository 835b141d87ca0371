#pragma once

#include <functional>

#include "services/server/server_host.h"

namespace lms::server {

// The body of every server binary: parses flags, sets up logging, optionally migrates,
// builds the runtime, lets `add_modules` register the services (an error from it is a
// configuration error: exit 2), serves until SIGTERM or
// SIGINT, then drains in-flight calls within --shutdown_grace and exits 0.
int RunServerMain(int argc, char** argv, const char* usage,
                  const std::function<absl::Status(ServerRuntime&, ServerHost&)>& add_modules);

}  // namespace lms::server

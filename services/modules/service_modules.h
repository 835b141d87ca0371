#pragma once

#include <vector>

#include "services/server/service_module.h"

namespace lms::modules {

// Every implemented service, in one list: the all-in-one server hosts them all, the test
// server too, and every descriptor-driven test (authorization matrix, write races) walks
// what they serve. Adding a service is its folder, its migration files, one line here and
// one add_subdirectory.
[[nodiscard]] const std::vector<server::ModuleEntry>& AllModules();

// The entry named `name`, or nullptr.
[[nodiscard]] const server::ModuleEntry* FindModule(absl::string_view name);

}  // namespace lms::modules

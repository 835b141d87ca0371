#pragma once

#include <string>

#include "absl/time/time.h"

namespace lms::db {

// Where the database is and how the pool behaves. Filled from flags in main.cc.
struct DbConfig {
  // TCP host; ignored when `socket` is set.
  std::string host = "127.0.0.1";
  int port = 3307;
  // Unix socket path; preferred when set (faster than loopback TCP).
  std::string socket;
  std::string user = "lms";
  // Read from a file or the environment by main.cc; never logged.
  std::string password;
  std::string database = "lms";
  // Upper bound of open connections.
  int pool_size = 32;
  absl::Duration connect_timeout = absl::Seconds(2);
  // How long a caller without a deadline waits for a free connection.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Statement time limit when the call's deadline is further away (or absent).
  absl::Duration max_statement_time = absl::Seconds(30);
  // An idle connection older than this is pinged before reuse.
  absl::Duration validate_after_idle = absl::Seconds(10);
};

}  // namespace lms::db

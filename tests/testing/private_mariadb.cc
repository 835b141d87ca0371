#include "tests/testing/private_mariadb.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lms::testing {
namespace {

std::string Root() {
  const char* root = std::getenv("LMS_ROOT");
  if (root == nullptr) {
    std::cerr << "LMS_ROOT is not set: run the suite with deploy/test.sh\n";
    std::abort();
  }
  return root;
}

}  // namespace

PrivateMariaDb::PrivateMariaDb() {
  port_ = 20000 + static_cast<int>(getpid() % 20000);
  dir_ = absl::StrCat(Root(), "/var/test-mariadb-", getpid());
  socket_ = dir_ + "/mariadb.sock";
  password_file_ = dir_ + "/lms.password";
}

PrivateMariaDb::~PrivateMariaDb() {
  Script("stop");
  const int ignored = std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
  (void)ignored;
}

void PrivateMariaDb::Script(const std::string& args) {
  const std::string command =
      absl::StrCat("LMS_DB_DIR='", dir_, "' LMS_DB_PORT=", port_, " LMS_DB_BUFFER_POOL=64M '",
                   Root(), "/deploy/mariadb.sh' ", args, " >/dev/null 2>&1");
  if (std::system(command.c_str()) != 0 && args != "stop") {
    std::cerr << "failed: " << command << "\n";
    std::abort();
  }
}

void PrivateMariaDb::Start() { Script("start"); }

void PrivateMariaDb::Kill9() { Script("kill"); }

void PrivateMariaDb::RootSql(const std::string& sql) {
  Script(absl::StrCat("sql -e \"", sql, "\""));
}

db::DbConfig PrivateMariaDb::config() const {
  db::DbConfig config;
  config.socket = socket_;
  config.user = "lms";
  config.database = "lms";
  std::ifstream in(password_file_);
  std::getline(in, config.password);
  config.password = std::string(absl::StripAsciiWhitespace(config.password));
  config.pool_size = 8;
  config.connect_timeout = absl::Seconds(1);
  return config;
}

}  // namespace lms::testing

#pragma once

#include <string>

#include "common/db/db_config.h"

namespace lms::testing {

// A disposable MariaDB of its own (deploy/mariadb.sh with its own dir and port), for
// tests that kill, restart or misconfigure the database and so must not share one.
class PrivateMariaDb {
 public:
  PrivateMariaDb();
  ~PrivateMariaDb();

  void Start();
  void Kill9();
  // Runs SQL as root over the socket.
  void RootSql(const std::string& sql);
  // The app user's connection settings (database `lms`).
  db::DbConfig config() const;
  const std::string& socket() const { return socket_; }
  const std::string& password_file() const { return password_file_; }
  // The password of lms_test, the user that makes test databases (t_*).
  std::string test_password_file() const { return dir_ + "/lms_test.password"; }

 private:
  void Script(const std::string& args);
  std::string dir_;
  int port_ = 0;
  std::string socket_;
  std::string password_file_;
};

}  // namespace lms::testing

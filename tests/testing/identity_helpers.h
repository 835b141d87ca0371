#pragma once

#include <string>

#include "lms/v1/identity.pb.h"
#include "lms/v1/organization.pb.h"
#include "tests/testing/test_server.h"

namespace lms::testing {

// The steps identity tests take again and again, through the API as a system admin of
// `root`: organisations, members, activation, sign-in, kiosks and PINs. Failures of a
// step that must work are reported as test failures where they happen.
class IdentityHelpers {
 public:
  IdentityHelpers(TestServer& server, const v1::Organization& root)
      : server_(server), root_(root) {}

  std::string Admin() const;
  v1::Organization CreateBranch(const std::string& code, int64_t parent_id = 0) const;
  v1::Member CreateMember(const std::string& number, const std::string& phone = "",
                          int64_t organization_id = 0) const;
  std::string IssueCode(int64_t member_id, const std::string& token = "") const;
  grpc::Status Activate(const std::string& login, const std::string& code,
                        const std::string& password, v1::Session* session) const;
  // A member who has set `password`.
  v1::Member ActivatedMember(const std::string& number, const std::string& password,
                             const std::string& phone = "", int64_t organization_id = 0) const;
  grpc::Status SignIn(const std::string& login, const std::string& password, v1::Session* session,
                      v1::Role role = v1::ROLE_UNSPECIFIED) const;
  // Registers a kiosk in `organization_id` and signs it in: its session.
  v1::Session KioskSession(int64_t organization_id, v1::KioskRegistration* registration) const;
  grpc::Status SetPin(const std::string& member_token, const std::string& pin) const;
  grpc::Status KioskMemberSignIn(const v1::Session& kiosk, const std::string& number,
                                 const std::string& pin, const std::string& new_pin = "",
                                 v1::Session* session = nullptr) const;

 private:
  TestServer& server_;
  const v1::Organization root_;
};

}  // namespace lms::testing

#include "tests/testing/identity_helpers.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"

namespace lms::testing {

std::string IdentityHelpers::Admin() const {
  return server_.Token(auth::Role::kSystemAdmin, 1, root_.id());
}

v1::Organization IdentityHelpers::CreateBranch(const std::string& code, int64_t parent_id) const {
  v1::CreateOrganizationRequest request;
  request.mutable_organization()->set_parent_id(parent_id == 0 ? root_.id() : parent_id);
  request.mutable_organization()->set_name(absl::StrCat("支部", code));
  request.mutable_organization()->set_code(code);
  request.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_BRANCH);
  v1::Organization created;
  const grpc::Status status =
      server_.organizations().CreateOrganization(server_.Context(Admin()).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

v1::Member IdentityHelpers::CreateMember(const std::string& number, const std::string& phone,
                                         int64_t organization_id) const {
  v1::CreateMemberRequest request;
  request.mutable_member()->set_name(absl::StrCat("党员", number));
  request.mutable_member()->set_member_number(number);
  request.mutable_member()->set_phone(phone);
  request.mutable_member()->set_organization_id(organization_id == 0 ? root_.id()
                                                                     : organization_id);
  request.mutable_member()->add_categories(v1::MEMBER_CATEGORY_ORDINARY);
  v1::Member created;
  const grpc::Status status =
      server_.organizations().CreateMember(server_.Context(Admin()).get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

std::string IdentityHelpers::IssueCode(int64_t member_id, const std::string& token) const {
  v1::IssueActivationCodeRequest request;
  request.set_member_id(member_id);
  v1::ActivationCode code;
  const grpc::Status status = server_.identity().IssueActivationCode(
      server_.Context(token.empty() ? Admin() : token).get(), request, &code);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return code.code();
}

grpc::Status IdentityHelpers::Activate(const std::string& login, const std::string& code,
                                       const std::string& password, v1::Session* session) const {
  v1::ActivateRequest request;
  request.set_login(login);
  request.set_activation_code(code);
  request.set_new_password(password);
  return server_.identity().Activate(server_.Context("").get(), request, session);
}

v1::Member IdentityHelpers::ActivatedMember(const std::string& number, const std::string& password,
                                            const std::string& phone,
                                            int64_t organization_id) const {
  const v1::Member member = CreateMember(number, phone, organization_id);
  v1::Session session;
  const grpc::Status status = Activate(number, IssueCode(member.id()), password, &session);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return member;
}

grpc::Status IdentityHelpers::SignIn(const std::string& login, const std::string& password,
                                     v1::Session* session, v1::Role role) const {
  v1::SignInRequest request;
  request.set_login(login);
  request.set_password(password);
  request.set_role(role);
  return server_.identity().SignIn(server_.Context("").get(), request, session);
}

v1::Session IdentityHelpers::KioskSession(int64_t organization_id,
                                          v1::KioskRegistration* registration) const {
  v1::RegisterKioskRequest request;
  request.set_organization_id(organization_id);
  request.set_name("党员活动室");
  grpc::Status status =
      server_.identity().RegisterKiosk(server_.Context(Admin()).get(), request, registration);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::KioskSignInRequest sign_in;
  sign_in.set_device_credential(registration->device_credential());
  v1::Session session;
  status = server_.identity().KioskSignIn(server_.Context("").get(), sign_in, &session);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return session;
}

grpc::Status IdentityHelpers::SetPin(const std::string& member_token,
                                     const std::string& pin) const {
  v1::SetKioskPinRequest request;
  request.set_pin(pin);
  v1::SetKioskPinResponse response;
  return server_.identity().SetKioskPin(server_.Context(member_token).get(), request, &response);
}

grpc::Status IdentityHelpers::KioskMemberSignIn(const v1::Session& kiosk, const std::string& number,
                                                const std::string& pin, const std::string& new_pin,
                                                v1::Session* session) const {
  v1::KioskMemberSignInRequest request;
  request.set_member_number(number);
  request.set_pin(pin);
  request.set_new_pin(new_pin);
  v1::Session ignored;
  return server_.identity().KioskMemberSignIn(server_.Context(kiosk.access_token()).get(), request,
                                              session == nullptr ? &ignored : session);
}

}  // namespace lms::testing

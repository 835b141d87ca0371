#include "tools/kiosk/kiosk_session.h"

#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/grpc/proto_time.h"

namespace lms::kiosk {

int Fail(const std::string& what, const absl::Status& status) {
  std::cerr << what << ": " << status << "\n";
  return 1;
}

int Fail(const std::string& what, const grpc::Status& status) {
  std::cerr << what << ": " << status.error_message() << " (code " << status.error_code() << ")\n";
  return 1;
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token,
                                             const std::string& kiosk_token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  if (!kiosk_token.empty()) {
    context->AddMetadata("lms-kiosk-authorization", absl::StrCat("Bearer ", kiosk_token));
  }
  return context;
}

// The kiosk signs itself in with its stored credential.
absl::StatusOr<std::string> KioskToken(KioskStore& store, v1::IdentityService::Stub& identity) {
  absl::StatusOr<std::string> credential = store.Setting("credential");
  if (!credential.ok()) return credential.status();
  if (credential->empty()) return absl::FailedPreconditionError("not registered: run register");
  v1::KioskSignInRequest request;
  request.set_device_credential(*credential);
  v1::Session session;
  const grpc::Status status = identity.KioskSignIn(Context("").get(), request, &session);
  if (!status.ok()) {
    // As the server said: a refused credential, or no server to ask.
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  // Phones sign their identifications for this id: `status` shows it.
  if (absl::Status saved = store.SetSetting("kiosk_id", absl::StrCat(session.caller().kiosk_id()));
      !saved.ok()) {
    return saved;
  }
  return session.access_token();
}

int SignInMember(KioskStore& store, v1::IdentityService::Stub& identity, const std::string& number,
                 const std::string& pin, MemberAtKiosk& out) {
  absl::StatusOr<std::string> kiosk_token = KioskToken(store, identity);
  if (!kiosk_token.ok()) return Fail("kiosk sign-in", kiosk_token.status());
  out.kiosk_token = *kiosk_token;
  v1::KioskMemberSignInRequest request;
  request.set_member_number(number);
  request.set_pin(pin);
  const grpc::Status signed_in =
      identity.KioskMemberSignIn(Context(out.kiosk_token).get(), request, &out.session);
  if (!signed_in.ok()) return Fail("member sign-in", signed_in);
  out.member = {out.session.caller().member_id(), number, out.session.caller().display_name(),
                out.session.kiosk_ticket(),
                grpc_util::TimeFromProto(out.session.kiosk_ticket_expire_time())};
  if (absl::Status saved = store.SaveMember(out.member); !saved.ok()) return Fail("store", saved);
  return 0;
}

}  // namespace lms::kiosk

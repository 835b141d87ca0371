// lms-token: the access-token keys, and development tokens until sign-in (the identity
// service) exists.
//   lms-token keygen --public_key var/keys/token.pub --secret_key var/keys/token.key
//   lms-token issue --public_key var/keys/token.pub --secret_key var/keys/token.key
//       --role system_admin --member 1 --organization 1 --ttl 8h
// Tokens are printed to stdout only; they are never logged.
#include <sys/stat.h>

#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/auth/access_token.h"

ABSL_FLAG(std::string, public_key, "", "public key file");
ABSL_FLAG(std::string, secret_key, "", "secret key file (mode 0600)");
ABSL_FLAG(std::string, role, "member", "member, kiosk, org_admin or system_admin");
ABSL_FLAG(int64_t, member, 0, "member id");
ABSL_FLAG(int64_t, organization, 0, "organisation id");
ABSL_FLAG(int64_t, kiosk, 0, "kiosk id");
ABSL_FLAG(absl::Duration, ttl, absl::Minutes(15), "token lifetime");

namespace {

int Fail(const std::string& message) {
  std::cerr << "lms-token: " << message << "\n";
  return 1;
}

lms::auth::Role ParseRole(const std::string& name) {
  if (name == "member") return lms::auth::Role::kMember;
  if (name == "kiosk") return lms::auth::Role::kKiosk;
  if (name == "org_admin") return lms::auth::Role::kOrgAdmin;
  if (name == "system_admin") return lms::auth::Role::kSystemAdmin;
  return lms::auth::Role::kNone;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("lms-token keygen|issue [flags]");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) return Fail("usage: lms-token keygen|issue [flags]");
  const std::string command = args[1];
  const std::string public_path = absl::GetFlag(FLAGS_public_key);
  const std::string secret_path = absl::GetFlag(FLAGS_secret_key);
  if (public_path.empty() || secret_path.empty()) {
    return Fail("--public_key and --secret_key are required");
  }
  if (command == "keygen") {
    const mode_t old_mask = umask(077);
    const absl::Status saved = lms::auth::TokenKeys::Generate().Save(public_path, secret_path);
    umask(old_mask);
    return saved.ok() ? 0 : Fail(std::string(saved.message()));
  }
  if (command != "issue") return Fail("unknown command " + command);
  const absl::StatusOr<lms::auth::TokenKeys> keys =
      lms::auth::TokenKeys::Load(public_path, secret_path);
  if (!keys.ok()) return Fail(std::string(keys.status().message()));
  lms::auth::Caller caller;
  caller.role = ParseRole(absl::GetFlag(FLAGS_role));
  if (caller.role == lms::auth::Role::kNone) return Fail("unknown --role");
  caller.member_id = absl::GetFlag(FLAGS_member);
  caller.organization_id = absl::GetFlag(FLAGS_organization);
  caller.kiosk_id = absl::GetFlag(FLAGS_kiosk);
  const lms::RealClock clock;
  std::cout << lms::auth::AccessTokenSigner(*keys, clock).Sign(caller, absl::GetFlag(FLAGS_ttl))
            << "\n";
  return 0;
}

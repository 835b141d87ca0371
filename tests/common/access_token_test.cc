#include "common/auth/access_token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "lms/v1/token.pb.h"
#include "tests/testing/status_matchers.h"

namespace lms::auth {
namespace {

using ::lms::testing::IsOk;
using ::lms::testing::StatusIs;

class AccessTokenTest : public ::testing::Test {
 protected:
  AccessTokenTest()
      : clock_(absl::FromUnixSeconds(1'790'000'000)),
        keys_(TokenKeys::Generate()),
        signer_(keys_, clock_),
        verifier_(keys_.public_key, clock_, absl::Minutes(15)) {}

  Caller Admin() const {
    Caller caller;
    caller.role = Role::kOrgAdmin;
    caller.member_id = 42;
    caller.organization_id = 7;
    return caller;
  }

  FakeClock clock_;
  TokenKeys keys_;
  AccessTokenSigner signer_;
  AccessTokenVerifier verifier_;
};

TEST_F(AccessTokenTest, RefusesTokensIssuedForLongerThanTheMaximum) {
  EXPECT_THAT(verifier_.Verify(signer_.Sign(Admin(), absl::Minutes(15))), IsOk());
  EXPECT_THAT(verifier_.Verify(signer_.Sign(Admin(), absl::Minutes(16))),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(verifier_.Verify(signer_.Sign(Admin(), absl::Hours(24 * 7))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AccessTokenTest, VerifiesWhatItSigned) {
  const absl::StatusOr<Caller> caller = verifier_.Verify(signer_.Sign(Admin(), absl::Minutes(10)));
  ASSERT_THAT(caller, IsOk());
  EXPECT_EQ(caller->role, Role::kOrgAdmin);
  EXPECT_EQ(caller->member_id, 42);
  EXPECT_EQ(caller->organization_id, 7);
}

TEST_F(AccessTokenTest, RefusesExpiredTokenEvenWhenCached) {
  const std::string token = signer_.Sign(Admin(), absl::Minutes(10));
  ASSERT_THAT(verifier_.Verify(token), IsOk());
  clock_.Advance(absl::Minutes(10));
  EXPECT_THAT(verifier_.Verify(token), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AccessTokenTest, RefusesTokenSignedWithAnotherKey) {
  const AccessTokenSigner forger(TokenKeys::Generate(), clock_);
  EXPECT_THAT(verifier_.Verify(forger.Sign(Admin(), absl::Minutes(10))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AccessTokenTest, RefusesClaimsChangedAfterSigning) {
  const std::string token = signer_.Sign(Admin(), absl::Minutes(10));
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string claim_bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &claim_bytes));
  lms::v1::AccessTokenClaims claims;
  ASSERT_TRUE(claims.ParseFromString(claim_bytes));
  claims.set_role(lms::v1::ROLE_SYSTEM_ADMIN);
  const std::string forged =
      absl::StrCat("v1.", absl::WebSafeBase64Escape(claims.SerializeAsString()), ".", parts[2]);
  EXPECT_THAT(verifier_.Verify(forged), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AccessTokenTest, RefusesOtherAlgorithmsAndGarbage) {
  // A JWT-style "alg: none" token and other shapes never verify: the algorithm is fixed.
  for (const std::string& token :
       {std::string("eyJhbGciOiJub25lIn0.eyJyb2xlIjo0fQ."), std::string("v1.."),
        std::string("v2.AAAA.BBBB"), std::string(""), std::string(5000, 'a')}) {
    EXPECT_THAT(verifier_.Verify(token), StatusIs(absl::StatusCode::kUnauthenticated)) << token;
  }
}

TEST_F(AccessTokenTest, KeysSurviveASaveAndLoad) {
  const std::string dir = ::testing::TempDir();
  ASSERT_THAT(keys_.Save(dir + "/t.pub", dir + "/t.key"), IsOk());
  const absl::StatusOr<TokenKeys> loaded = TokenKeys::Load(dir + "/t.pub", dir + "/t.key");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->public_key, keys_.public_key);
  EXPECT_EQ(loaded->secret_key, keys_.secret_key);
}

}  // namespace
}  // namespace lms::auth

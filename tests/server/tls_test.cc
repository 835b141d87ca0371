// The servers serve TLS when given a certificate and key (README "TLS"): a client that
// trusts the certificate calls through it; a plaintext client gets nowhere.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lms/v1/course.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = absl::StrCat(::testing::TempDir(), "/tls_", getpid());
    // The README's own command, with the address the test connects to as a name.
    const std::string command =
        absl::StrCat("mkdir -p ", dir_, " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ",
                     dir_, "/server.key -out ", dir_, "/server.crt -days 1 -subj /CN=localhost",
                     " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null");
    ASSERT_EQ(std::system(command.c_str()), 0) << "openssl failed";
    server_ = new testing::TestServer("tls", [](server::ServerConfig& config) {
      config.tls_cert_file = dir_ + "/server.crt";
      config.tls_key_file = dir_ + "/server.key";
    });
  }
  static void TearDownTestSuite() { delete server_; }

  static grpc::Status ListCourses(const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
    auto stub = v1::CourseService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()), credentials));
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", server_->Token(auth::Role::kMember, 2, 1)));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::ListCoursesResponse response;
    return stub->ListCourses(&context, v1::ListCoursesRequest(), &response);
  }

  static std::string dir_;
  static testing::TestServer* server_;
};

std::string TlsTest::dir_;
testing::TestServer* TlsTest::server_ = nullptr;

TEST_F(TlsTest, ATrustingClientCallsThroughTls) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(dir_ + "/server.crt");
  const grpc::Status status = ListCourses(grpc::SslCredentials(options));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, APlaintextClientGetsNowhere) {
  EXPECT_EQ(ListCourses(grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AClientThatDoesNotTrustTheCertificateGetsNowhere) {
  EXPECT_EQ(ListCourses(grpc::SslCredentials(grpc::SslCredentialsOptions())).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace lms

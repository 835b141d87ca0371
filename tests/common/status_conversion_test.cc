#include "common/grpc/status_conversion.h"

#include <gtest/gtest.h>

#include "common/status/field_errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace lms::grpc_util {
namespace {

TEST(StatusConversionTest, MapsEveryCodeOneToOne) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), code == 0 ? "" : "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(status).error_code()), code);
  }
}

TEST(StatusConversionTest, FieldErrorsTravelAsBadRequestDetails) {
  status::FieldErrors errors;
  errors.Add("course.title", "is required");
  errors.Add("course.tags[1]", "repeated");
  const grpc::Status converted = ToGrpcStatus(errors.ToStatus());

  EXPECT_EQ(converted.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(converted.error_message(), "course.title: is required; course.tags[1]: repeated");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(converted.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "course.tags[1]");
}

TEST(StatusConversionTest, PlainErrorsCarryNoDetails) {
  const grpc::Status converted = ToGrpcStatus(absl::NotFoundError("course 7 not found"));
  EXPECT_EQ(converted.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(converted.error_details().empty());
}

}  // namespace
}  // namespace lms::grpc_util

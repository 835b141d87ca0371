// Services and repositories know nothing of gRPC (style.md): their headers, and what they
// include, never reach grpcpp. This file is the check: it includes every one of them and
// fails to compile if any gRPC C++ header came along.

#include "common/call/call_context.h"
#include "common/call/write_path.h"
#include "services/course/course_repository.h"
#include "services/course/course_service.h"
#include "services/identity/account_repository.h"
#include "services/identity/admin_grant_service.h"
#include "services/identity/identity_service.h"
#include "services/identity/kiosk_repository.h"
#include "services/identity/kiosk_service.h"
#include "services/organization/member_repository.h"
#include "services/organization/member_service.h"
#include "services/organization/organization_repository.h"
#include "services/organization/organization_service.h"
#include "services/organization/roster_importer.h"
#include "services/organization/roster_repository.h"

#if defined(GRPCPP_SUPPORT_STATUS_H) || defined(GRPCPP_GRPCPP_H) || \
    defined(GRPCPP_IMPL_SERVICE_TYPE_H) || defined(GRPCPP_SERVER_CONTEXT_H)
#error "a service or repository header includes gRPC: keep gRPC in handlers and common/grpc"
#endif

#include <grpcpp/support/status.h>  // only now, for the test below
#include <gtest/gtest.h>

namespace lms {
namespace {

// The check above runs at compile time; this confirms the guard it tests for is the one
// gRPC's status header defines, so the check cannot pass vacuously.
TEST(ServicesWithoutGrpcTest, TheGuardNamesGrpcsStatusHeader) {
#ifdef GRPCPP_SUPPORT_STATUS_H
  SUCCEED();
#else
  FAIL() << "grpcpp/support/status.h no longer defines GRPCPP_SUPPORT_STATUS_H: update the check";
#endif
}

}  // namespace
}  // namespace lms

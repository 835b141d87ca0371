#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/method_policy.h"
#include "common/auth/scope_checker.h"
#include "common/db/transaction.h"

namespace lms::call {

// What a service needs to know about the call it serves, without any gRPC: who calls,
// until when, which RPC, the client's request id, and the objects the request names.
// Built by the call runner after authorization; services receive it by const reference.
struct CallContext {
  auth::Caller caller;
  // The client's deadline, capped; the database never works past it.
  absl::Time deadline = absl::InfiniteFuture();
  // The RPC's full name ("lms.v1.CourseService.CreateCourse"): idempotency scopes and logs.
  std::string method;
  // The request's `request_id` (already checked: empty, or 1-64 of [A-Za-z0-9_-]).
  std::string request_id;
  // The objects the request names (its policy's scoped fields), already checked against
  // the caller's subtree; writes re-check them under lock with HoldScope.
  std::vector<auth::ScopedId> scoped_ids;
  const auth::ScopeChecker* scope_checker = nullptr;
  // Tests only (nullptr in production): called inside every write's transaction just
  // before commit (RunWrite), so a test can hold a write there and race it.
  const std::function<void(const CallContext&)>* before_commit = nullptr;
};

// Inside a write's transaction: holds the call's subtree decision until commit (shared
// locks on what it rests on), so a concurrent move or transfer cannot slip between the
// check and the write.
[[nodiscard]] inline absl::Status HoldScope(db::Transaction& tx, const CallContext& call) {
  if (call.scope_checker == nullptr || call.scoped_ids.empty()) return absl::OkStatus();
  return call.scope_checker->Hold(tx, call.caller, call.scoped_ids);
}

}  // namespace lms::call

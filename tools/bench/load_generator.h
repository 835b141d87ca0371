#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace lms::bench {

// One kind of call: a method and its serialized request, sent as raw bytes so every
// scenario and the echo ceiling go through exactly the same client code.
struct CallSpec {
  std::string method;  // "/lms.v1.CourseService/ListCourses"
  std::string request;
  std::string authorization;  // "Bearer ..." or empty
  // When set, calls take these requests in turn instead of `request` (distinct members,
  // say, so no cache or row lock favours one).
  std::vector<std::string> rotating_requests = {};
  // With rotating requests: the authorization of each (a member's own token), or empty
  // for `authorization` on all.
  std::vector<std::string> rotating_authorizations = {};
  // Each rotating request is sent once (writes that must not repeat, such as progress
  // events): a slot that finds them used up stops, and the run reports it in `errors`.
  bool once_each = false;
};

struct LoadResult {
  int64_t calls = 0;
  int64_t errors = 0;
  // Over the whole run, warm-up and tail included: calls sent, and those not OK (a
  // scenario checks its writes against them: none lost, none doubled).
  int64_t sent = 0;
  int64_t failed = 0;
  double calls_per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
  absl::Duration p999;
  std::string first_error;
};

// Percentiles of latencies in microseconds (sorted in place).
void FillPercentiles(std::vector<int64_t>& micros, LoadResult& result);

// Keeps `in_flight` calls outstanding over `channels` channels for `duration` (after a
// short warm-up), each slot issuing its next call as soon as the last one completes.
class LoadGenerator {
 public:
  LoadGenerator(const std::string& address, int channels, int in_flight);
  LoadResult Run(const CallSpec& spec, absl::Duration duration);

 private:
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  const int in_flight_;
};

// Calls at a fixed offered rate, whatever the server's answers (an open loop: a flood
// does not slow down because the server does), counting answers by status code.
struct OpenLoopResult {
  double offered_per_second = 0;
  // Answered after the work was done: OK, or the refusal the work decided (a wrong
  // password's UNAUTHENTICATED).
  double completed_per_second = 0;
  double refused_per_second = 0;  // RESOURCE_EXHAUSTED
  int64_t other_errors = 0;
  std::string first_other_error;
  LoadResult completed_latency;
  absl::Duration refusal_p99;
};

class OpenLoopGenerator {
 public:
  OpenLoopGenerator(const std::string& address, int channels);
  // Issues `rate` calls a second for `duration` and waits for every answer; the i-th
  // call's request is `request_for(i)`.
  OpenLoopResult Run(const CallSpec& spec, const std::function<std::string(int64_t)>& request_for,
                     double rate, absl::Duration duration);

 private:
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
};

}  // namespace lms::bench

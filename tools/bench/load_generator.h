#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
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
};

struct LoadResult {
  int64_t calls = 0;
  int64_t errors = 0;
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

}  // namespace lms::bench

#include "tools/bench/load_generator.h"

#include <grpcpp/generic/generic_stub.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace lms::bench {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// One slot: an endless chain of calls until `stop_at`.
struct Slot {
  grpc::GenericStub* stub = nullptr;
  const CallSpec* spec = nullptr;
  grpc::ByteBuffer request;
  std::unique_ptr<grpc::ClientContext> context;
  grpc::ByteBuffer response;
  absl::Time started;
  std::vector<int64_t> latencies_us;
  int64_t errors = 0;
  std::string first_error;
};

}  // namespace

void FillPercentiles(std::vector<int64_t>& micros, LoadResult& result) {
  if (micros.empty()) return;
  std::sort(micros.begin(), micros.end());
  const auto at = [&](double q) {
    const size_t index = std::min(micros.size() - 1, static_cast<size_t>(q * micros.size()));
    return absl::Microseconds(micros[index]);
  };
  result.p50 = at(0.50);
  result.p99 = at(0.99);
  result.p999 = at(0.999);
}

std::vector<std::unique_ptr<grpc::GenericStub>> Stubs(const std::string& address, int channels) {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < channels; ++i) {
    // Distinct channel args keep gRPC from sharing one TCP connection between channels.
    grpc::ChannelArguments args;
    args.SetInt("lms.bench.channel", i);
    stubs.push_back(std::make_unique<grpc::GenericStub>(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
  }
  return stubs;
}

LoadGenerator::LoadGenerator(const std::string& address, int channels, int in_flight)
    : stubs_(Stubs(address, channels)), in_flight_(in_flight) {}

OpenLoopGenerator::OpenLoopGenerator(const std::string& address, int channels)
    : stubs_(Stubs(address, channels)) {}

OpenLoopResult OpenLoopGenerator::Run(const CallSpec& spec,
                                      const std::function<std::string(int64_t)>& request_for,
                                      double rate, absl::Duration duration) {
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    absl::Time started;
  };
  const int64_t total = static_cast<int64_t>(rate * absl::ToDoubleSeconds(duration));
  std::vector<Call> calls(static_cast<size_t>(total));
  absl::Mutex mu;
  int64_t answered = 0;
  std::vector<int64_t> completed_us;
  std::vector<int64_t> refused_us;
  OpenLoopResult result;
  const absl::Time start = absl::Now();
  for (int64_t i = 0; i < total; ++i) {
    // On schedule, not on answers: the i-th call leaves at start + i / rate.
    absl::SleepFor(start + absl::Seconds(static_cast<double>(i) / rate) - absl::Now());
    Call& call = calls[static_cast<size_t>(i)];
    call.context = std::make_unique<grpc::ClientContext>();
    if (!spec.authorization.empty()) call.context->AddMetadata("authorization", spec.authorization);
    call.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    call.request = ToBuffer(request_for(i));
    call.started = absl::Now();
    stubs_[static_cast<size_t>(i) % stubs_.size()]->UnaryCall(
        call.context.get(), spec.method, grpc::StubOptions(), &call.request, &call.response,
        [&, i](grpc::Status status) {
          const int64_t us = absl::ToInt64Microseconds(absl::Now() - calls[i].started);
          absl::MutexLock lock(&mu);
          ++answered;
          if (status.ok() || status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
            completed_us.push_back(us);
          } else if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
            refused_us.push_back(us);
          } else if (result.other_errors++ == 0) {
            result.first_other_error =
                absl::StrCat(status.error_code(), " ", status.error_message());
          }
        });
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  {
    absl::MutexLock lock(&mu);
    const auto all_answered = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return answered == total; };
    mu.Await(absl::Condition(&all_answered));
  }
  result.offered_per_second = static_cast<double>(total) / seconds;
  result.completed_per_second = static_cast<double>(completed_us.size()) / seconds;
  result.refused_per_second = static_cast<double>(refused_us.size()) / seconds;
  result.completed_latency.calls = static_cast<int64_t>(completed_us.size());
  FillPercentiles(completed_us, result.completed_latency);
  LoadResult refusals;
  FillPercentiles(refused_us, refusals);
  result.refusal_p99 = refusals.p99;
  return result;
}

LoadResult LoadGenerator::Run(const CallSpec& spec, absl::Duration duration) {
  const absl::Duration warmup = std::min(absl::Seconds(1), duration / 5);
  const absl::Time measure_from = absl::Now() + warmup;
  const absl::Time stop_at = measure_from + duration;
  std::vector<Slot> slots(static_cast<size_t>(in_flight_));
  absl::Mutex mu;
  int running = in_flight_;

  std::vector<grpc::ByteBuffer> rotating;
  for (const std::string& request : spec.rotating_requests) rotating.push_back(ToBuffer(request));
  std::atomic<size_t> next_request{0};
  std::atomic<int64_t> sent{0};
  std::atomic<int64_t> failed{0};
  std::function<void(Slot&)> issue = [&](Slot& slot) {
    const std::string* authorization = &spec.authorization;
    if (!rotating.empty()) {
      const size_t index = next_request++;
      if (spec.once_each && index >= rotating.size()) {
        if (slot.errors++ == 0) slot.first_error = "ran out of requests: make more";
        absl::MutexLock lock(&mu);
        --running;
        return;
      }
      slot.request = rotating[index % rotating.size()];
      if (!spec.rotating_authorizations.empty()) {
        authorization = &spec.rotating_authorizations[index % rotating.size()];
      }
    }
    slot.context = std::make_unique<grpc::ClientContext>();
    if (!authorization->empty()) slot.context->AddMetadata("authorization", *authorization);
    slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    slot.response.Clear();
    slot.started = absl::Now();
    ++sent;
    slot.stub->UnaryCall(
        slot.context.get(), spec.method, grpc::StubOptions(), &slot.request, &slot.response,
        [&](grpc::Status status) {
          const absl::Time now = absl::Now();
          if (!status.ok()) ++failed;
          if (slot.started >= measure_from && now <= stop_at) {
            if (status.ok()) {
              slot.latencies_us.push_back(absl::ToInt64Microseconds(now - slot.started));
            } else {
              if (slot.errors++ == 0) {
                slot.first_error = absl::StrCat(status.error_code(), " ", status.error_message());
              }
            }
          }
          if (now < stop_at) {
            issue(slot);
          } else {
            absl::MutexLock lock(&mu);
            --running;
          }
        });
  };
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].stub = stubs_[i % stubs_.size()].get();
    slots[i].spec = &spec;
    slots[i].request = ToBuffer(spec.request);
    issue(slots[i]);
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](int* n) { return *n == 0; }, &running));
  }
  LoadResult result;
  std::vector<int64_t> all;
  for (Slot& slot : slots) {
    all.insert(all.end(), slot.latencies_us.begin(), slot.latencies_us.end());
    result.errors += slot.errors;
    if (result.first_error.empty()) result.first_error = slot.first_error;
  }
  result.calls = static_cast<int64_t>(all.size());
  result.sent = sent.load();
  result.failed = failed.load();
  result.calls_per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(duration);
  FillPercentiles(all, result);
  return result;
}

}  // namespace lms::bench

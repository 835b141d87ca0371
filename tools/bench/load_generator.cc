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

LoadGenerator::LoadGenerator(const std::string& address, int channels, int in_flight)
    : in_flight_(in_flight) {
  for (int i = 0; i < channels; ++i) {
    // Distinct channel args keep gRPC from sharing one TCP connection between channels.
    grpc::ChannelArguments args;
    args.SetInt("lms.bench.channel", i);
    stubs_.push_back(std::make_unique<grpc::GenericStub>(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
  }
}

LoadResult LoadGenerator::Run(const CallSpec& spec, absl::Duration duration) {
  const absl::Duration warmup = std::min(absl::Seconds(1), duration / 5);
  const absl::Time measure_from = absl::Now() + warmup;
  const absl::Time stop_at = measure_from + duration;
  std::vector<Slot> slots(static_cast<size_t>(in_flight_));
  absl::Mutex mu;
  int running = in_flight_;

  std::function<void(Slot&)> issue = [&](Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    if (!spec.authorization.empty()) slot.context->AddMetadata("authorization", spec.authorization);
    slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    slot.response.Clear();
    slot.started = absl::Now();
    slot.stub->UnaryCall(
        slot.context.get(), spec.method, grpc::StubOptions(), &slot.request, &slot.response,
        [&](grpc::Status status) {
          const absl::Time now = absl::Now();
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
  result.calls_per_second = static_cast<double>(all.size()) / absl::ToDoubleSeconds(duration);
  FillPercentiles(all, result);
  return result;
}

}  // namespace lms::bench

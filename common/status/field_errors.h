#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace lms::status {

// The type URL under which an INVALID_ARGUMENT status carries a serialized
// google.rpc.BadRequest payload; ToGrpcStatus() forwards it to the client.
inline constexpr char kBadRequestTypeUrl[] = "type.googleapis.com/google.rpc.BadRequest";

// Collects every bad field of a request, so a client learns all of them at once, and
// turns them into one INVALID_ARGUMENT status naming each field.
// Not thread-safe; one per validation.
class FieldErrors {
 public:
  void Add(std::string field, std::string description);
  [[nodiscard]] bool empty() const { return violations_.empty(); }

  // OK when nothing was added; else INVALID_ARGUMENT with message
  // "title: must be 1 to 200 characters; tags[2]: repeated" and a BadRequest payload.
  [[nodiscard]] absl::Status ToStatus() const;

  const std::vector<std::pair<std::string, std::string>>& violations() const { return violations_; }

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT naming one field.
[[nodiscard]] absl::Status InvalidField(std::string field, std::string description);

}  // namespace lms::status

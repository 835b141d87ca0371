#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"

namespace lms::db {

// Many-key statements (`IN (?, ?, ...)`, multi-row `VALUES`) are cut into batches of
// these sizes, largest first, so a statement has one of four shapes whatever the input
// size and the prepared-statement cache stays small.
inline constexpr size_t kBatchSizes[] = {1000, 100, 10, 1};

// Calls `batch(begin, size) -> absl::Status` over [0, total) in those sizes; stops at the
// first error.
template <typename Batch>
[[nodiscard]] absl::Status ForEachBatch(size_t total, Batch&& batch) {
  size_t begin = 0;
  for (const size_t size : kBatchSizes) {
    while (total - begin >= size) {
      if (absl::Status status = batch(begin, size); !status.ok()) return status;
      begin += size;
    }
  }
  return absl::OkStatus();
}

// "?, ?, ?" for `n` parameters.
[[nodiscard]] inline std::string BindMarks(size_t n) {
  return absl::StrJoin(std::vector<std::string>(n, "?"), ", ");
}

}  // namespace lms::db

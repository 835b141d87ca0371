#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"

namespace lms::db {

// Many-key statements (`IN (?, ?, ...)`, multi-row `VALUES`) are cut into batches of
// these sizes, largest first, so a statement has one of nine shapes whatever the input
// size and the prepared-statement cache stays small. Below 64 the steps are powers of two:
// a coalesced progress batch of 9 or 10 rows is 2 statements a table (powers of four made
// it 3 or 4, powers of ten 9 or 10), and each statement is a round trip.
inline constexpr size_t kBatchSizes[] = {1000, 256, 64, 32, 16, 8, 4, 2, 1};

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

// Up to this many rows, ForEachExactBatch writes one statement of exactly their number.
// The most a coalesced progress batch writes to a table (ReportCoalescer's 32 reports).
inline constexpr size_t kExactBatchMax = 32;

// As ForEachBatch, but `total` ≤ kExactBatchMax is one batch of that size: for the writes
// of a coalesced batch of reports, where each statement is a round trip the batch waits
// for (lms-bench progress_report, three runs each: one round trip a table instead of two
// or three took S/R from 0.40-0.46 to 0.50-0.51). Up to 32 more shapes a statement, each
// prepared once per connection (deploy/mariadb.sh raises max_prepared_stmt_count).
template <typename Batch>
[[nodiscard]] absl::Status ForEachExactBatch(size_t total, Batch&& batch) {
  if (total == 0) return absl::OkStatus();
  if (total <= kExactBatchMax) return batch(0, total);
  return ForEachBatch(total, std::forward<Batch>(batch));
}

// For statements with several key lists (`a IN (...) AND b IN (...)`), which batching
// cannot cut: each list is padded, by repeating its last key, to one of these lengths, so
// the statement still has few shapes. Repeated keys change nothing in an IN list.
inline constexpr size_t kPaddedSizes[] = {1, 4, 16, 64, 256, 1024, 2048, 5000};

// The padded length of a list of `n` keys (n itself beyond the largest size).
[[nodiscard]] inline size_t PaddedSize(size_t n) {
  for (const size_t size : kPaddedSizes) {
    if (n <= size) return size;
  }
  return n;
}

// Appends `keys` to `params`, padded to PaddedSize; returns the padded length. `keys`
// must not be empty.
template <typename Key, typename Param>
size_t AppendPadded(const std::vector<Key>& keys, std::vector<Param>& params) {
  const size_t size = PaddedSize(keys.size());
  for (size_t i = 0; i < size; ++i) params.emplace_back(keys[std::min(i, keys.size() - 1)]);
  return size;
}

// For key ranges an IN list cannot express ("(member_id = ? AND start_ms >= ? ...)"):
// `groups` (each one clause's parameters) padded like AppendPadded by repeating the last
// group, flattened into `params`; returns the padded count. `groups` must not be empty.
template <typename Param>
size_t AppendPaddedGroups(const std::vector<std::vector<Param>>& groups,
                          std::vector<Param>& params) {
  const size_t size = PaddedSize(groups.size());
  for (size_t i = 0; i < size; ++i) {
    const std::vector<Param>& group = groups[std::min(i, groups.size() - 1)];
    params.insert(params.end(), group.begin(), group.end());
  }
  return size;
}

// `n` copies of `clause` joined by " OR ", to go with AppendPaddedGroups.
[[nodiscard]] inline std::string OrOf(const char* clause, size_t n) {
  return absl::StrJoin(std::vector<std::string>(n, clause), " OR ");
}

// "?, ?, ?" for `n` parameters.
[[nodiscard]] inline std::string BindMarks(size_t n) {
  return absl::StrJoin(std::vector<std::string>(n, "?"), ", ");
}

}  // namespace lms::db

#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/db/batches.h"
#include "common/db/param.h"
#include "common/db/transaction.h"

namespace lms::db {

// Runs `prefix` + "?, ?, ..." + `suffix` for `ids` cut into batches (ForEachBatch), each
// statement's parameters being `head` and then its batch of ids: one shape per batch size,
// however many ids. `on_row` sees every row of every batch; stops at the first error.
template <typename OnRow>
[[nodiscard]] absl::Status QueryForIds(Transaction& tx, absl::string_view prefix,
                                       absl::string_view suffix, const std::vector<Param>& head,
                                       const std::vector<int64_t>& ids, OnRow&& on_row) {
  return ForEachBatch(ids.size(), [&](size_t begin, size_t size) {
    std::vector<Param> params = head;
    params.insert(params.end(), ids.begin() + begin, ids.begin() + begin + size);
    return tx.Query(absl::StrCat(prefix, BindMarks(size), suffix), params, on_row);
  });
}

}  // namespace lms::db

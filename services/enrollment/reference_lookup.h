#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/db/transaction.h"

namespace lms::enrollment {

// lms.v1.CourseState numbers, as enrolment needs them.
inline constexpr int64_t kCoursePublished = 2;

// The other services' objects a plan or an enrolment refers to, read in the caller's
// transaction: courses (their lifecycle state) and organisations (open or closed).
// Stateless; thread-safe.
class ReferenceLookup {
 public:
  // lms.v1.CourseState by course id, for those of `ids` that exist.
  [[nodiscard]] absl::StatusOr<absl::flat_hash_map<int64_t, int64_t>> CourseStates(
      db::Transaction& tx, const std::vector<int64_t>& ids) const;
  // Whether an organisation is closed; nullopt when there is none.
  [[nodiscard]] absl::StatusOr<std::optional<bool>> OrganizationClosed(
      db::Transaction& tx, int64_t organization_id) const;
};

}  // namespace lms::enrollment

#include "common/outbox/statistics_queue.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"

namespace lms::outbox {
namespace {

constexpr char kEnqueuePrefix[] = "INSERT INTO statistics_queue (member_id, queued_time) VALUES ";
constexpr char kEnqueueSubtree[] =
    "INSERT INTO statistics_queue (member_id, queued_time) SELECT m.id, ? FROM"
    " organization_closure c JOIN member m ON m.organization_id = c.descendant_id"
    " WHERE c.ancestor_id = ?";
constexpr char kEnqueueAttendees[] =
    "INSERT INTO statistics_queue (member_id, queued_time)"
    " SELECT member_id, ? FROM activity_attendance WHERE activity_id = ?";

}  // namespace

absl::Status StatisticsQueue::Enqueue(db::Transaction& tx, std::vector<int64_t> member_ids,
                                      absl::Time now) const {
  std::sort(member_ids.begin(), member_ids.end());
  member_ids.erase(std::unique(member_ids.begin(), member_ids.end()), member_ids.end());
  return db::ForEachExactBatch(member_ids.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params;
    params.reserve(size * 2);
    for (size_t i = begin; i < begin + size; ++i) params.insert(params.end(), {member_ids[i], now});
    return tx
        .Execute(absl::StrCat(kEnqueuePrefix,
                              absl::StrJoin(std::vector<std::string>(size, "(?, ?)"), ", ")),
                 params)
        .status();
  });
}

absl::Status StatisticsQueue::EnqueueSubtree(db::Transaction& tx, int64_t organization_id,
                                             absl::Time now) const {
  return tx.Execute(kEnqueueSubtree, {now, organization_id}).status();
}

absl::Status StatisticsQueue::EnqueueAttendees(db::Transaction& tx, int64_t activity_id,
                                               absl::Time now) const {
  return tx.Execute(kEnqueueAttendees, {now, activity_id}).status();
}

}  // namespace lms::outbox

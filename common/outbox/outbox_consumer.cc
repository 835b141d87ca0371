#include "common/outbox/outbox_consumer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/db/run_transaction.h"
#include "common/status/status_macros.h"

namespace lms::outbox {
namespace {

constexpr char kEnsureCursor[] =
    "INSERT IGNORE INTO outbox_cursor (consumer, after_event_id) VALUES (?, 0)";
constexpr char kLockCursor[] =
    "SELECT after_event_id FROM outbox_cursor WHERE consumer = ? FOR UPDATE";
constexpr char kPending[] =
    "SELECT e.id, e.topic, COALESCE(e.member_id, 0), COALESCE(e.organization_id, 0),"
    " e.effective_date, e.created_at FROM outbox_event e WHERE e.id > ?"
    " AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.consumer = ?"
    " AND d.event_id = e.id) ORDER BY e.id LIMIT ?";
constexpr char kDeliveredPrefix[] =
    "INSERT INTO outbox_delivery (consumer, event_id, delivered_at) VALUES ";
// The lowest event still pending above the cursor, and the highest settled event below it.
constexpr char kLowestPending[] =
    "SELECT MIN(e.id) FROM outbox_event e WHERE e.id > ? AND NOT EXISTS (SELECT 1 FROM"
    " outbox_delivery d WHERE d.consumer = ? AND d.event_id = e.id)";
constexpr char kHighestSettled[] =
    "SELECT MAX(e.id) FROM outbox_event e WHERE e.id > ? AND e.id < ? AND e.created_at < ?";
constexpr char kMoveCursor[] = "UPDATE outbox_cursor SET after_event_id = ? WHERE consumer = ?";

}  // namespace

OutboxConsumer::OutboxConsumer(db::ConnectionPool& pool, const Clock& clock, std::string name,
                               Handler handle, absl::Duration settle, size_t batch_size)
    : pool_(pool),
      clock_(clock),
      name_(std::move(name)),
      handle_(std::move(handle)),
      settle_(settle),
      batch_size_(batch_size) {}

absl::StatusOr<int64_t> OutboxConsumer::RunOnce(absl::Time deadline) const {
  int64_t delivered = 0;
  while (true) {
    ASSIGN_OR_RETURN(const int64_t batch, RunBatch(deadline));
    if (batch == 0) return delivered;
    delivered += batch;
  }
}

absl::StatusOr<int64_t> OutboxConsumer::RunBatch(absl::Time deadline) const {
  return db::RunTransactionFor<int64_t>(
      pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
        RETURN_IF_ERROR(tx.Execute(kEnsureCursor, {name_}).status());
        ASSIGN_OR_RETURN(const std::optional<int64_t> locked, tx.QueryInt64(kLockCursor, {name_}));
        const int64_t cursor = locked.value_or(0);
        std::vector<DeliveredEvent> events;
        RETURN_IF_ERROR(tx.Query(kPending, {cursor, name_, static_cast<int64_t>(batch_size_)},
                                 [&](const db::Row& row) {
                                   DeliveredEvent event;
                                   event.id = row.Int64(1);
                                   event.topic = row.String(2);
                                   event.member_id = row.Int64(3);
                                   event.organization_id = row.Int64(4);
                                   event.effective_date = row.Day(5);
                                   event.created_at = row.Time(6);
                                   events.push_back(std::move(event));
                                 }));
        if (!events.empty()) {
          RETURN_IF_ERROR(handle_(tx, events));
          const absl::Time now = clock_.Now();
          std::vector<db::Param> values;
          std::vector<std::string> rows(events.size(), "(?, ?, ?)");
          for (const DeliveredEvent& event : events) {
            values.emplace_back(name_);
            values.emplace_back(event.id);
            values.emplace_back(now);
          }
          RETURN_IF_ERROR(
              tx.Execute(absl::StrCat(kDeliveredPrefix, absl::StrJoin(rows, ", ")), values)
                  .status());
        }
        // Move the cursor up to the highest settled event below the lowest pending one:
        // everything at or below it is delivered, or older than any running transaction.
        ASSIGN_OR_RETURN(const std::optional<int64_t> lowest_pending,
                         tx.QueryInt64(kLowestPending, {cursor, name_}));
        ASSIGN_OR_RETURN(const std::optional<int64_t> settled,
                         tx.QueryInt64(kHighestSettled, {cursor, lowest_pending.value_or(INT64_MAX),
                                                         clock_.Now() - settle_}));
        if (settled.has_value() && *settled > cursor) {
          RETURN_IF_ERROR(tx.Execute(kMoveCursor, {*settled, name_}).status());
        }
        return static_cast<int64_t>(events.size());
      });
}

}  // namespace lms::outbox

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/transaction.h"

namespace lms::outbox {

// What changed, for the services that react to it (enrolment assigns what plans require).
// A member joined (created, or imported new).
inline constexpr char kMemberJoined[] = "member.joined";
// A member's categories or status changed.
inline constexpr char kMemberChanged[] = "member.changed";
// A member moved to another organisation (effective_date: from when).
inline constexpr char kMemberTransferred[] = "member.transferred";
// An organisation moved under another parent: its whole subtree's coverage may change.
inline constexpr char kOrganizationMoved[] = "organization.moved";

// One event: the topic, and the member or organisation it is about.
struct Event {
  std::string topic;
  int64_t member_id = 0;
  int64_t organization_id = 0;
  std::optional<absl::CivilDay> effective_date;
};

// Writes events into outbox_event inside the caller's transaction, the one making the
// change, so the event exists exactly when the change does. Stateless; thread-safe.
class OutboxWriter {
 public:
  [[nodiscard]] absl::Status Append(db::Transaction& tx, const Event& event, absl::Time now) const;
  // `topic` for each member with these numbers (bulk imports: one statement per batch).
  [[nodiscard]] absl::Status AppendForMemberNumbers(db::Transaction& tx, const std::string& topic,
                                                    const std::vector<std::string>& member_numbers,
                                                    absl::Time now) const;
};

}  // namespace lms::outbox

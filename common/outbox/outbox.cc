#include "common/outbox/outbox.h"

#include "absl/strings/str_cat.h"
#include "common/db/batches.h"

namespace lms::outbox {
namespace {

constexpr char kAppend[] =
    "INSERT INTO outbox_event (topic, member_id, organization_id, effective_date, created_at)"
    " VALUES (?, ?, ?, ?, ?)";
constexpr char kAppendForNumbersPrefix[] =
    "INSERT INTO outbox_event (topic, member_id, organization_id, created_at)"
    " SELECT ?, id, organization_id, ? FROM member WHERE member_number IN (";

db::Param OptionalId(int64_t id) { return id == 0 ? db::Param(nullptr) : db::Param(id); }

}  // namespace

absl::Status OutboxWriter::Append(db::Transaction& tx, const Event& event, absl::Time now) const {
  const db::Param day =
      event.effective_date.has_value() ? db::Param(*event.effective_date) : db::Param(nullptr);
  return tx
      .Execute(kAppend, {event.topic, OptionalId(event.member_id),
                         OptionalId(event.organization_id), day, now})
      .status();
}

absl::Status OutboxWriter::AppendForMemberNumbers(db::Transaction& tx, const std::string& topic,
                                                  const std::vector<std::string>& member_numbers,
                                                  absl::Time now) const {
  return db::ForEachBatch(member_numbers.size(), [&](size_t begin, size_t size) {
    std::vector<db::Param> params = {topic, now};
    params.insert(params.end(), member_numbers.begin() + begin,
                  member_numbers.begin() + begin + size);
    return tx.Execute(absl::StrCat(kAppendForNumbersPrefix, db::BindMarks(size), ")"), params)
        .status();
  });
}

}  // namespace lms::outbox

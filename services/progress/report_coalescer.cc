#include "services/progress/report_coalescer.h"

#include <set>

namespace lms::progress {

std::vector<PendingReport*> ReportCoalescer::TakeBatch() {
  std::vector<PendingReport*> batch;
  std::set<int64_t> members;
  size_t events = 0;
  for (auto it = queue_.begin();
       it != queue_.end() && static_cast<int>(batch.size()) < limits_.max_calls;) {
    PendingReport* report = *it;
    const bool fits =
        batch.empty() || events + report->events->size() <= static_cast<size_t>(limits_.max_events);
    // A second call of the same member waits for the next batch: a batch applies each
    // member's events once, in order.
    if (fits && members.insert(report->member_id).second) {
      events += report->events->size();
      batch.push_back(report);
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  return batch;
}

absl::StatusOr<RecordOutcome> ReportCoalescer::Submit(PendingReport& report) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(&report);
  struct Wait {
    ReportCoalescer* self;
    PendingReport* report;
  } wait{this, &report};
  // Done, or a batch may start: the caller leads it (its own report may be in a later one).
  const absl::Condition done_or_can_lead(
      +[](Wait* w) {
        return w->report->done ||
               (w->self->leaders_ < w->self->limits_.max_leaders && !w->self->queue_.empty());
      },
      &wait);
  while (!report.done) {
    mu_.Await(done_or_can_lead);
    if (report.done) break;
    ++leaders_;
    std::vector<PendingReport*> batch = TakeBatch();
    mu_.Unlock();
    absl::StatusOr<std::vector<RecordOutcome>> outcomes = run_(batch);
    mu_.Lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->outcome = outcomes.ok() ? absl::StatusOr<RecordOutcome>(std::move((*outcomes)[i]))
                                        : outcomes.status();
      batch[i]->done = true;
    }
    --leaders_;
  }
  return std::move(report.outcome);
}

}  // namespace lms::progress

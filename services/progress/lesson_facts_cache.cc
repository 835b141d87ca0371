#include "services/progress/lesson_facts_cache.h"

#include "common/status/status_macros.h"

namespace lms::progress {

absl::StatusOr<std::map<int64_t, LessonFacts>> LessonFactsCache::Lessons(
    db::Transaction& tx, const std::vector<int64_t>& lesson_ids, absl::Time now) {
  std::map<int64_t, LessonFacts> found;
  std::vector<int64_t> missing;
  {
    absl::MutexLock lock(&mu_);
    for (const int64_t id : lesson_ids) {
      const auto it = entries_.find(id);
      if (it != entries_.end() && now - it->second.read_at < kTtl && now >= it->second.read_at) {
        found.emplace(id, it->second.facts);
      } else {
        missing.push_back(id);
      }
    }
  }
  if (missing.empty()) return found;
  ASSIGN_OR_RETURN(auto read, catalog_.Lessons(tx, missing));
  absl::MutexLock lock(&mu_);
  if (entries_.size() > kMaxEntries) entries_.clear();
  for (auto& [id, facts] : read) {
    if (facts.course_state == course::CourseState::kPublished && !facts.removed) {
      entries_[id] = Entry{facts, now};
    } else {
      entries_.erase(id);
    }
    found.emplace(id, std::move(facts));
  }
  return found;
}

}  // namespace lms::progress

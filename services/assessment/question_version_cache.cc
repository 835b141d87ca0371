#include "services/assessment/question_version_cache.h"

#include "common/status/status_macros.h"

namespace lms::assessment {

absl::StatusOr<std::map<QuestionVersionKey, Question>> QuestionVersionCache::Get(
    db::Transaction& tx, const std::vector<QuestionVersionKey>& keys) const {
  std::map<QuestionVersionKey, Question> found;
  std::vector<QuestionVersionKey> missing;
  {
    absl::MutexLock lock(&mu_);
    for (const QuestionVersionKey& key : keys) {
      const auto hit = cached_.find(key);
      if (hit != cached_.end()) {
        found.emplace(key, hit->second);
      } else {
        missing.push_back(key);
      }
    }
  }
  if (missing.empty()) return found;
  ASSIGN_OR_RETURN(auto read, questions_.FindVersions(tx, missing));
  absl::MutexLock lock(&mu_);
  if (cached_.size() + read.size() > capacity_) cached_.clear();
  for (auto& [key, question] : read) {
    cached_.emplace(key, question);
    found.emplace(key, std::move(question));
  }
  return found;
}

}  // namespace lms::assessment

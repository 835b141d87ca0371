#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/categories.h"

namespace lms::course {

// Numbers equal lms.v1.CourseState.
enum class CourseState : int { kUnspecified = 0, kDraft = 1, kPublished = 2, kArchived = 3 };

enum class LessonKind : int {
  kUnspecified = 0,
  kArticle = 1,
  kVideo = 2,
  kAudio = 3,
  kDocument = 4
};

// One lesson. Media and document lessons carry url and size; an article carries its body
// only when loaded for GetLessonContent (catalogue copies leave `article_html` empty).
struct Lesson {
  int64_t id = 0;
  std::string title;
  LessonKind kind = LessonKind::kUnspecified;
  std::string url;
  int32_t duration_seconds = 0;
  int32_t page_count = 0;
  std::string article_html;
  // Characters of the article body.
  int32_t article_length = 0;
};

// A course. As input to create/update only the editable fields count (title through
// lessons); the rest is the server's.
struct Course {
  int64_t id = 0;
  std::string title;
  std::string summary;
  std::string cover_url;
  ContentCategory content_category = ContentCategory::kUnspecified;
  // Empty means every member category.
  std::vector<MemberCategory> audience;
  // Study hours in hundredths.
  int64_t study_hours_centi = 0;
  std::vector<std::string> tags;
  std::vector<Lesson> lessons;

  CourseState state = CourseState::kUnspecified;
  int64_t version = 0;
  // The catalogue generation of the last change.
  int64_t change_seq = 0;
  int64_t learner_count = 0;
  int64_t created_by = 0;
  absl::Time create_time = absl::InfinitePast();
  absl::Time update_time = absl::InfinitePast();
  // InfinitePast() until first published.
  absl::Time publish_time = absl::InfinitePast();

  // What "newest" sorts by: first publication, or creation for a never-published draft.
  [[nodiscard]] absl::Time SortTime() const {
    return publish_time == absl::InfinitePast() ? create_time : publish_time;
  }
  [[nodiscard]] bool IsMeantFor(MemberCategory category) const;
  [[nodiscard]] bool HasTag(const std::string& tag) const;
};

// A lesson's full content with the course it belongs to.
struct LessonContent {
  int64_t course_id = 0;
  int64_t course_version = 0;
  CourseState course_state = CourseState::kUnspecified;
  Lesson lesson;
};

// Limits of the contract (proto/lms/v1/course.proto), in code points.
inline constexpr size_t kMaxTitleLength = 200;
inline constexpr size_t kMaxSummaryLength = 2000;
inline constexpr size_t kMaxUrlLength = 2048;
inline constexpr size_t kMaxTags = 20;
inline constexpr size_t kMaxTagLength = 32;
inline constexpr size_t kMaxLessons = 200;
inline constexpr size_t kMaxArticleLength = 200000;
inline constexpr int64_t kMaxStudyHoursCenti = 100 * 100;
inline constexpr int32_t kMaxDurationSeconds = 86400;
inline constexpr int32_t kMaxPageCount = 10000;

}  // namespace lms::course

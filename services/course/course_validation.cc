#include "services/course/course_validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/field_errors.h"
#include "common/validation/field_checks.h"
#include "services/course/article_html.h"

namespace lms::course {
namespace {

using status::FieldErrors;
using validation::CheckText;
using validation::CheckUrl;

void CheckAudience(FieldErrors& errors, const Course& course) {
  absl::flat_hash_set<int> seen;
  for (size_t i = 0; i < course.audience.size(); ++i) {
    const int value = static_cast<int>(course.audience[i]);
    const std::string field = absl::StrCat("course.audience[", i, "]");
    if (!IsKnownMemberCategory(value)) {
      errors.Add(field, absl::StrCat("unknown member category ", value));
    } else if (!seen.insert(value).second) {
      errors.Add(field, "repeated");
    }
  }
}

void CheckTags(FieldErrors& errors, const Course& course) {
  if (course.tags.size() > kMaxTags) {
    errors.Add("course.tags", absl::StrCat("at most ", kMaxTags, " tags"));
    return;
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < course.tags.size(); ++i) {
    const std::string field = absl::StrCat("course.tags[", i, "]");
    if (CheckText(errors, field, course.tags[i], 1, kMaxTagLength) &&
        !seen.insert(course.tags[i]).second) {
      errors.Add(field, "repeated");
    }
  }
}

void CheckMedia(FieldErrors& errors, const std::string& prefix, const Lesson& lesson) {
  CheckUrl(errors, absl::StrCat(prefix, ".url"), lesson.url, kMaxUrlLength, false);
  if (lesson.kind == LessonKind::kDocument) {
    if (lesson.page_count < 1 || lesson.page_count > kMaxPageCount) {
      errors.Add(absl::StrCat(prefix, ".page_count"), absl::StrCat("must be 1 to ", kMaxPageCount));
    }
  } else if (lesson.duration_seconds < 1 || lesson.duration_seconds > kMaxDurationSeconds) {
    errors.Add(absl::StrCat(prefix, ".duration_seconds"),
               absl::StrCat("must be 1 to ", kMaxDurationSeconds));
  }
}

void CheckLesson(FieldErrors& errors, size_t index, const Lesson& lesson, bool for_create) {
  const std::string prefix = absl::StrCat("course.lessons[", index, "]");
  if (lesson.id < 0 || (for_create && lesson.id != 0)) {
    errors.Add(absl::StrCat(prefix, ".id"), "must be 0 for a new lesson");
  }
  CheckText(errors, absl::StrCat(prefix, ".title"), lesson.title, 1, kMaxTitleLength);
  switch (lesson.kind) {
    case LessonKind::kArticle: {
      // An existing article sent back without its body keeps the stored one (Course
      // never carries bodies); the service checks that the lesson is an article.
      if (!for_create && lesson.id > 0 && lesson.article_html.empty()) break;
      const std::string field = absl::StrCat(prefix, ".article.html");
      if (CheckText(errors, field, lesson.article_html, 1, kMaxArticleLength, true)) {
        if (std::string problem = CheckArticleHtml(lesson.article_html); !problem.empty()) {
          errors.Add(field, problem);
        }
      }
      break;
    }
    case LessonKind::kVideo:
      CheckMedia(errors, absl::StrCat(prefix, ".video"), lesson);
      break;
    case LessonKind::kAudio:
      CheckMedia(errors, absl::StrCat(prefix, ".audio"), lesson);
      break;
    case LessonKind::kDocument:
      CheckMedia(errors, absl::StrCat(prefix, ".document"), lesson);
      break;
    case LessonKind::kUnspecified:
      errors.Add(absl::StrCat(prefix, ".kind"), "set one of article, video, audio, document");
      break;
  }
}

}  // namespace

absl::Status ValidateCourse(const Course& course, bool for_create) {
  FieldErrors errors;
  CheckText(errors, "course.title", course.title, 1, kMaxTitleLength);
  CheckText(errors, "course.summary", course.summary, 0, kMaxSummaryLength, true);
  CheckUrl(errors, "course.cover_url", course.cover_url, kMaxUrlLength, true);
  if (!IsKnownContentCategory(static_cast<int>(course.content_category))) {
    errors.Add("course.content_category", "must be one of the eight content categories");
  }
  CheckAudience(errors, course);
  if (course.study_hours_centi < 0 || course.study_hours_centi > kMaxStudyHoursCenti) {
    errors.Add("course.study_hours.hundredths", "must be 0 to 10000 (100 hours)");
  }
  CheckTags(errors, course);
  if (course.lessons.size() > kMaxLessons) {
    errors.Add("course.lessons", absl::StrCat("at most ", kMaxLessons, " lessons"));
  } else {
    absl::flat_hash_set<int64_t> ids;
    for (size_t i = 0; i < course.lessons.size(); ++i) {
      CheckLesson(errors, i, course.lessons[i], for_create);
      if (course.lessons[i].id > 0 && !ids.insert(course.lessons[i].id).second) {
        errors.Add(absl::StrCat("course.lessons[", i, "].id"), "repeated");
      }
    }
  }
  return errors.ToStatus();
}

}  // namespace lms::course

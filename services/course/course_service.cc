#include "services/course/course_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/validation/field_checks.h"
#include "common/validation/request_checks.h"
#include "services/course/course_validation.h"

namespace lms::course {
namespace {

using validation::CheckExpectedVersion;
using validation::CheckPositiveId;
using validation::CheckVersion;

constexpr int kDefaultChangesPageSize = 100;
constexpr int kMaxChangesPageSize = 1000;
constexpr size_t kMaxQueryLength = 100;

absl::StatusOr<CourseListing> ToListing(const auth::Caller& caller, const ListCoursesInput& input) {
  status::FieldErrors errors;
  CourseListing listing;
  listing.admin_view = caller.IsAdmin();
  // Every bad field is reported at once: a bad page size joins the others.
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  listing.page_size = page_size.value_or(paging::kDefaultPageSize);
  if (input.content_category != 0 && !IsKnownContentCategory(input.content_category)) {
    errors.Add("content_category", "unknown content category");
  }
  if (input.audience != 0 && !IsKnownMemberCategory(input.audience)) {
    errors.Add("audience", "unknown member category");
  }
  if (input.order < 0 || input.order > 2) errors.Add("order_by", "unknown order");
  if (input.state < 0 || input.state > 3) errors.Add("state", "unknown course state");
  if (!input.tag.empty()) validation::CheckText(errors, "tag", input.tag, 1, kMaxTagLength);
  if (!input.query.empty()) {
    validation::CheckText(errors, "query", input.query, 0, kMaxQueryLength);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  if (!listing.admin_view && input.state != 0 &&
      input.state != static_cast<int>(CourseState::kPublished)) {
    return absl::PermissionDeniedError("only admins may list unpublished courses");
  }
  listing.content_category = static_cast<ContentCategory>(input.content_category);
  listing.audience = static_cast<MemberCategory>(input.audience);
  listing.order = input.order == 2 ? CourseOrder::kMostStudied : CourseOrder::kNewest;
  listing.state = static_cast<CourseState>(input.state);
  listing.tag = input.tag;
  listing.query = input.query;
  listing.filter_fingerprint = paging::StableHash(absl::StrCat(
      listing.admin_view, "|", input.content_category, "|", input.audience, "|", input.state, "|",
      static_cast<int>(listing.order), "|", input.tag, "|", input.query, "|", listing.page_size));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(listing.after, DecodePageToken(input.page_token, listing.filter_fingerprint));
  }
  return listing;
}

}  // namespace

template <typename Mutate>
absl::StatusOr<Course> CourseService::Write(const call::CallContext& call, Mutate&& mutate) const {
  ASSIGN_OR_RETURN(
      Course course,
      call::RunIdempotentWrite<Course>(
          pool_, call, clock_.Now(),
          [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
            ASSIGN_OR_RETURN(const int64_t id, mutate(tx));
            // Last, so the catalogue_state row lock is held only until COMMIT.
            ASSIGN_OR_RETURN(const int64_t generation, courses_.NextGeneration(tx));
            RETURN_IF_ERROR(courses_.SetChangeSeq(tx, id, generation));
            return id;
          },
          [&](db::Transaction& tx, int64_t id) { return courses_.Find(tx, id, false); }));
  catalogue_.Apply(course);
  return course;
}

absl::StatusOr<Course> CourseService::CreateCourse(const call::CallContext& call,
                                                   const Course& draft) const {
  RETURN_IF_ERROR(ValidateCourse(draft, /*for_create=*/true));
  return Write(call, [&](db::Transaction& tx) {
    return courses_.Insert(tx, draft, call.caller.member_id, clock_.Now());
  });
}

absl::StatusOr<Course> CourseService::UpdateCourse(const call::CallContext& call,
                                                   const Course& edited,
                                                   int64_t expected_version) const {
  RETURN_IF_ERROR(CheckPositiveId("course.id", edited.id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  RETURN_IF_ERROR(ValidateCourse(edited, /*for_create=*/false));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Course current, courses_.Find(tx, edited.id, true));
    if (current.state == CourseState::kArchived) {
      return absl::FailedPreconditionError("an archived course cannot be edited");
    }
    RETURN_IF_ERROR(CheckVersion("course", current.id, current.version, expected_version));
    RETURN_IF_ERROR(CheckLessonIds(tx, edited));
    RETURN_IF_ERROR(courses_.Update(tx, edited, clock_.Now()));
    return edited.id;
  });
}

absl::Status CourseService::CheckLessonIds(db::Transaction& tx, const Course& edited) const {
  ASSIGN_OR_RETURN(const auto kinds, courses_.LessonKinds(tx, edited.id));
  status::FieldErrors errors;
  for (size_t i = 0; i < edited.lessons.size(); ++i) {
    const Lesson& lesson = edited.lessons[i];
    if (lesson.id == 0) continue;
    const auto it = kinds.find(lesson.id);
    if (it == kinds.end()) {
      errors.Add(absl::StrCat("course.lessons[", i, "].id"),
                 absl::StrCat("lesson ", lesson.id, " is not part of this course"));
    } else if (lesson.kind == LessonKind::kArticle && lesson.article_html.empty() &&
               it->second != LessonKind::kArticle) {
      errors.Add(absl::StrCat("course.lessons[", i, "].article.html"),
                 "required when a lesson becomes an article");
    }
  }
  return errors.ToStatus();
}

absl::StatusOr<Course> CourseService::ChangeState(const call::CallContext& call, int64_t id,
                                                  int64_t expected_version, CourseState from,
                                                  CourseState to) const {
  RETURN_IF_ERROR(CheckPositiveId("course_id", id));
  RETURN_IF_ERROR(CheckExpectedVersion(expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const Course current, courses_.Find(tx, id, true));
    RETURN_IF_ERROR(CheckVersion("course", current.id, current.version, expected_version));
    if (current.state != from) {
      return absl::FailedPreconditionError(to == CourseState::kPublished
                                               ? "only a draft course can be published"
                                               : "only a published course can be archived");
    }
    if (to == CourseState::kPublished &&
        (current.lessons.empty() || current.study_hours_centi <= 0)) {
      return absl::FailedPreconditionError(
          "a course needs at least one lesson and some study hours to be published");
    }
    RETURN_IF_ERROR(courses_.SetState(tx, id, to, clock_.Now()));
    return id;
  });
}

absl::StatusOr<Course> CourseService::PublishCourse(const call::CallContext& call, int64_t id,
                                                    int64_t expected_version) const {
  return ChangeState(call, id, expected_version, CourseState::kDraft, CourseState::kPublished);
}

absl::StatusOr<Course> CourseService::ArchiveCourse(const call::CallContext& call, int64_t id,
                                                    int64_t expected_version) const {
  return ChangeState(call, id, expected_version, CourseState::kPublished, CourseState::kArchived);
}

absl::StatusOr<CourseLookup> CourseService::GetCourse(const auth::Caller& caller, int64_t id,
                                                      int64_t known_version) const {
  RETURN_IF_ERROR(CheckPositiveId("course_id", id));
  if (known_version < 0) return status::InvalidField("known_version", "must not be negative");
  ASSIGN_OR_RETURN(const std::shared_ptr<const CatalogueSnapshot> snapshot, catalogue_.Snapshot());
  CoursePtr course = snapshot->Find(id);
  // A draft does not exist for members: NOT_FOUND, not PERMISSION_DENIED.
  if (course == nullptr || (!caller.IsAdmin() && course->state == CourseState::kDraft)) {
    return absl::NotFoundError(absl::StrCat("course ", id, " not found"));
  }
  CourseLookup lookup;
  lookup.version = course->version;
  lookup.not_modified = known_version == course->version;
  if (!lookup.not_modified) lookup.course = std::move(course);
  return lookup;
}

absl::StatusOr<CourseListPage> CourseService::ListCourses(const auth::Caller& caller,
                                                          const ListCoursesInput& input) const {
  ASSIGN_OR_RETURN(const CourseListing listing, ToListing(caller, input));
  ASSIGN_OR_RETURN(const std::shared_ptr<const CatalogueSnapshot> snapshot, catalogue_.Snapshot());
  CoursePage page = snapshot->List(listing);
  CourseListPage result;
  result.courses = std::move(page.courses);
  if (page.next.has_value()) result.next_page_token = EncodePageToken(*page.next);
  return result;
}

absl::StatusOr<LessonContent> CourseService::GetLessonContent(const call::CallContext& call,
                                                              int64_t lesson_id) const {
  RETURN_IF_ERROR(CheckPositiveId("lesson_id", lesson_id));
  ASSIGN_OR_RETURN(LessonContent content, db::RunTransactionFor<LessonContent>(
                                              pool_, call.deadline, [&](db::Transaction& tx) {
                                                return courses_.FindLessonContent(tx, lesson_id);
                                              }));
  if (!call.caller.IsAdmin() && content.course_state == CourseState::kDraft) {
    return absl::NotFoundError(absl::StrCat("lesson ", lesson_id, " not found"));
  }
  return content;
}

absl::StatusOr<CatalogueChanges> CourseService::ListCatalogueChanges(const auth::Caller& caller,
                                                                     int64_t since_generation,
                                                                     int page_size) const {
  status::FieldErrors errors;
  if (since_generation < 0) errors.Add("since_generation", "must not be negative");
  if (page_size < 0 || page_size > kMaxChangesPageSize) {
    errors.Add("page_size", absl::StrCat("must be 0 to ", kMaxChangesPageSize));
  }
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(const std::shared_ptr<const CatalogueSnapshot> snapshot, catalogue_.Snapshot());
  CatalogueChanges changes = snapshot->ChangedSince(
      since_generation, static_cast<size_t>(page_size == 0 ? kDefaultChangesPageSize : page_size));
  if (!caller.IsAdmin()) {
    // Members never learn of drafts that were never published.
    auto& courses = changes.courses;
    courses.erase(std::remove_if(courses.begin(), courses.end(),
                                 [](const CoursePtr& course) {
                                   return course->publish_time == absl::InfinitePast();
                                 }),
                  courses.end());
  }
  return changes;
}

}  // namespace lms::course

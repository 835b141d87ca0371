// Every RPC of the course service against bad input: the exact status code, and nothing
// written. A table per request type, as in style.md.

#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "lms/v1/course.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::course {
namespace {

using auth::Role;

v1::Course ValidCourse() {
  v1::Course course;
  course.set_title("有效课程");
  course.set_content_category(v1::CONTENT_CATEGORY_PARTY_PURPOSE);
  course.mutable_study_hours()->set_hundredths(100);
  auto* lesson = course.add_lessons();
  lesson->set_title("第一讲");
  lesson->mutable_video()->set_url("https://cdn.example.com/v.m3u8");
  lesson->mutable_video()->set_duration_seconds(60);
  return course;
}

struct BadCase {
  std::string name;
  std::function<void(v1::Course&)> mutate;
  grpc::StatusCode code;
};

std::string Repeat(const std::string& unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

class CourseBadInputTest : public ::testing::TestWithParam<BadCase> {
 protected:
  static void SetUpTestSuite() { server_ = new testing::TestServer("course_bad_input"); }
  static void TearDownTestSuite() { delete server_; }
  static testing::TestServer* server_;
};
testing::TestServer* CourseBadInputTest::server_ = nullptr;

TEST_P(CourseBadInputTest, CreateIsRefusedAndWritesNothing) {
  const int64_t courses = server_->database().CountRows("course");
  const int64_t lessons = server_->database().CountRows("lesson");
  v1::CreateCourseRequest request;
  *request.mutable_course() = ValidCourse();
  GetParam().mutate(*request.mutable_course());
  v1::Course ignored;
  const grpc::Status status = server_->courses().CreateCourse(
      server_->Context(server_->Token(Role::kSystemAdmin)).get(), request, &ignored);
  EXPECT_EQ(status.error_code(), GetParam().code) << status.error_message();
  EXPECT_EQ(server_->database().CountRows("course"), courses);
  EXPECT_EQ(server_->database().CountRows("lesson"), lessons);
}

TEST_P(CourseBadInputTest, UpdateIsRefusedAndChangesNothing) {
  v1::CreateCourseRequest create;
  *create.mutable_course() = ValidCourse();
  const std::string admin = server_->Token(Role::kSystemAdmin);
  v1::Course created;
  ASSERT_TRUE(
      server_->courses().CreateCourse(server_->Context(admin).get(), create, &created).ok());
  v1::UpdateCourseRequest update;
  *update.mutable_course() = created;
  update.set_expected_version(created.version());
  GetParam().mutate(*update.mutable_course());
  v1::Course ignored;
  const grpc::Status status =
      server_->courses().UpdateCourse(server_->Context(admin).get(), update, &ignored);
  EXPECT_EQ(status.error_code(), GetParam().code) << status.error_message();
  v1::GetCourseRequest get;
  get.set_course_id(created.id());
  v1::GetCourseResponse current;
  ASSERT_TRUE(server_->courses().GetCourse(server_->Context(admin).get(), get, &current).ok());
  EXPECT_EQ(current.version(), created.version());
  EXPECT_EQ(current.course().title(), created.title());
}

const auto kInvalid = grpc::StatusCode::INVALID_ARGUMENT;

INSTANTIATE_TEST_SUITE_P(
    BadCourse, CourseBadInputTest,
    ::testing::Values(
        BadCase{"empty_title", [](v1::Course& c) { c.set_title(""); }, kInvalid},
        BadCase{"blank_title", [](v1::Course& c) { c.set_title("   "); }, kInvalid},
        BadCase{"title_too_long", [](v1::Course& c) { c.set_title(Repeat("党", 201)); }, kInvalid},
        BadCase{"title_with_control", [](v1::Course& c) { c.set_title("a\x1b[31mb"); }, kInvalid},
        BadCase{"summary_too_long", [](v1::Course& c) { c.set_summary(Repeat("学", 2001)); },
                kInvalid},
        BadCase{"cover_not_http", [](v1::Course& c) { c.set_cover_url("javascript:alert(1)"); },
                kInvalid},
        BadCase{"unknown_category",
                [](v1::Course& c) { c.set_content_category(static_cast<v1::ContentCategory>(99)); },
                kInvalid},
        BadCase{"no_category",
                [](v1::Course& c) { c.set_content_category(v1::CONTENT_CATEGORY_UNSPECIFIED); },
                kInvalid},
        BadCase{"unknown_audience",
                [](v1::Course& c) { c.add_audience(static_cast<v1::MemberCategory>(42)); },
                kInvalid},
        BadCase{"repeated_audience",
                [](v1::Course& c) {
                  c.add_audience(v1::MEMBER_CATEGORY_RETIRED);
                  c.add_audience(v1::MEMBER_CATEGORY_RETIRED);
                },
                kInvalid},
        BadCase{"negative_hours",
                [](v1::Course& c) { c.mutable_study_hours()->set_hundredths(-1); }, kInvalid},
        BadCase{"too_many_hours",
                [](v1::Course& c) { c.mutable_study_hours()->set_hundredths(10001); }, kInvalid},
        BadCase{"repeated_tag",
                [](v1::Course& c) {
                  c.add_tags("必修");
                  c.add_tags("必修");
                },
                kInvalid},
        BadCase{"tag_too_long", [](v1::Course& c) { c.add_tags(Repeat("标", 33)); }, kInvalid},
        BadCase{"too_many_tags",
                [](v1::Course& c) {
                  for (int i = 0; i < 21; ++i) c.add_tags(absl::StrCat("t", i));
                },
                kInvalid},
        BadCase{"lesson_without_kind", [](v1::Course& c) { c.add_lessons()->set_title("空"); },
                kInvalid},
        BadCase{"lesson_without_title", [](v1::Course& c) { c.mutable_lessons(0)->set_title(""); },
                kInvalid},
        BadCase{"video_ftp_url",
                [](v1::Course& c) { c.mutable_lessons(0)->mutable_video()->set_url("ftp://x/v"); },
                kInvalid},
        BadCase{
            "video_zero_duration",
            [](v1::Course& c) { c.mutable_lessons(0)->mutable_video()->set_duration_seconds(0); },
            kInvalid},
        BadCase{"document_without_pages",
                [](v1::Course& c) {
                  auto* d = c.add_lessons();
                  d->set_title("文档");
                  d->mutable_document()->set_url("https://x/d.pdf");
                },
                kInvalid},
        BadCase{"article_with_script",
                [](v1::Course& c) {
                  auto* a = c.add_lessons();
                  a->set_title("文章");
                  a->mutable_article()->set_html("<p>hi</p><script>alert(1)</script>");
                },
                kInvalid},
        BadCase{"article_with_event_handler",
                [](v1::Course& c) {
                  auto* a = c.add_lessons();
                  a->set_title("文章");
                  a->mutable_article()->set_html("<img src=\"https://x/i.png\" onerror=\"x()\">");
                },
                kInvalid},
        BadCase{"unknown_lesson_id", [](v1::Course& c) { c.mutable_lessons(0)->set_id(987654321); },
                kInvalid},
        BadCase{"too_many_lessons",
                [](v1::Course& c) {
                  for (int i = 0; i < 200; ++i) *c.add_lessons() = c.lessons(0);
                },
                kInvalid}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

// The remaining RPCs, one table of requests each.
class CourseReadBadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::TestServer("course_read_bad_input"); }
  static void TearDownTestSuite() { delete server_; }

  static grpc::StatusCode List(const std::function<void(v1::ListCoursesRequest&)>& mutate) {
    v1::ListCoursesRequest request;
    mutate(request);
    v1::ListCoursesResponse response;
    return server_->courses()
        .ListCourses(server_->Context(server_->Token(Role::kMember)).get(), request, &response)
        .error_code();
  }
  static testing::TestServer* server_;
};
testing::TestServer* CourseReadBadInputTest::server_ = nullptr;

TEST_F(CourseReadBadInputTest, ListCoursesRefusesBadFilters) {
  EXPECT_EQ(List([](auto& r) { r.set_page_size(101); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_page_size(-1); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_page_token("forged"); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_page_token("YzE6MTowOjA6MTowOjA"); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_query(Repeat("党", 101)); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_tag(Repeat("标", 33)); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_order_by(static_cast<v1::CourseOrder>(9)); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_content_category(static_cast<v1::ContentCategory>(9)); }),
            kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_audience(static_cast<v1::MemberCategory>(7)); }), kInvalid);
  EXPECT_EQ(List([](auto& r) { r.set_state(v1::COURSE_STATE_DRAFT); }),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(List([](auto& r) { r.set_query("党章"); }), grpc::StatusCode::OK);
}

TEST_F(CourseReadBadInputTest, PageTokenIsBoundToItsFilters) {
  const std::string admin = server_->Token(Role::kSystemAdmin);
  for (int i = 0; i < 3; ++i) {
    v1::CreateCourseRequest create;
    *create.mutable_course() = ValidCourse();
    v1::Course ignored;
    ASSERT_TRUE(
        server_->courses().CreateCourse(server_->Context(admin).get(), create, &ignored).ok());
  }
  v1::ListCoursesRequest request;
  request.set_page_size(1);
  v1::ListCoursesResponse first;
  ASSERT_TRUE(server_->courses().ListCourses(server_->Context(admin).get(), request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  request.set_query("其他");
  v1::ListCoursesResponse ignored;
  EXPECT_EQ(
      server_->courses().ListCourses(server_->Context(admin).get(), request, &ignored).error_code(),
      kInvalid);
}

TEST_F(CourseReadBadInputTest, IdsMustBePositiveAndKnown) {
  const std::string member = server_->Token(Role::kMember);
  for (const auto& [id, code] : std::vector<std::pair<int64_t, grpc::StatusCode>>{
           {0, kInvalid}, {-5, kInvalid}, {123456789, grpc::StatusCode::NOT_FOUND}}) {
    v1::GetCourseRequest get;
    get.set_course_id(id);
    v1::GetCourseResponse course;
    EXPECT_EQ(
        server_->courses().GetCourse(server_->Context(member).get(), get, &course).error_code(),
        code);
    v1::GetLessonContentRequest lesson;
    lesson.set_lesson_id(id);
    v1::LessonContent content;
    EXPECT_EQ(server_->courses()
                  .GetLessonContent(server_->Context(member).get(), lesson, &content)
                  .error_code(),
              code);
  }
  v1::GetCourseRequest negative_version;
  negative_version.set_course_id(1);
  negative_version.set_known_version(-1);
  v1::GetCourseResponse course;
  EXPECT_EQ(server_->courses()
                .GetCourse(server_->Context(member).get(), negative_version, &course)
                .error_code(),
            kInvalid);
}

TEST_F(CourseReadBadInputTest, StateChangesNeedIdAndVersion) {
  const std::string admin = server_->Token(Role::kSystemAdmin);
  const int64_t courses = server_->database().CountRows("course");
  for (const auto& [id, version, code] :
       std::vector<std::tuple<int64_t, int64_t, grpc::StatusCode>>{
           {0, 1, kInvalid}, {1, 0, kInvalid}, {123456789, 1, grpc::StatusCode::NOT_FOUND}}) {
    v1::ChangeCourseStateRequest request;
    request.set_course_id(id);
    request.set_expected_version(version);
    v1::Course ignored;
    EXPECT_EQ(server_->courses()
                  .PublishCourse(server_->Context(admin).get(), request, &ignored)
                  .error_code(),
              code);
    EXPECT_EQ(server_->courses()
                  .ArchiveCourse(server_->Context(admin).get(), request, &ignored)
                  .error_code(),
              code);
  }
  v1::ChangeCourseStateRequest bad_request_id;
  bad_request_id.set_request_id("spaces are not allowed");
  bad_request_id.set_course_id(1);
  bad_request_id.set_expected_version(1);
  v1::Course ignored;
  EXPECT_EQ(server_->courses()
                .PublishCourse(server_->Context(admin).get(), bad_request_id, &ignored)
                .error_code(),
            kInvalid);
  EXPECT_EQ(server_->database().CountRows("course"), courses);
}

TEST_F(CourseReadBadInputTest, CatalogueChangesRefuseBadCursor) {
  const std::string member = server_->Token(Role::kMember);
  for (const auto& [since, size] :
       std::vector<std::pair<int64_t, int32_t>>{{-1, 0}, {0, -1}, {0, 1001}}) {
    v1::ListCatalogueChangesRequest request;
    request.set_since_generation(since);
    request.set_page_size(size);
    v1::ListCatalogueChangesResponse response;
    EXPECT_EQ(server_->courses()
                  .ListCatalogueChanges(server_->Context(member).get(), request, &response)
                  .error_code(),
              kInvalid);
  }
}

TEST_F(CourseReadBadInputTest, NonUtf8TextIsInvalidArgument) {
  // A C++ client serializes invalid UTF-8 (it only logs), so the server sees it as any
  // broken client would send it. Handlers decode requests themselves, so this is
  // INVALID_ARGUMENT rather than gRPC's own UNIMPLEMENTED.
  const int64_t courses = server_->database().CountRows("course");
  v1::CreateCourseRequest request;
  *request.mutable_course() = ValidCourse();
  request.mutable_course()->set_title("bad \xff\xfe title");
  v1::Course ignored;
  const grpc::Status status = server_->courses().CreateCourse(
      server_->Context(server_->Token(Role::kSystemAdmin)).get(), request, &ignored);
  EXPECT_EQ(status.error_code(), kInvalid) << status.error_message();
  EXPECT_EQ(server_->database().CountRows("course"), courses);

  // The same on a read, and for a request that is not a protobuf at all.
  v1::ListCoursesRequest list;
  list.set_query("\xc3\x28");
  v1::ListCoursesResponse listed;
  EXPECT_EQ(server_->courses()
                .ListCourses(server_->Context(server_->Token(Role::kMember)).get(), list, &listed)
                .error_code(),
            kInvalid);
}

TEST_F(CourseReadBadInputTest, UnauthenticatedCallerHearsSoEvenWithAMalformedRequest) {
  v1::CreateCourseRequest request;
  request.mutable_course()->set_title("\xff");
  v1::Course ignored;
  EXPECT_EQ(
      server_->courses().CreateCourse(server_->Context("").get(), request, &ignored).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace lms::course

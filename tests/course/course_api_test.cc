// The course service through a real gRPC channel against a real database.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "lms/v1/course.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::course {
namespace {

using auth::Role;

v1::Course SampleCourse(const std::string& title) {
  v1::Course course;
  course.set_title(title);
  course.set_summary("结合生产实际学习党章党规");
  course.set_cover_url("https://cdn.example.com/c.jpg");
  course.set_content_category(v1::CONTENT_CATEGORY_RULES_AND_DISCIPLINE);
  course.add_audience(v1::MEMBER_CATEGORY_ORDINARY);
  course.mutable_study_hours()->set_hundredths(150);
  course.add_tags("必修");
  auto* article = course.add_lessons();
  article->set_title("第一讲");
  article->mutable_article()->set_html("<h2>导学</h2><p>学习党章。</p>");
  auto* video = course.add_lessons();
  video->set_title("第二讲");
  video->mutable_video()->set_url("https://cdn.example.com/v.m3u8");
  video->mutable_video()->set_duration_seconds(600);
  auto* audio = course.add_lessons();
  audio->set_title("第三讲");
  audio->mutable_audio()->set_url("https://cdn.example.com/a.mp3");
  audio->mutable_audio()->set_duration_seconds(300);
  auto* document = course.add_lessons();
  document->set_title("第四讲");
  document->mutable_document()->set_url("https://cdn.example.com/d.pdf");
  document->mutable_document()->set_page_count(12);
  return course;
}

class CourseApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::TestServer("course_api"); }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin); }
  static std::string Member() { return server_->Token(Role::kMember, 2); }

  static grpc::Status Create(const v1::Course& course, v1::Course* created,
                             const std::string& request_id = "") {
    v1::CreateCourseRequest request;
    request.set_request_id(request_id);
    *request.mutable_course() = course;
    return server_->courses().CreateCourse(server_->Context(Admin()).get(), request, created);
  }

  static v1::Course CreatePublished(const std::string& title) {
    v1::Course created;
    EXPECT_TRUE(Create(SampleCourse(title), &created).ok());
    v1::ChangeCourseStateRequest publish;
    publish.set_course_id(created.id());
    publish.set_expected_version(created.version());
    v1::Course published;
    EXPECT_TRUE(server_->courses()
                    .PublishCourse(server_->Context(Admin()).get(), publish, &published)
                    .ok());
    return published;
  }

  static grpc::Status Get(const std::string& token, int64_t id, v1::GetCourseResponse* response,
                          int64_t known_version = 0) {
    v1::GetCourseRequest request;
    request.set_course_id(id);
    request.set_known_version(known_version);
    return server_->courses().GetCourse(server_->Context(token).get(), request, response);
  }

  static std::vector<int64_t> ListIds(const std::string& token, v1::ListCoursesRequest request) {
    std::vector<int64_t> ids;
    do {
      v1::ListCoursesResponse page;
      const grpc::Status status =
          server_->courses().ListCourses(server_->Context(token).get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& course : page.courses()) ids.push_back(course.id());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return ids;
  }

  static bool Lists(const std::string& token, int64_t id, const std::string& query = "") {
    v1::ListCoursesRequest request;
    request.set_query(query);
    request.set_page_size(100);
    const std::vector<int64_t> ids = ListIds(token, request);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  static testing::TestServer* server_;
};
testing::TestServer* CourseApiTest::server_ = nullptr;

TEST_F(CourseApiTest, DraftIsInvisibleToMembersUntilPublished) {
  v1::Course draft;
  ASSERT_TRUE(Create(SampleCourse("草稿课程"), &draft).ok());
  EXPECT_EQ(draft.state(), v1::COURSE_STATE_DRAFT);
  v1::GetCourseResponse response;
  EXPECT_EQ(Get(Member(), draft.id(), &response).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(Lists(Member(), draft.id()));
  EXPECT_TRUE(Lists(Admin(), draft.id()));

  v1::ChangeCourseStateRequest publish;
  publish.set_course_id(draft.id());
  publish.set_expected_version(draft.version());
  v1::Course published;
  ASSERT_TRUE(
      server_->courses().PublishCourse(server_->Context(Admin()).get(), publish, &published).ok());
  EXPECT_GT(published.version(), draft.version());
  // Visible at once: the write patched this process's catalogue before answering.
  EXPECT_TRUE(Get(Member(), draft.id(), &response).ok());
  EXPECT_EQ(response.course().lessons_size(), 4);
  EXPECT_TRUE(Lists(Member(), draft.id()));
}

TEST_F(CourseApiTest, EditBumpsVersionAndStaleEditIsRefused) {
  const v1::Course published = CreatePublished("版本测试");
  v1::UpdateCourseRequest edit;
  *edit.mutable_course() = published;
  edit.mutable_course()->set_title("版本测试（修订）");
  edit.set_expected_version(published.version());
  v1::Course edited;
  ASSERT_TRUE(server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &edited).ok());
  EXPECT_EQ(edited.version(), published.version() + 1);
  // The lessons kept their ids.
  for (int i = 0; i < edited.lessons_size(); ++i) {
    EXPECT_EQ(edited.lessons(i).id(), published.lessons(i).id());
  }

  edit.mutable_course()->set_title("基于旧版本的修改");
  v1::Course stale;
  EXPECT_EQ(
      server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &stale).error_code(),
      grpc::StatusCode::ABORTED);
  v1::GetCourseResponse current;
  ASSERT_TRUE(Get(Member(), published.id(), &current).ok());
  EXPECT_EQ(current.course().title(), "版本测试（修订）");
  EXPECT_EQ(current.version(), edited.version());
  // The article went back without its body (Course never has bodies) and kept it.
  v1::GetLessonContentRequest body_request;
  body_request.set_lesson_id(published.lessons(0).id());
  v1::LessonContent body;
  ASSERT_TRUE(server_->courses()
                  .GetLessonContent(server_->Context(Member()).get(), body_request, &body)
                  .ok());
  EXPECT_EQ(body.lesson().article().html(), "<h2>导学</h2><p>学习党章。</p>");
}

TEST_F(CourseApiTest, LessonIdOfAnotherCourseIsRefused) {
  const v1::Course mine = CreatePublished("本课程");
  const v1::Course other = CreatePublished("别的课程");
  v1::UpdateCourseRequest edit;
  *edit.mutable_course() = mine;
  edit.mutable_course()->mutable_lessons(1)->set_id(other.lessons(1).id());
  edit.set_expected_version(mine.version());
  v1::Course ignored;
  EXPECT_EQ(
      server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &ignored).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetCourseResponse current;
  ASSERT_TRUE(Get(Admin(), mine.id(), &current).ok());
  EXPECT_EQ(current.version(), mine.version());
}

TEST_F(CourseApiTest, KnownVersionGetsNotModified) {
  const v1::Course published = CreatePublished("缓存测试");
  v1::GetCourseResponse response;
  ASSERT_TRUE(Get(Member(), published.id(), &response, published.version()).ok());
  EXPECT_TRUE(response.not_modified());
  EXPECT_FALSE(response.has_course());
  ASSERT_TRUE(Get(Member(), published.id(), &response, published.version() - 1).ok());
  EXPECT_FALSE(response.not_modified());
  EXPECT_EQ(response.course().id(), published.id());
}

TEST_F(CourseApiTest, RetriedCreateWithSameRequestIdCreatesOnce) {
  const int64_t before = server_->database().CountRows("course");
  v1::Course first;
  v1::Course second;
  ASSERT_TRUE(Create(SampleCourse("幂等创建"), &first, "create-42").ok());
  ASSERT_TRUE(Create(SampleCourse("幂等创建"), &second, "create-42").ok());
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(server_->database().CountRows("course"), before + 1);
}

TEST_F(CourseApiTest, RetriedUpdateIsNotRefusedAsStale) {
  const v1::Course published = CreatePublished("幂等修改");
  v1::UpdateCourseRequest edit;
  edit.set_request_id("edit-7");
  *edit.mutable_course() = published;
  edit.mutable_course()->set_summary("新的简介");
  edit.set_expected_version(published.version());
  v1::Course first;
  v1::Course retry;
  ASSERT_TRUE(server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &first).ok());
  // The client lost the answer and retries: same outcome, not ABORTED, no second bump.
  ASSERT_TRUE(server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &retry).ok());
  EXPECT_EQ(retry.version(), first.version());
}

TEST_F(CourseApiTest, ChineseKeywordSearchFindsSubstrings) {
  const v1::Course course = CreatePublished("学习党章党规");
  EXPECT_TRUE(Lists(Member(), course.id(), "党章"));
  EXPECT_TRUE(Lists(Member(), course.id(), "党规 学习"));
  EXPECT_TRUE(Lists(Member(), course.id(), "生产实际"));  // from the summary
  EXPECT_FALSE(Lists(Member(), course.id(), "党纪"));
  EXPECT_FALSE(Lists(Member(), course.id(), "章党党"));
}

TEST_F(CourseApiTest, PagesCoverEveryCourseOnceInOrder) {
  for (int i = 0; i < 7; ++i) CreatePublished(absl::StrCat("分页课程", i));
  v1::ListCoursesRequest request;
  request.set_page_size(3);
  const std::vector<int64_t> paged = ListIds(Member(), request);
  request.set_page_size(100);
  const std::vector<int64_t> whole = ListIds(Member(), request);
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(std::set<int64_t>(paged.begin(), paged.end()).size(), paged.size());
  EXPECT_GE(paged.size(), 7u);
}

TEST_F(CourseApiTest, ArchivedCourseLeavesListingsButStaysReadable) {
  const v1::Course published = CreatePublished("归档课程");
  v1::ChangeCourseStateRequest archive;
  archive.set_course_id(published.id());
  archive.set_expected_version(published.version());
  v1::Course archived;
  ASSERT_TRUE(
      server_->courses().ArchiveCourse(server_->Context(Admin()).get(), archive, &archived).ok());
  EXPECT_FALSE(Lists(Member(), published.id()));
  v1::GetCourseResponse response;
  EXPECT_TRUE(Get(Member(), published.id(), &response).ok());

  v1::UpdateCourseRequest edit;
  *edit.mutable_course() = archived;
  edit.set_expected_version(archived.version());
  v1::Course ignored;
  EXPECT_EQ(
      server_->courses().UpdateCourse(server_->Context(Admin()).get(), edit, &ignored).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CourseApiTest, PublishingNeedsLessonsAndHours) {
  v1::Course empty = SampleCourse("空课程");
  empty.clear_lessons();
  v1::Course created;
  ASSERT_TRUE(Create(empty, &created).ok());
  v1::ChangeCourseStateRequest publish;
  publish.set_course_id(created.id());
  publish.set_expected_version(created.version());
  v1::Course ignored;
  EXPECT_EQ(server_->courses()
                .PublishCourse(server_->Context(Admin()).get(), publish, &ignored)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CourseApiTest, NamesFullOfSqlAndFourByteCharactersAreStoredVerbatim) {
  const std::string title = "'); DROP TABLE course;-- 𠮷😀\\\" 学习";
  v1::Course course = SampleCourse(title);
  course.set_tags(0, "😀标签");
  v1::Course created;
  ASSERT_TRUE(Create(course, &created).ok());
  v1::GetCourseResponse response;
  ASSERT_TRUE(Get(Admin(), created.id(), &response).ok());
  EXPECT_EQ(response.course().title(), title);
  EXPECT_EQ(response.course().tags(0), "😀标签");
  EXPECT_GT(server_->database().CountRows("course"), 0);
}

TEST_F(CourseApiTest, LessonContentCarriesTheArticleBody) {
  const v1::Course published = CreatePublished("正文测试");
  v1::GetLessonContentRequest request;
  request.set_lesson_id(published.lessons(0).id());
  v1::LessonContent content;
  ASSERT_TRUE(server_->courses()
                  .GetLessonContent(server_->Context(Member()).get(), request, &content)
                  .ok());
  EXPECT_EQ(content.lesson().article().html(), "<h2>导学</h2><p>学习党章。</p>");
  EXPECT_EQ(content.course_version(), published.version());
}

TEST_F(CourseApiTest, CatalogueChangesReportNewlyPublishedCourses) {
  v1::ListCatalogueChangesRequest request;
  v1::ListCatalogueChangesResponse before;
  ASSERT_TRUE(server_->courses()
                  .ListCatalogueChanges(server_->Context(Member()).get(), request, &before)
                  .ok());
  const v1::Course published = CreatePublished("同步测试");
  // The change is reported once a refresh has confirmed every earlier generation.
  server_->RunTaskNow("catalogue_refresh");
  request.set_since_generation(before.generation());
  v1::ListCatalogueChangesResponse after;
  ASSERT_TRUE(server_->courses()
                  .ListCatalogueChanges(server_->Context(Member()).get(), request, &after)
                  .ok());
  // Other cases of this suite may have changed courses too: find this one.
  const auto change = std::find_if(after.changes().begin(), after.changes().end(),
                                   [&](const auto& c) { return c.course_id() == published.id(); });
  ASSERT_NE(change, after.changes().end());
  EXPECT_EQ(change->version(), published.version());
  EXPECT_TRUE(change->listed());
  EXPECT_GT(after.generation(), before.generation());
}

TEST_F(CourseApiTest, CallsWithoutValidCredentialsAreUnauthenticated) {
  v1::GetCourseResponse response;
  EXPECT_EQ(Get("", 1, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Get("v1.bm9wZQ.bm9wZQ", 1, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CourseApiTest, MembersAndKiosksCannotWrite) {
  const int64_t before = server_->database().CountRows("course");
  for (const Role role : {Role::kMember, Role::kKiosk}) {
    v1::CreateCourseRequest request;
    *request.mutable_course() = SampleCourse("越权");
    v1::Course ignored;
    EXPECT_EQ(server_->courses()
                  .CreateCourse(server_->Context(server_->Token(role)).get(), request, &ignored)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(server_->database().CountRows("course"), before);
}

}  // namespace
}  // namespace lms::course

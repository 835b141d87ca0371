#include "tests/testing/honest_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/grpc/proto_time.h"
#include "common/time/china_time.h"

namespace lms::testing {
namespace {

struct LessonSpec {
  int64_t id;
  // Units per 30-second heartbeat, and the lesson's length in units.
  int step;
  int length;
  bool pages;
};

const LessonSpec kLessons[] = {
    {20011, 30, 600, false},    // video, course 2001
    {20012, 30, 1800, false},   // long video, course 2001
    {20021, 1, 6, true},        // document, course 2002
    {20022, 250, 1000, false},  // article, course 2002
    {20031, 30, 300, false},    // audio, course 2003
    {20032, 1, 12, true},       // document, course 2003
};

}  // namespace

void SeedStreamCourses(TestDatabase& database) {
  SeedPublishedCourse(database, 2001, "理论视频", 250);
  SeedPublishedCourse(database, 2002, "党规文件", 150);
  SeedPublishedCourse(database, 2003, "形势音频", 100);
  database.Execute(
      "INSERT INTO lesson (id, course_id, position, removed, title, kind, duration_seconds,"
      " page_count, body, body_length) VALUES"
      " (20011, 2001, 1, 0, '视频', 2, 600, 0, '', 0),"
      " (20012, 2001, 2, 0, '长视频', 2, 1800, 0, '', 0),"
      " (20021, 2002, 1, 0, '文件', 4, 0, 6, '', 0),"
      " (20022, 2002, 2, 0, '文章', 1, 0, 0, '<p>正文</p>', 800),"
      " (20031, 2003, 1, 0, '音频', 3, 300, 0, '', 0),"
      " (20032, 2003, 2, 0, '长文件', 4, 0, 12, '', 0)");
}

std::vector<v1::ProgressEvent> HonestStream(absl::Time sent, int count, uint32_t seed) {
  std::mt19937 random(seed);
  const int year = static_cast<int>(TodayInChina(sent).year()) - 1;
  absl::Time at = absl::FromCivil(absl::CivilDay(year, 12, 27), ChinaTimeZone()) + absl::Hours(7);
  std::vector<v1::ProgressEvent> events;
  std::map<std::string, int64_t> sequences;
  std::map<int64_t, int> positions;
  const char* devices[] = {"phone", "kiosk-1", "kiosk-2"};
  while (static_cast<int>(events.size()) < count) {
    const LessonSpec& lesson = kLessons[random() % 6];
    const std::string device = devices[random() % 3];
    int& position = positions[lesson.id];
    if (position >= lesson.length || random() % 5 == 0) position = 0;  // again, or back
    const int beats = 4 + static_cast<int>(random() % 40);
    for (int beat = 0; beat < beats && static_cast<int>(events.size()) < count; ++beat) {
      at += absl::Seconds(30);
      const int from = lesson.pages ? std::max(1, position) : position;
      const int to = std::min(lesson.length, from + lesson.step - (lesson.pages ? 1 : 0));
      position = lesson.pages ? to + 1 : to;
      v1::ProgressEvent event;
      event.set_event_id(absl::StrCat("e", events.size()));
      event.set_lesson_id(lesson.id);
      grpc_util::SetTimestamp(at, event.mutable_occur_time());
      grpc_util::SetTimestamp(sent, event.mutable_sent_time());
      event.set_from_position(from);
      event.set_to_position(to);
      event.set_active_seconds(30);
      event.set_device_id(device);
      event.set_sequence(++sequences[device]);
      events.push_back(event);
      if (position >= lesson.length + (lesson.pages ? 1 : 0)) break;
    }
    // A pause: minutes, or a shift's worth of hours.
    at += random() % 4 == 0 ? absl::Hours(6 + random() % 10) : absl::Minutes(random() % 30 + 1);
  }
  return events;
}

std::string ProgressOutcome(TestDatabase& database, int64_t member_id) {
  const std::vector<std::pair<std::string, int>> queries = {
      {"SELECT lesson_id, completion_time, credited_ms, coverage, day_wall, last_position,"
       " last_time FROM lesson_progress WHERE member_id = ? ORDER BY lesson_id",
       7},
      {"SELECT course_id, state, completion_time, lessons_completed FROM course_progress"
       " WHERE member_id = ? ORDER BY course_id",
       4},
      {"SELECT summary_source, source_id, year, content_category, SUM(hundredths)"
       " FROM hours_credit WHERE member_id = ? GROUP BY summary_source, source_id, year,"
       " content_category HAVING SUM(hundredths) <> 0 ORDER BY 1, 2, 3, 4",
       5},
      {"SELECT year, source, content_category, hundredths FROM member_year_hours"
       " WHERE member_id = ? AND hundredths <> 0 ORDER BY 1, 2, 3",
       4},
      {"SELECT year, credited_ms FROM member_year_study WHERE member_id = ? AND credited_ms <> 0"
       " ORDER BY year",
       2}};
  std::string text;
  absl::StatusOr<db::Transaction> tx = database.pool().Begin(absl::Now() + absl::Seconds(30));
  EXPECT_TRUE(tx.ok()) << tx.status();
  if (!tx.ok()) return text;
  for (const auto& [sql, columns] : queries) {
    const absl::Status status = tx->Query(sql, {member_id}, [&](const db::Row& row) {
      for (int column = 1; column <= columns; ++column) {
        absl::StrAppend(&text, row.IsNull(column) ? "-" : row.String(column), "|");
      }
      text += "\n";
    });
    EXPECT_TRUE(status.ok()) << status;
    text += "--\n";
  }
  return text;
}

}  // namespace lms::testing

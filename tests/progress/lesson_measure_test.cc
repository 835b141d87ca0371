#include "services/progress/lesson_measure.h"

#include <gtest/gtest.h>

#include "services/progress/event_checks.h"

namespace lms::progress {
namespace {

LessonFacts Video(int32_t seconds) {
  LessonFacts lesson;
  lesson.kind = course::LessonKind::kVideo;
  lesson.duration_seconds = seconds;
  return lesson;
}

TEST(LessonMeasureTest, ASeekCoversOnlyWhatTheTimeSpentCanReach) {
  const ProgressRules rules;  // fastest pace 200 %
  const LessonFacts video = Video(600);
  const LessonMeasure measure(video, rules);
  // From 0 to the end in 10 s: 20 s of the video.
  EXPECT_EQ(measure.Reachable(measure.SegmentUnits(0, 600), 10'000), (Interval{0, 20}));
  // Watched at normal pace: all of it.
  EXPECT_EQ(measure.Reachable(measure.SegmentUnits(100, 200), 100'000), (Interval{100, 200}));
}

TEST(LessonMeasureTest, EachKindHasItsRule) {
  const ProgressRules rules;
  const LessonMeasure video(Video(1000), rules);
  EXPECT_EQ(video.Check(899, 0).rule, CompletionRule::kCoverage);
  EXPECT_FALSE(video.Check(899, 0).met());
  EXPECT_TRUE(video.Check(900, 0).met());

  LessonFacts document;
  document.kind = course::LessonKind::kDocument;
  document.page_count = 12;
  const LessonMeasure pages(document, rules);
  EXPECT_EQ(pages.SegmentUnits(1, 12), (Interval{0, 12}));
  EXPECT_EQ(pages.length_ms(), 12 * 20'000);
  EXPECT_FALSE(pages.Check(11, 1'000'000).met());
  EXPECT_TRUE(pages.Check(12, 0).met());
  EXPECT_TRUE(pages.CheckPositions(0, 3).has_value());  // pages start at 1
  EXPECT_TRUE(pages.CheckPositions(2, 13).has_value());

  LessonFacts article;
  article.kind = course::LessonKind::kArticle;
  article.article_length = 2000;  // 5 minutes at 400 a minute
  const LessonMeasure reading(article, rules);
  EXPECT_EQ(reading.length_ms(), 300'000);
  EXPECT_EQ(reading.Check(1000, 179'000).needed, 180);  // 60 % of 300 s
  EXPECT_FALSE(reading.Check(1000, 179'000).met());
  EXPECT_TRUE(reading.Check(0, 180'000).met());
  EXPECT_TRUE(reading.CheckPositions(0, 1001).has_value());
}

TEST(EventChecksTest, AClockOffByMoreThanTheAllowanceIsCorrectedBySentTime) {
  const ProgressRules rules;  // 5 minutes
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  ProgressEvent event;
  event.occur_time = now - absl::Hours(1);
  event.sent_time = now - absl::Minutes(2);  // within the allowance: trusted as it is
  EXPECT_EQ(HappenTime(event, now, rules), now - absl::Hours(1));
  event.sent_time = now + absl::Hours(3);  // the device's clock runs 3 hours fast
  EXPECT_EQ(HappenTime(event, now, rules), now - absl::Hours(4));
  EXPECT_EQ(TimingRejection(now + absl::Minutes(6), now, rules), EventRejection::kFuture);
  EXPECT_EQ(TimingRejection(now + absl::Minutes(4), now, rules), EventRejection::kNone);
  EXPECT_EQ(TimingRejection(now - absl::Hours(24 * 800), now, rules), EventRejection::kTooOld);
}

}  // namespace
}  // namespace lms::progress

#include "services/progress/progress_recorder.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/progress/event_checks.h"
#include "services/progress/lesson_measure.h"
#include "services/progress/study_time_claims.h"

namespace lms::progress {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t ToMs(absl::Time time) { return absl::ToUnixMillis(time); }

void Reject(EventResult& result, EventRejection rejection, std::string detail = "") {
  result.outcome = EventOutcome::kRejected;
  result.rejection = rejection;
  result.detail = std::move(detail);
}

// An event that passed every check, with what the server made of its time.
struct Accepted {
  size_t index = 0;
  absl::Time happened;
};

// Everything one batch works on, loaded once.
struct BatchState {
  std::map<int64_t, LessonFacts> facts;
  std::map<int64_t, LessonProgress> lessons;
  std::map<int64_t, CourseProgress> courses;
  std::vector<int64_t> newly_completed;
  // Lessons completed before the batch that got events older than their completion.
  std::set<int64_t> redated;
  std::set<int64_t> courses_with_new_completions;
  std::map<int, int64_t> study_ms_by_year;
};

}  // namespace

absl::StatusOr<bool> ProgressRecorder::StartCourse(db::Transaction& tx, int64_t member_id,
                                                   const LessonFacts& lesson, absl::Time when,
                                                   absl::Time now, CourseProgress& course) const {
  ASSIGN_OR_RETURN(std::optional<CourseProgress> stored,
                   progress_.Course(tx, member_id, lesson.course_id));
  if (stored.has_value()) {
    course = *std::move(stored);
    return true;
  }
  // A course taken out of the catalogue keeps the members who had started it; nobody new
  // starts it.
  if (lesson.course_state != course::CourseState::kPublished) return false;
  course.member_id = member_id;
  course.course_id = lesson.course_id;
  course.start_time = when;
  course.last_time = when;
  ASSIGN_OR_RETURN(const std::optional<enrollment::Enrollment> enrolled,
                   enrollments_.FindByMemberAndCourse(tx, member_id, lesson.course_id));
  if (!enrolled.has_value()) {
    enrollment::EnrollmentReason elective;
    elective.member_id = member_id;
    elective.course_id = lesson.course_id;
    elective.kind = enrollment::ReasonKind::kElective;
    RETURN_IF_ERROR(enrollments_.OpenReasons(tx, {elective}, now).status());
  }
  return true;
}

absl::StatusOr<RecordOutcome> ProgressRecorder::Record(db::Transaction& tx, int64_t member_id,
                                                       const std::vector<ProgressEvent>& events,
                                                       absl::Time received,
                                                       const ProgressRules& rules) const {
  RecordOutcome outcome;
  outcome.results.resize(events.size());

  // 1. Each event on its own: fields and time.
  std::vector<Accepted> candidates;
  std::set<int64_t> lesson_ids;
  for (size_t i = 0; i < events.size(); ++i) {
    EventResult& result = outcome.results[i];
    result.event_id = events[i].event_id;
    if (std::optional<std::string> problem = EventFieldProblem(events[i])) {
      Reject(result, EventRejection::kMalformed, *std::move(problem));
      continue;
    }
    const absl::Time happened = HappenTime(events[i], received, rules);
    if (const EventRejection timing = TimingRejection(happened, received, rules);
        timing != EventRejection::kNone) {
      Reject(result, timing);
      continue;
    }
    candidates.push_back({i, happened});
    lesson_ids.insert(events[i].lesson_id);
  }
  if (candidates.empty()) return outcome;

  // 2. The member's lock, then what is already stored: duplicates and replays.
  ASSIGN_OR_RETURN(const int64_t first_checkpoint,
                   progress_.LockMember(tx, member_id, static_cast<int64_t>(lesson_ids.size())));
  std::vector<const ProgressEvent*> candidate_events;
  for (const Accepted& candidate : candidates) candidate_events.push_back(&events[candidate.index]);
  ASSIGN_OR_RETURN(const KnownEvents known, progress_.Known(tx, member_id, candidate_events));
  std::set<std::string> seen_ids = known.event_ids;
  std::set<std::pair<std::string, int64_t>> seen_sequences;
  for (const auto& [sequence, unused] : known.sequences) seen_sequences.insert(sequence);
  std::vector<Accepted> fresh;
  for (const Accepted& candidate : candidates) {
    const ProgressEvent& event = events[candidate.index];
    EventResult& result = outcome.results[candidate.index];
    if (seen_ids.count(event.event_id) > 0) {
      result.outcome = EventOutcome::kDuplicate;
      continue;
    }
    if (!seen_sequences.insert({event.device_id, event.sequence}).second) {
      Reject(result, EventRejection::kSequenceReused,
             absl::StrCat("device ", event.device_id, " sequence ", event.sequence));
      continue;
    }
    seen_ids.insert(event.event_id);
    fresh.push_back(candidate);
  }

  // 3. The lessons and courses they name.
  BatchState state;
  ASSIGN_OR_RETURN(state.facts, catalog_.Lessons(tx, std::vector<int64_t>(lesson_ids.begin(),
                                                                          lesson_ids.end())));
  std::vector<Accepted> accepted;
  std::map<int64_t, bool> course_open;  // by course: may the member study it
  for (const Accepted& candidate : fresh) {
    const ProgressEvent& event = events[candidate.index];
    EventResult& result = outcome.results[candidate.index];
    const auto facts = state.facts.find(event.lesson_id);
    if (facts == state.facts.end() || facts->second.removed) {
      Reject(result, EventRejection::kUnknownLesson);
      continue;
    }
    const LessonMeasure measure(facts->second, rules);
    if (std::optional<std::string> problem =
            measure.CheckPositions(event.from_position, event.to_position)) {
      Reject(result, EventRejection::kMalformed, *std::move(problem));
      continue;
    }
    const int64_t course_id = facts->second.course_id;
    auto open = course_open.find(course_id);
    if (open == course_open.end()) {
      CourseProgress course;
      ASSIGN_OR_RETURN(const bool may_study, StartCourse(tx, member_id, facts->second,
                                                         candidate.happened, received, course));
      open = course_open.emplace(course_id, may_study).first;
      if (may_study) state.courses.emplace(course_id, std::move(course));
    }
    if (!open->second) {
      Reject(result, EventRejection::kCourseUnavailable);
      continue;
    }
    result.outcome = EventOutcome::kAccepted;
    accepted.push_back(candidate);
  }
  if (accepted.empty()) return outcome;

  // 4. Apply in the canonical order.
  std::sort(accepted.begin(), accepted.end(), [&](const Accepted& a, const Accepted& b) {
    const ProgressEvent& x = events[a.index];
    const ProgressEvent& y = events[b.index];
    return std::tie(a.happened, x.device_id, x.sequence, x.event_id) <
           std::tie(b.happened, y.device_id, y.sequence, y.event_id);
  });
  std::vector<int64_t> touched;
  for (const Accepted& a : accepted) touched.push_back(events[a.index].lesson_id);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  ASSIGN_OR_RETURN(state.lessons, progress_.Lessons(tx, member_id, touched));
  int64_t window_start = INT64_MAX;
  int64_t window_end = INT64_MIN;
  for (const Accepted& a : accepted) {
    window_start = std::min(window_start, ToMs(a.happened) - events[a.index].active_seconds * 1000);
    window_end = std::max(window_end, ToMs(a.happened));
  }
  // A stored piece lies within one China day, so none starting a day before can reach in.
  ASSIGN_OR_RETURN(const std::vector<ClaimedPiece> stored_pieces,
                   progress_.Pieces(tx, member_id, window_start - kDayMs, window_end));
  StudyTimeClaims claims(stored_pieces);

  std::vector<StoredEvent> stored_events;
  stored_events.reserve(accepted.size());
  for (const Accepted& a : accepted) {
    const ProgressEvent& event = events[a.index];
    const LessonFacts& facts = state.facts.at(event.lesson_id);
    const LessonMeasure measure(facts, rules);
    auto [it, created] = state.lessons.try_emplace(event.lesson_id);
    LessonProgress& lesson = it->second;
    if (created) {
      lesson.member_id = member_id;
      lesson.lesson_id = event.lesson_id;
      lesson.course_id = facts.course_id;
    }
    const CreditedTime before =
        lesson.time.Credit(rules, measure.CoveredMs(lesson.coverage.Measure()));

    const int64_t end_ms = ToMs(a.happened);
    int64_t claimed_ms = 0;
    for (const DayClaim& claim :
         claims.Claim(event.lesson_id, {end_ms - int64_t{event.active_seconds} * 1000, end_ms})) {
      lesson.time.Add(claim.day, claim.ms);
      claimed_ms += claim.ms;
    }
    lesson.coverage.Add(measure.Reachable(
        measure.SegmentUnits(event.from_position, event.to_position), claimed_ms));
    if (a.happened >= lesson.last_time) {
      lesson.last_time = a.happened;
      lesson.last_position = event.to_position;
      lesson.last_device_id = event.device_id;
    }
    const CreditedTime after =
        lesson.time.Credit(rules, measure.CoveredMs(lesson.coverage.Measure()));
    lesson.credited_ms = after.total_ms;
    lesson.rule_version = rules.version;
    for (const auto& [year, ms] : after.ms_by_year) state.study_ms_by_year[year] += ms;
    for (const auto& [year, ms] : before.ms_by_year) state.study_ms_by_year[year] -= ms;
    if (lesson.completion_time.has_value() && a.happened < *lesson.completion_time) {
      // An older event synced late may show the lesson was complete earlier.
      state.redated.insert(event.lesson_id);
    }
    if (!lesson.completion_time.has_value() &&
        measure.Check(lesson.coverage.Measure(), lesson.time.wall_ms()).met()) {
      lesson.completion_time = a.happened;  // dated by the replay below, once stored
      state.newly_completed.push_back(event.lesson_id);
      state.courses_with_new_completions.insert(facts.course_id);
    }
    CourseProgress& course = state.courses.at(facts.course_id);
    course.credited_ms += after.total_ms - before.total_ms;
    course.last_time = std::max(course.last_time, a.happened);
    course.start_time = std::min(course.start_time, a.happened);

    StoredEvent stored;
    stored.event = &event;
    stored.receive_time = received;
    stored.happen_time = a.happened;
    stored.credited_ms = after.total_ms - before.total_ms;
    stored.rule_version = rules.version;
    stored_events.push_back(stored);
    outcome.results[a.index].credited_ms = stored.credited_ms;
  }

  // 5. Write it all back; courses last, as their completion reads the saved lessons.
  RETURN_IF_ERROR(progress_.InsertEvents(tx, member_id, stored_events));
  RETURN_IF_ERROR(progress_.SavePieces(tx, member_id, claims.Changed()));
  // Date completions by replaying the lessons' stored events in the order they happened:
  // a new one is dated where the rule was first met; an earlier one only moves earlier.
  std::map<int64_t, bool> to_date;  // lesson -> completed before this batch
  for (const int64_t lesson_id : state.newly_completed) to_date[lesson_id] = false;
  for (const int64_t lesson_id : state.redated) to_date.emplace(lesson_id, true);
  std::set<int64_t> courses_redated;
  for (const auto& [lesson_id, earlier] : to_date) {
    ASSIGN_OR_RETURN(const std::vector<StudiedSegment> segments,
                     progress_.LessonEvents(tx, member_id, lesson_id));
    const std::optional<absl::Time> first = FirstCompletionTime(
        segments, LessonMeasure(state.facts.at(lesson_id), rules), lesson_id);
    if (!first.has_value()) continue;  // its older events compacted: keep the date it has
    LessonProgress& lesson = state.lessons.at(lesson_id);
    if (!earlier) {
      lesson.completion_time = *first;
    } else if (*first < *lesson.completion_time) {
      lesson.completion_time = *first;
      courses_redated.insert(lesson.course_id);
    }
  }
  std::vector<const LessonProgress*> to_save;
  int64_t checkpoint = first_checkpoint;
  for (const int64_t lesson_id : touched) {
    LessonProgress& lesson = state.lessons.at(lesson_id);
    lesson.checkpoint = checkpoint++;
    const LessonMeasure measure(state.facts.at(lesson_id), rules);
    lesson.covered_permille =
        measure.length_units() > 0
            ? static_cast<int32_t>(lesson.coverage.Measure() * 1000 / measure.length_units())
            : 0;
    to_save.push_back(&lesson);
  }
  RETURN_IF_ERROR(progress_.SaveLessons(tx, to_save));
  for (auto& [course_id, course] : state.courses) {
    if (course.completed() && courses_redated.count(course_id) > 0) {
      RETURN_IF_ERROR(completion_.Redate(tx, course, rules, received));
    } else if (state.courses_with_new_completions.count(course_id) > 0) {
      ASSIGN_OR_RETURN(const bool completed,
                       completion_.CompleteIfStudied(tx, course, rules, received));
      if (completed) outcome.completed_course_ids.push_back(course_id);
    }
    RETURN_IF_ERROR(progress_.SaveCourse(tx, course));
  }
  std::vector<std::pair<int, int64_t>> study(state.study_ms_by_year.begin(),
                                             state.study_ms_by_year.end());
  RETURN_IF_ERROR(ledger_.AddStudyTime(tx, member_id, study));
  for (const int64_t lesson_id : touched) outcome.lessons.push_back(state.lessons.at(lesson_id));
  return outcome;
}

}  // namespace lms::progress

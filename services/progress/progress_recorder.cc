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

// An event that passed its own checks: which call, which event, when it happened.
struct Candidate {
  size_t call = 0;
  size_t index = 0;
  absl::Time happened;
};

}  // namespace

// Everything one transaction works on, loaded once for all its members.
struct ProgressRecorder::BatchState {
  std::map<int64_t, LessonFacts> facts;
  std::map<MemberKey, LessonProgress> lessons;
  // Courses read (not published, a lesson new to the member, about to complete) or
  // started by this batch; only those started or completed are written.
  std::map<MemberKey, CourseProgress> courses;
  std::set<MemberKey> courses_started;
  // (member, course) -> whether the member may study it.
  std::map<MemberKey, bool> course_open;
  std::map<MemberKey, bool> new_completions;  // (member, lesson) -> completed before
  std::set<MemberKey> courses_with_new_completions;
  std::map<std::pair<int64_t, int>, int64_t> study_ms;  // (member, year) -> delta
};

absl::StatusOr<bool> ProgressRecorder::StartCourse(db::Transaction& tx, int64_t member_id,
                                                   const LessonFacts& lesson, absl::Time now,
                                                   CourseProgress& course) const {
  // A course taken out of the catalogue keeps the members who had started it; nobody new
  // starts it.
  if (lesson.course_state != course::CourseState::kPublished) return false;
  course.member_id = member_id;
  course.course_id = lesson.course_id;
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

absl::StatusOr<std::vector<RecordOutcome>> ProgressRecorder::Record(
    db::Transaction& tx, const std::vector<MemberEvents>& calls, absl::Time received,
    const ProgressRules& rules, bool look_up_known) const {
  std::vector<RecordOutcome> outcomes(calls.size());

  // 1. Each event on its own: fields and time.
  std::vector<Candidate> candidates;
  std::set<int64_t> members;
  for (size_t c = 0; c < calls.size(); ++c) {
    const std::vector<ProgressEvent>& events = *calls[c].events;
    outcomes[c].results.resize(events.size());
    for (size_t i = 0; i < events.size(); ++i) {
      EventResult& result = outcomes[c].results[i];
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
      candidates.push_back({c, i, happened});
      members.insert(calls[c].member_id);
    }
  }
  if (candidates.empty()) return outcomes;
  const auto event_of = [&](const Candidate& candidate) -> const ProgressEvent& {
    return (*calls[candidate.call].events)[candidate.index];
  };
  const auto member_of = [&](const Candidate& candidate) {
    return calls[candidate.call].member_id;
  };
  const auto result_of = [&](const Candidate& candidate) -> EventResult& {
    return outcomes[candidate.call].results[candidate.index];
  };

  // 2. The members' locks, then what is already stored: duplicates and replays.
  RETURN_IF_ERROR(progress_.LockMembers(tx, members));
  // Retries and replays are rare: unless told to look them up first, the event insert's
  // unique keys catch them (ALREADY_EXISTS), and the caller runs the batch again with
  // the look-up.
  KnownEvents known;
  if (look_up_known) {
    std::vector<MemberEvent> lookups;
    for (const Candidate& candidate : candidates) {
      lookups.push_back({member_of(candidate), &event_of(candidate)});
    }
    ASSIGN_OR_RETURN(known, progress_.Known(tx, lookups));
  }
  std::set<std::pair<int64_t, std::string>> seen_ids = known.event_ids;
  std::set<std::tuple<int64_t, std::string, int64_t>> seen_sequences;
  for (const auto& [sequence, unused] : known.sequences) seen_sequences.insert(sequence);
  std::vector<Candidate> fresh;
  std::set<int64_t> lesson_ids;
  for (const Candidate& candidate : candidates) {
    const ProgressEvent& event = event_of(candidate);
    const int64_t member = member_of(candidate);
    if (seen_ids.count({member, event.event_id}) > 0) {
      result_of(candidate).outcome = EventOutcome::kDuplicate;
      continue;
    }
    if (!seen_sequences.insert({member, event.device_id, event.sequence}).second) {
      Reject(result_of(candidate), EventRejection::kSequenceReused,
             absl::StrCat("device ", event.device_id, " sequence ", event.sequence));
      continue;
    }
    seen_ids.insert({member, event.event_id});
    fresh.push_back(candidate);
    lesson_ids.insert(event.lesson_id);
  }

  // 3. The lessons and courses they name.
  BatchState state;
  ASSIGN_OR_RETURN(
      state.facts,
      catalog_.Lessons(tx, std::vector<int64_t>(lesson_ids.begin(), lesson_ids.end()), received));
  // The lessons' stored states; the courses' only where needed: a course is read when
  // one of its lessons is new to the member (is the course?) or it is not published (did
  // the member start it before?). Otherwise its row takes the batch's changes as deltas.
  std::set<MemberKey> lesson_keys;
  for (const Candidate& candidate : fresh) {
    if (state.facts.count(event_of(candidate).lesson_id) > 0) {
      lesson_keys.insert({member_of(candidate), event_of(candidate).lesson_id});
    }
  }
  // With the checkpoints and the claimed time around the events, in one round trip. The
  // windows span the fresh events (a superset of those accepted below); a stored piece
  // lies within one China day, so none starting a day before can reach in.
  std::map<int64_t, Interval> windows;
  for (const Candidate& candidate : fresh) {
    const int64_t member = member_of(candidate);
    const int64_t end = ToMs(candidate.happened);
    const int64_t start = end - int64_t{event_of(candidate).active_seconds} * 1000;
    auto [window, created] = windows.try_emplace(member, Interval{start - kDayMs, end});
    if (!created) {
      window->second.begin = std::min(window->second.begin, start - kDayMs);
      window->second.end = std::max(window->second.end, end);
    }
  }
  ASSIGN_OR_RETURN(BatchReads reads, progress_.ReadBatch(tx, members, lesson_keys, windows));
  state.lessons = std::move(reads.lessons);
  std::map<int64_t, int64_t> next_checkpoint;
  for (const int64_t member : members) {
    const auto last = reads.checkpoints.find(member);
    next_checkpoint[member] = (last != reads.checkpoints.end() ? last->second : 0) + 1;
  }
  std::set<MemberKey> course_keys;
  for (const MemberKey& key : lesson_keys) {
    const LessonFacts& facts = state.facts.at(key.second);
    if (state.lessons.count(key) == 0 || facts.course_state != course::CourseState::kPublished) {
      course_keys.insert({key.first, facts.course_id});
    }
  }
  ASSIGN_OR_RETURN(state.courses, progress_.Courses(tx, course_keys));
  std::vector<Candidate> accepted;
  for (const Candidate& candidate : fresh) {
    const ProgressEvent& event = event_of(candidate);
    EventResult& result = result_of(candidate);
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
    const MemberKey course_key{member_of(candidate), facts->second.course_id};
    auto open = state.course_open.find(course_key);
    if (open == state.course_open.end()) {
      // Started (its row read, or a lesson of it already studied), or startable now.
      bool may_study = state.courses.count(course_key) > 0 || course_keys.count(course_key) == 0;
      if (!may_study) {
        CourseProgress course;
        ASSIGN_OR_RETURN(may_study,
                         StartCourse(tx, course_key.first, facts->second, received, course));
        if (may_study) {
          state.courses.emplace(course_key, std::move(course));
          state.courses_started.insert(course_key);
        }
      }
      open = state.course_open.emplace(course_key, may_study).first;
    }
    if (!open->second) {
      Reject(result, EventRejection::kCourseUnavailable);
      continue;
    }
    result.outcome = EventOutcome::kAccepted;
    accepted.push_back(candidate);
  }
  if (accepted.empty()) return outcomes;

  // 4. Apply in the canonical order: by member, then when it happened, device, sequence
  // and id (each member's order is what matters; members do not interact).
  std::sort(accepted.begin(), accepted.end(), [&](const Candidate& a, const Candidate& b) {
    const ProgressEvent& x = event_of(a);
    const ProgressEvent& y = event_of(b);
    return std::tie(calls[a.call].member_id, a.happened, x.device_id, x.sequence, x.event_id) <
           std::tie(calls[b.call].member_id, b.happened, y.device_id, y.sequence, y.event_id);
  });
  std::set<MemberKey> touched;
  for (const Candidate& a : accepted) touched.insert({member_of(a), event_of(a).lesson_id});
  std::map<int64_t, StudyTimeClaims> claims;
  for (const auto& [member, window] : windows) {
    const auto pieces = reads.pieces.find(member);
    claims.emplace(member,
                   StudyTimeClaims(pieces != reads.pieces.end() ? pieces->second
                                                                : std::vector<ClaimedPiece>{}));
  }
  std::vector<StoredEvent> stored_events;
  stored_events.reserve(accepted.size());
  for (const Candidate& a : accepted) {
    stored_events.push_back(Apply(member_of(a), event_of(a), a.happened, received, rules,
                                  claims.at(member_of(a)), state));
    result_of(a).credited_ms = stored_events.back().credited_ms;
  }

  // 5. Write it all back; courses last, as their completion reads the saved lessons.
  RETURN_IF_ERROR(progress_.InsertEvents(tx, stored_events));
  std::vector<MemberPiece> pieces;
  for (const auto& [member, member_claims] : claims) {
    for (const ClaimedPiece& piece : member_claims.Changed()) pieces.push_back({member, piece});
  }
  RETURN_IF_ERROR(progress_.SavePieces(tx, pieces));
  ASSIGN_OR_RETURN(const std::set<MemberKey> courses_redated, DateCompletions(tx, rules, state));
  std::vector<const LessonProgress*> to_save;
  for (const MemberKey& key : touched) {
    LessonProgress& lesson = state.lessons.at(key);
    lesson.checkpoint = next_checkpoint[key.first]++;
    const LessonMeasure measure(state.facts.at(key.second), rules);
    lesson.covered_permille =
        measure.length_units() > 0
            ? static_cast<int32_t>(lesson.coverage.Measure() * 1000 / measure.length_units())
            : 0;
    to_save.push_back(&lesson);
  }
  RETURN_IF_ERROR(progress_.SaveLessons(tx, to_save));
  std::map<int64_t, size_t> call_of_member;
  for (size_t c = 0; c < calls.size(); ++c) call_of_member[calls[c].member_id] = c;
  // A course about to complete (or be re-dated) is read now, with the batch's changes.
  for (const std::set<MemberKey>* keys : std::vector<const std::set<MemberKey>*>{
           &state.courses_with_new_completions, &courses_redated}) {
    for (const MemberKey& key : *keys) {
      if (state.courses.count(key) > 0) continue;
      ASSIGN_OR_RETURN(std::optional<CourseProgress> course,
                       progress_.Course(tx, key.first, key.second));
      if (!course.has_value()) return absl::InternalError("started course has no progress row");
      state.courses.emplace(key, *std::move(course));
    }
  }
  std::vector<const CourseProgress*> courses_to_save;
  for (auto& [key, course] : state.courses) {
    bool changed = state.courses_started.count(key) > 0;
    if (course.completed() && courses_redated.count(key) > 0) {
      RETURN_IF_ERROR(completion_.Redate(tx, course, rules, received));
      changed = true;
    } else if (state.courses_with_new_completions.count(key) > 0) {
      ASSIGN_OR_RETURN(const bool completed,
                       completion_.CompleteIfStudied(tx, course, rules, received));
      if (completed) {
        outcomes[call_of_member.at(key.first)].completed_course_ids.push_back(key.second);
      }
      changed = true;  // its count of completed lessons, at least
    }
    if (changed) courses_to_save.push_back(&course);
  }
  RETURN_IF_ERROR(progress_.SaveCourses(tx, courses_to_save));
  RETURN_IF_ERROR(ledger_.AddStudyTime(tx, state.study_ms));
  for (const MemberKey& key : touched) {
    outcomes[call_of_member.at(key.first)].lessons.push_back(state.lessons.at(key));
  }
  return outcomes;
}

StoredEvent ProgressRecorder::Apply(int64_t member_id, const ProgressEvent& event,
                                    absl::Time happened, absl::Time received,
                                    const ProgressRules& rules, StudyTimeClaims& claims,
                                    BatchState& state) const {
  const LessonFacts& facts = state.facts.at(event.lesson_id);
  const LessonMeasure measure(facts, rules);
  auto [it, created] = state.lessons.try_emplace({member_id, event.lesson_id});
  LessonProgress& lesson = it->second;
  if (created) {
    lesson.member_id = member_id;
    lesson.lesson_id = event.lesson_id;
    lesson.course_id = facts.course_id;
  }
  const CreditedTime before =
      lesson.time.Credit(rules, measure.CoveredMs(lesson.coverage.Measure()));

  const int64_t end_ms = ToMs(happened);
  int64_t claimed_ms = 0;
  for (const DayClaim& claim :
       claims.Claim(event.lesson_id, {end_ms - int64_t{event.active_seconds} * 1000, end_ms})) {
    lesson.time.Add(claim.day, claim.ms);
    claimed_ms += claim.ms;
  }
  lesson.coverage.Add(
      measure.Reachable(measure.SegmentUnits(event.from_position, event.to_position), claimed_ms));
  if (happened >= lesson.last_time) {
    lesson.last_time = happened;
    lesson.last_position = event.to_position;
    lesson.last_device_id = event.device_id;
  }
  const CreditedTime after =
      lesson.time.Credit(rules, measure.CoveredMs(lesson.coverage.Measure()));
  lesson.credited_ms = after.total_ms;
  lesson.rule_version = rules.version;
  for (const auto& [year, ms] : after.ms_by_year) state.study_ms[{member_id, year}] += ms;
  for (const auto& [year, ms] : before.ms_by_year) state.study_ms[{member_id, year}] -= ms;
  const MemberKey lesson_key{member_id, event.lesson_id};
  const MemberKey course_key{member_id, facts.course_id};
  if (lesson.completion_time.has_value() && happened < *lesson.completion_time) {
    // An older event synced late may show the lesson was complete earlier.
    state.new_completions.emplace(lesson_key, true);
  }
  if (!lesson.completion_time.has_value() &&
      measure.Check(lesson.coverage.Measure(), lesson.time.wall_ms()).met()) {
    lesson.completion_time = happened;  // dated by the replay, once stored
    state.new_completions[lesson_key] = false;
    state.courses_with_new_completions.insert(course_key);
  }

  StoredEvent stored;
  stored.member_id = member_id;
  stored.event = &event;
  stored.receive_time = received;
  stored.happen_time = happened;
  stored.credited_ms = after.total_ms - before.total_ms;
  stored.rule_version = rules.version;
  return stored;
}

absl::StatusOr<std::set<MemberKey>> ProgressRecorder::DateCompletions(db::Transaction& tx,
                                                                      const ProgressRules& rules,
                                                                      BatchState& state) const {
  // Date completions by replaying the lessons' stored events in the order they happened:
  // a new one is dated where the rule was first met; an earlier one only moves earlier.
  std::set<MemberKey> courses_redated;
  for (const auto& [key, earlier] : state.new_completions) {
    ASSIGN_OR_RETURN(const std::vector<StudiedSegment> segments,
                     progress_.LessonEvents(tx, key.first, key.second));
    const std::optional<absl::Time> first =
        FirstCompletionTime(segments, LessonMeasure(state.facts.at(key.second), rules), key.second);
    if (!first.has_value()) continue;  // its older events compacted: keep the date it has
    LessonProgress& lesson = state.lessons.at(key);
    if (!earlier) {
      lesson.completion_time = *first;
    } else if (*first < *lesson.completion_time) {
      lesson.completion_time = *first;
      courses_redated.insert({key.first, lesson.course_id});
    }
  }
  return courses_redated;
}

}  // namespace lms::progress

#include "tools/generate/site_generator.h"

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "tools/generate/bulk_writer.h"

namespace lms::generate {
namespace {

constexpr int kLessonsPerCourse = 5;
constexpr int kQuestions = 1000;
constexpr int kQuestionsPerAttempt = 5;
constexpr int kFinalTests = 200;
// Organisation kinds and member categories as the services number them.
constexpr int kCommittee = 1;
constexpr int kGeneralBranch = 2;
constexpr int kBranch = 3;
constexpr int kGroup = 4;
constexpr int64_t kOrdinary = int64_t{1} << 1;
constexpr int64_t kProbationary = int64_t{1} << 2;
constexpr int64_t kSecretary = int64_t{1} << 3;
constexpr int64_t kLeadingCadre = int64_t{1} << 4;
constexpr int64_t kRetired = int64_t{1} << 5;

struct Organization {
  int64_t id = 0;
  int64_t parent = 0;
  int kind = 0;
  // For a branch moved this year: its parent before the move and when it moved.
  int64_t old_parent = 0;
  absl::Time moved = absl::InfinitePast();
};

struct Member {
  int64_t id = 0;
  int64_t organization = 0;
  int64_t mask = 0;
  bool active = true;
};

// Everything the stages share.
class Generator {
 public:
  Generator(db::ConnectionPool& pool, const SiteOptions& options)
      : pool_(pool),
        options_(options),
        random_(options.seed),
        now_(options.now),
        today_(TodayInChina(options.now)),
        year_(static_cast<int>(today_.year())),
        year_start_(absl::FromCivil(absl::CivilDay(year_, 1, 1), ChinaTimeZone())),
        history_start_(absl::CivilDay(year_, 1, 1)) {}

  absl::Status Organizations();
  absl::Status Members();
  absl::Status Courses();
  absl::Status Plans();
  absl::Status Enrollments();
  absl::Status Attempts();
  absl::Status Activities();

  const SiteCounts& counts() const { return counts_; }

 private:
  int64_t Uniform(int64_t low, int64_t high) {  // inclusive
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }
  bool Chance(int permille) { return Uniform(0, 999) < permille; }
  // A day of this year before today.
  absl::CivilDay DayThisYear() {
    const absl::CivilDay first(year_, 1, 2);
    const int64_t span = std::max<int64_t>(1, today_ - first);
    return first + Uniform(0, span - 1);
  }
  // An instant of this year, after `after`, before now.
  absl::Time InstantAfter(absl::Time after) {
    const int64_t span = std::max<int64_t>(1, absl::ToInt64Seconds(now_ - after) - 3600);
    return after + absl::Seconds(Uniform(0, span - 1));
  }
  int64_t RandomMemberOrganization() {
    return member_organizations_[Uniform(0, member_organizations_.size() - 1)];
  }
  // The branch whose subtree holds an organisation (itself for a branch; 0 above).
  int64_t BranchOf(int64_t organization) const {
    const Organization& o = organizations_[organization - 1];
    if (o.kind == kBranch) return o.id;
    if (o.kind == kGroup) return o.parent;
    return 0;
  }
  // Writes what each writer still holds and commits it.
  static absl::Status FinishAll(std::initializer_list<BulkWriter*> writers) {
    for (BulkWriter* writer : writers) {
      if (absl::Status status = writer->Finish(); !status.ok()) return status;
    }
    return absl::OkStatus();
  }

  db::ConnectionPool& pool_;
  const SiteOptions& options_;
  std::mt19937_64 random_;
  const absl::Time now_;
  const absl::CivilDay today_;
  const int year_;
  const absl::Time year_start_;
  const absl::CivilDay history_start_;

  std::vector<Organization> organizations_;  // by id - 1
  std::vector<int64_t> general_branches_;
  std::vector<int64_t> branches_;
  std::vector<int64_t> member_organizations_;  // branches and groups
  std::vector<Member> members_;                // by id - 1
  // General branches with their own plan (ordinary members: 40 h and course 4).
  std::map<int64_t, int64_t> general_branch_plans_;
  SiteCounts counts_;
};

absl::Status Generator::Organizations() {
  const int64_t total = std::max<int64_t>(4, options_.organizations);
  const int64_t generals = std::max<int64_t>(1, total / 100);
  const int64_t branches = std::max<int64_t>(1, (total - 1 - generals) * 2 / 5);
  organizations_.push_back({1, 0, kCommittee});
  for (int64_t i = 0; i < total - 1; ++i) {
    const int64_t id = static_cast<int64_t>(organizations_.size()) + 1;
    if (i < generals) {
      organizations_.push_back({id, 1, kGeneralBranch});
      general_branches_.push_back(id);
    } else if (i < generals + branches) {
      organizations_.push_back({id, general_branches_[Uniform(0, generals - 1)], kBranch});
      branches_.push_back(id);
      member_organizations_.push_back(id);
    } else {
      organizations_.push_back({id, branches_[Uniform(0, branches_.size() - 1)], kGroup});
      member_organizations_.push_back(id);
    }
  }
  // One branch in a hundred moved under another general branch this year.
  if (generals > 1) {
    for (const int64_t branch : branches_) {
      if (!Chance(10)) continue;
      Organization& o = organizations_[branch - 1];
      const int64_t target = general_branches_[Uniform(0, generals - 1)];
      if (target == o.parent) continue;
      o.old_parent = o.parent;
      o.parent = target;
      o.moved = InstantAfter(year_start_);
    }
  }
  BulkWriter rows(pool_,
                  "INSERT INTO organization (id, parent_id, name, code, kind, version,"
                  " create_time, update_time)",
                  8);
  BulkWriter closure(pool_, "INSERT INTO organization_closure (ancestor_id, descendant_id, depth)",
                     3);
  BulkWriter history(pool_,
                     "INSERT INTO organization_parent_history (organization_id, parent_id,"
                     " valid_from, valid_to, changed_by)",
                     5);
  const absl::Time since = absl::FromCivil(history_start_, ChinaTimeZone());
  for (const Organization& o : organizations_) {
    const char* noun = o.kind == kCommittee       ? "党委"
                       : o.kind == kGeneralBranch ? "党总支"
                       : o.kind == kBranch        ? "党支部"
                                                  : "党小组";
    RETURN_IF_ERROR(
        rows.Add({o.id, db::Param::NullIfZero(o.parent),
                  o.kind == kCommittee ? std::string("公司党委") : absl::StrCat("第", o.id, noun),
                  absl::StrCat("G", o.id), o.kind, 1, now_, now_}));
    int depth = 0;
    for (int64_t at = o.id; at != 0; at = organizations_[at - 1].parent, ++depth) {
      RETURN_IF_ERROR(closure.Add({at, o.id, depth}));
    }
    if (o.moved == absl::InfinitePast()) {
      RETURN_IF_ERROR(history.Add({o.id, db::Param::NullIfZero(o.parent), since, nullptr, 1}));
    } else {
      RETURN_IF_ERROR(history.Add({o.id, o.old_parent, since, o.moved, 1}));
      RETURN_IF_ERROR(history.Add({o.id, o.parent, o.moved, nullptr, 1}));
    }
  }
  RETURN_IF_ERROR(FinishAll({&rows, &closure, &history}));
  counts_.organizations = static_cast<int64_t>(organizations_.size());
  return absl::OkStatus();
}

absl::Status Generator::Members() {
  BulkWriter rows(pool_,
                  "INSERT INTO member (id, name, member_number, organization_id, category_mask,"
                  " join_date, status, version, create_time, update_time)",
                  10);
  BulkWriter assignments(pool_,
                         "INSERT INTO member_assignment (member_id, organization_id, valid_from,"
                         " valid_to)",
                         4);
  BulkWriter statuses(pool_,
                      "INSERT INTO member_status_history (member_id, status, valid_from,"
                      " valid_to)",
                      4);
  BulkWriter categories(pool_,
                        "INSERT INTO member_category_history (member_id, category, valid_from,"
                        " valid_to)",
                        4);
  for (int64_t i = 0; i < options_.members; ++i) {
    Member m;
    m.id = i + 1;
    m.organization = RandomMemberOrganization();
    const int64_t kind = Uniform(0, 999);
    m.mask = kind < 50 ? kProbationary : kOrdinary;
    if (kind >= 50 && kind < 80) m.mask |= kSecretary;
    if (kind >= 80 && kind < 100) m.mask |= kLeadingCadre;
    if (kind >= 100 && kind < 150) m.mask |= kRetired;
    const absl::CivilDay join(1970 + Uniform(0, 54), 1 + Uniform(0, 11), 1 + Uniform(0, 27));
    // The year's changes, each on its own day.
    if (Chance(options_.transfer_permille)) {
      const int64_t target = RandomMemberOrganization();
      const absl::CivilDay day = DayThisYear();
      RETURN_IF_ERROR(assignments.Add({m.id, m.organization, history_start_, day - 1}));
      m.organization = target;
      RETURN_IF_ERROR(assignments.Add({m.id, m.organization, day, nullptr}));
    } else {
      RETURN_IF_ERROR(assignments.Add({m.id, m.organization, history_start_, nullptr}));
    }
    for (int category = 1; category <= 6; ++category) {
      if ((m.mask & (int64_t{1} << category)) == 0) continue;
      RETURN_IF_ERROR(categories.Add({m.id, category, history_start_, nullptr}));
    }
    if ((m.mask & kOrdinary) != 0 && (m.mask & kSecretary) == 0 &&
        Chance(options_.category_change_permille)) {
      RETURN_IF_ERROR(categories.Add({m.id, 3, DayThisYear(), nullptr}));
      m.mask |= kSecretary;
    }
    if (Chance(options_.leaver_permille)) {
      const absl::CivilDay day = DayThisYear();
      RETURN_IF_ERROR(statuses.Add({m.id, 1, history_start_, day - 1}));
      RETURN_IF_ERROR(statuses.Add({m.id, 3, day, nullptr}));
      m.active = false;
    } else {
      RETURN_IF_ERROR(statuses.Add({m.id, 1, history_start_, nullptr}));
    }
    RETURN_IF_ERROR(rows.Add({m.id, absl::StrCat("党员", m.id), absl::StrCat("M", m.id),
                              m.organization, m.mask, join, m.active ? 1 : 3, 1, now_, now_}));
    members_.push_back(m);
  }
  RETURN_IF_ERROR(FinishAll({&rows, &assignments, &statuses, &categories}));
  counts_.members = static_cast<int64_t>(members_.size());
  return absl::OkStatus();
}

absl::Status Generator::Courses() {
  BulkWriter courses(pool_,
                     "INSERT INTO course (id, title, summary, cover_url, content_category,"
                     " audience_mask, study_hours_centi, state, version, change_seq, created_by,"
                     " create_time, update_time, publish_time)",
                     14);
  BulkWriter lessons(pool_,
                     "INSERT INTO lesson (id, course_id, position, title, kind, body,"
                     " body_length)",
                     7);
  const absl::Time published = absl::FromCivil(history_start_, ChinaTimeZone());
  for (int64_t c = 1; c <= options_.courses; ++c) {
    RETURN_IF_ERROR(
        courses.Add({c, absl::StrCat("学习课程", c), "", "", 1 + Uniform(0, 7), 0,
                     100 * (1 + Uniform(0, 3)), 2, 1, c, 1, published, published, published}));
    for (int k = 1; k <= kLessonsPerCourse; ++k) {
      RETURN_IF_ERROR(lessons.Add({(c - 1) * kLessonsPerCourse + k, c, k,
                                   absl::StrCat("第", k, "讲"), 1, "学习内容", 400}));
    }
  }
  RETURN_IF_ERROR(FinishAll({&courses, &lessons}));
  // The catalogue's change sequence: each course one change, so servers load them all.
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(absl::Now() + absl::Minutes(1)));
  RETURN_IF_ERROR(
      tx.Execute("UPDATE catalogue_state SET generation = ? WHERE id = 1", {options_.courses})
          .status());
  RETURN_IF_ERROR(tx.Commit());
  counts_.courses = options_.courses;
  counts_.lessons = options_.courses * kLessonsPerCourse;
  return absl::OkStatus();
}

absl::Status Generator::Plans() {
  BulkWriter plans(pool_,
                   "INSERT INTO training_plan (id, organization_id, year, state, version,"
                   " published_version, created_by, create_time, update_time)",
                   9);
  BulkWriter versions(pool_,
                      "INSERT INTO plan_version (plan_id, plan_version, title, goals, forms_mask,"
                      " effective_date, changed_by, change_time)",
                      8);
  BulkWriter categories(pool_,
                        "INSERT INTO plan_category (plan_id, plan_version, category,"
                        " required_hundredths)",
                        4);
  BulkWriter courses(pool_,
                     "INSERT INTO plan_course (plan_id, plan_version, category, course_id,"
                     " required, due_date, position)",
                     7);
  const absl::CivilDay effective(year_, 1, 5);
  const auto plan = [&](int64_t id, int64_t organization, const std::string& title) {
    RETURN_IF_ERROR(plans.Add({id, organization, year_, 2, 2, 1, 1, now_, now_}));
    return versions.Add({id, 1, title, "", 0, effective, 1, now_});
  };
  // The committee: ordinary members 32 h and courses 1 (by 30 June) and 2 (by year end);
  // probationary members 32 h and course 1; secretaries the settings' 56 h and course 3.
  RETURN_IF_ERROR(plan(1, 1, absl::StrCat(year_, "年度党员教育培训计划")));
  RETURN_IF_ERROR(categories.Add({1, 1, 1, 3200}));
  RETURN_IF_ERROR(categories.Add({1, 1, 2, 3200}));
  RETURN_IF_ERROR(categories.Add({1, 1, 3, nullptr}));
  RETURN_IF_ERROR(courses.Add({1, 1, 1, 1, 1, absl::CivilDay(year_, 6, 30), 1}));
  RETURN_IF_ERROR(courses.Add({1, 1, 1, 2, 1, absl::CivilDay(year_, 12, 31), 2}));
  RETURN_IF_ERROR(courses.Add({1, 1, 2, 1, 1, absl::CivilDay(year_, 6, 30), 1}));
  RETURN_IF_ERROR(courses.Add({1, 1, 3, 3, 1, absl::CivilDay(year_, 9, 30), 1}));
  // One general branch in five: 40 h and course 4 by 30 September for ordinary members.
  for (size_t i = 0; i < general_branches_.size(); i += 5) {
    const int64_t id = 100 + static_cast<int64_t>(i);
    general_branch_plans_[general_branches_[i]] = id;
    RETURN_IF_ERROR(plan(id, general_branches_[i], "总支学习计划"));
    RETURN_IF_ERROR(categories.Add({id, 1, 1, 4000}));
    RETURN_IF_ERROR(courses.Add({id, 1, 1, 4, 1, absl::CivilDay(year_, 9, 30), 1}));
  }
  return FinishAll({&plans, &versions, &categories, &courses});
}

absl::Status Generator::Enrollments() {
  BulkWriter enrollments(pool_,
                         "INSERT INTO enrollment (id, member_id, course_id, state, required,"
                         " due_date, enroll_time)",
                         7);
  BulkWriter reasons(pool_,
                     "INSERT INTO enrollment_reason (member_id, course_id, kind, plan_id,"
                     " category, organization_id, assigned_by, due_date, since)",
                     9);
  BulkWriter events(pool_,
                    "INSERT INTO progress_event (member_id, event_id, lesson_id, device_id,"
                    " sequence, occur_time, sent_time, receive_time, happen_time, from_position,"
                    " to_position, active_seconds, credited_ms, rule_version)",
                    14);
  BulkWriter lessons(pool_,
                     "INSERT INTO lesson_progress (member_id, lesson_id, course_id, last_position,"
                     " last_time, last_device_id, coverage, covered_units, day_wall, wall_ms,"
                     " credited_ms, completion_time, rule_version, checkpoint)",
                     14);
  BulkWriter course_states(pool_,
                           "INSERT INTO course_progress (member_id, course_id, state,"
                           " lessons_completed, completion_time, completion_kind)",
                           6);
  BulkWriter credits(pool_,
                     "INSERT INTO hours_credit (member_id, source, summary_source, source_key,"
                     " source_id, title, year, hundredths, content_category, rule_version,"
                     " actor_member_id, reason, happen_time, record_time)",
                     14);
  BulkWriter locks(pool_, "INSERT INTO member_progress (member_id)", 1);
  BulkWriter year_study(pool_, "INSERT INTO member_year_study (member_id, year, credited_ms)", 3);
  BulkWriter year_hours(pool_,
                        "INSERT INTO member_year_hours (member_id, year, source,"
                        " content_category, hundredths)",
                        5);

  const int64_t active_members =
      std::count_if(members_.begin(), members_.end(), [](const Member& m) { return m.active; });
  const int64_t per_member =
      std::max<int64_t>(1, options_.enrollments / std::max<int64_t>(1, active_members));
  // Events per enrolment studied to the end, so the total comes near the option: 35 % of
  // enrolments are studied halfway on average and 35 % to the end (0.525 of a whole).
  const int64_t per_enrollment =
      std::max<int64_t>(kLessonsPerCourse, options_.progress_events * 40 /
                                               std::max<int64_t>(1, options_.enrollments * 21));
  int64_t enrollment_id = 0;
  for (const Member& m : members_) {
    if (!m.active) continue;
    // What the plans require, then electives up to the member's share.
    struct Wanted {
      int64_t course;
      int64_t plan;
      int category;
      int64_t plan_organization;
      absl::CivilDay due;
    };
    std::vector<Wanted> wanted;
    if ((m.mask & kOrdinary) != 0) {
      wanted.push_back({1, 1, 1, 1, absl::CivilDay(year_, 6, 30)});
      wanted.push_back({2, 1, 1, 1, absl::CivilDay(year_, 12, 31)});
      int64_t at = m.organization;
      while (at != 0 && organizations_[at - 1].kind != kGeneralBranch) {
        at = organizations_[at - 1].parent;
      }
      if (const auto found = general_branch_plans_.find(at);
          found != general_branch_plans_.end() && options_.courses >= 4) {
        wanted.push_back({4, found->second, 1, at, absl::CivilDay(year_, 9, 30)});
      }
    } else {
      wanted.push_back({1, 1, 2, 1, absl::CivilDay(year_, 6, 30)});
    }
    if ((m.mask & kSecretary) != 0 && options_.courses >= 3) {
      wanted.push_back({3, 1, 3, 1, absl::CivilDay(year_, 9, 30)});
    }
    std::vector<int64_t> courses;
    for (const Wanted& w : wanted) {
      if (w.course > options_.courses) continue;
      if (std::find(courses.begin(), courses.end(), w.course) != courses.end()) continue;
      courses.push_back(w.course);
    }
    const size_t required = courses.size();
    for (int64_t tries = 0;
         static_cast<int64_t>(courses.size()) < per_member && tries < per_member * 4; ++tries) {
      const int64_t course = Uniform(1, options_.courses);
      if (std::find(courses.begin(), courses.end(), course) == courses.end()) {
        courses.push_back(course);
      }
    }
    int64_t sequence = 0;
    int64_t study_ms = 0;
    std::map<int, int64_t> hours_by_category;
    for (size_t i = 0; i < courses.size(); ++i) {
      const int64_t course = courses[i];
      const bool is_required = i < required;
      const absl::Time enrolled =
          is_required
              ? absl::FromCivil(absl::CivilDay(year_, 1, 5) + Uniform(0, 30), ChinaTimeZone())
              : InstantAfter(year_start_);
      const int64_t outcome = Uniform(0, 999);
      int lessons_studied =
          outcome < 300 ? 0
                        : (outcome < 650 ? static_cast<int>(Uniform(1, kLessonsPerCourse - 1))
                                         : kLessonsPerCourse);
      // Enrolled too recently to have studied (early January).
      if (enrolled + absl::Hours(2) > now_) lessons_studied = 0;
      const bool completed = lessons_studied == kLessonsPerCourse;
      ++enrollment_id;
      RETURN_IF_ERROR(enrollments.Add({enrollment_id, m.id, course,
                                       lessons_studied == 0 ? 1 : (completed ? 3 : 2),
                                       is_required ? 1 : 0, nullptr, enrolled}));
      if (is_required) {
        const Wanted& w = *std::find_if(wanted.begin(), wanted.end(),
                                        [&](const Wanted& x) { return x.course == course; });
        RETURN_IF_ERROR(reasons.Add(
            {m.id, course, 1, w.plan, w.category, w.plan_organization, 0, w.due, enrolled}));
      } else {
        RETURN_IF_ERROR(reasons.Add({m.id, course, 3, 0, 0, 0, 0, nullptr, enrolled}));
      }
      if (lessons_studied == 0) continue;
      // The events, spread from a start after enrolling to now, lesson after lesson.
      const absl::Time start = InstantAfter(enrolled);
      const int64_t count =
          std::max<int64_t>(lessons_studied, per_enrollment * lessons_studied / kLessonsPerCourse);
      const absl::Duration spacing =
          std::min(absl::Hours(72), (now_ - start) / static_cast<double>(count + 1));
      absl::Time last = start;
      absl::Time received = start;
      for (int lesson = 1; lesson <= lessons_studied; ++lesson) {
        const int64_t lesson_id = (course - 1) * kLessonsPerCourse + lesson;
        const int64_t share = count / lessons_studied + (lesson <= count % lessons_studied ? 1 : 0);
        int64_t lesson_ms = 0;
        for (int64_t e = 0; e < share; ++e) {
          last += spacing;
          // One in fifty arrives days later: a kiosk that synced late.
          // (Never after now: nothing arrives from the future.)
          received = std::min(
              now_ - absl::Seconds(1),
              last + (Chance(20) ? absl::Hours(Uniform(24, 96)) : absl::Seconds(Uniform(1, 300))));
          const int64_t credited = 1000 * Uniform(60, 600);
          lesson_ms += credited;
          ++sequence;
          RETURN_IF_ERROR(events.Add({m.id, absl::StrCat("g", enrollment_id, "-", sequence),
                                      lesson_id, "gen-device", sequence, last, received, received,
                                      last, 0, 100, credited / 1000, credited, 0}));
        }
        study_ms += lesson_ms;
        RETURN_IF_ERROR(lessons.Add({m.id, lesson_id, course, 100, last, "gen-device", "0-100", 100,
                                     "", lesson_ms, lesson_ms, last, 0, sequence}));
      }
      RETURN_IF_ERROR(
          course_states.Add({m.id, course, completed ? 2 : 1, lessons_studied,
                             completed ? db::Param(last) : db::Param(nullptr), completed ? 1 : 0}));
      if (completed) {
        ++counts_.completions;
        const int64_t hundredths = 100 * (1 + static_cast<int64_t>(course % 4));
        hours_by_category[1] += hundredths;
        RETURN_IF_ERROR(credits.Add({m.id, 1, 1, absl::StrCat("course:", course), course,
                                     absl::StrCat("学习课程", course), year_, hundredths, 1, 0,
                                     m.id, "", last, received}));
        ++counts_.credits;
      }
    }
    if (sequence > 0) {
      RETURN_IF_ERROR(locks.Add({m.id}));
      RETURN_IF_ERROR(year_study.Add({m.id, year_, study_ms}));
      counts_.progress_events += sequence;
    }
    for (const auto& [category, hundredths] : hours_by_category) {
      RETURN_IF_ERROR(year_hours.Add({m.id, year_, 1, category, hundredths}));
    }
    // Four in ten went to the Party school's sessions, credited by hand: 4 to 16 h.
    if (Chance(400)) {
      const int64_t hundredths = 400 * Uniform(1, 4);
      const absl::Time when = absl::FromCivil(DayThisYear(), ChinaTimeZone()) + absl::Hours(10);
      RETURN_IF_ERROR(credits.Add({m.id, 5, 5, absl::StrCat("manual:gen:", m.id), 0, "党校集中培训",
                                   year_, hundredths, 2, 0, 1, "线下培训补录", when,
                                   std::min(now_, when + absl::Hours(Uniform(1, 72)))}));
      RETURN_IF_ERROR(year_hours.Add({m.id, year_, 5, 2, hundredths}));
      ++counts_.credits;
    }
  }
  counts_.enrollments = enrollment_id;
  return FinishAll({&enrollments, &reasons, &events, &lessons, &course_states, &credits, &locks,
                    &year_study, &year_hours});
}

absl::Status Generator::Attempts() {
  BulkWriter questions(pool_,
                       "INSERT INTO question (id, organization_id, type, state, version,"
                       " content_category, difficulty, created_by, create_time, update_time)",
                       10);
  BulkWriter question_versions(pool_,
                               "INSERT INTO question_version (question_id, version, stem,"
                               " options_json, fixed_option_order, key_json, explanation,"
                               " content_category, difficulty, tags_json, last_option_id,"
                               " changed_by, change_time)",
                               13);
  for (int64_t q = 1; q <= kQuestions; ++q) {
    const int64_t category = 1 + q % 8;
    RETURN_IF_ERROR(questions.Add({q, 1, 3, 1, 1, category, 2, 1, now_, now_}));
    RETURN_IF_ERROR(question_versions.Add({q, 1, absl::StrCat("判断题", q), "[]", 0,
                                           "{\"truth\":1}", "", category, 2, "[]", 0, 1, now_}));
  }
  RETURN_IF_ERROR(FinishAll({&questions, &question_versions}));
  BulkWriter papers(pool_,
                    "INSERT INTO paper (id, organization_id, kind, state, version, title,"
                    " description, content_category, course_id, plan_id, shuffle_questions,"
                    " partial_credit, time_limit_seconds, grace_seconds, max_attempts,"
                    " score_policy, review_policy, pass_points, total_points, hours_hundredths,"
                    " hours_rule_version, created_by, create_time, update_time)",
                    24);
  const int64_t finals = std::min<int64_t>(kFinalTests, options_.courses);
  for (int64_t p = 1; p <= finals + 1; ++p) {
    const bool periodic = p == finals + 1;
    RETURN_IF_ERROR(papers.Add({p,
                                1,
                                periodic ? 2 : 1,
                                2,
                                1,
                                periodic ? std::string("阶段测试") : absl::StrCat("结业测试", p),
                                "",
                                3,
                                periodic ? db::Param(nullptr) : db::Param(p),
                                periodic ? db::Param(1) : db::Param(nullptr),
                                0,
                                0,
                                1800,
                                60,
                                0,
                                1,
                                1,
                                60,
                                100,
                                0,
                                0,
                                1,
                                now_,
                                now_}));
  }
  RETURN_IF_ERROR(FinishAll({&papers}));
  BulkWriter attempts(pool_,
                      "INSERT INTO attempt (id, paper_id, member_id, number, paper_kind, state,"
                      " paper_version, start_time, grace_seconds, total_points, pass_points,"
                      " points, passed, submit_time)",
                      14);
  BulkWriter answers(pool_,
                     "INSERT INTO attempt_question (attempt_id, position, question_id,"
                     " question_version, points, option_order, correct, points_awarded)",
                     8);
  std::map<std::pair<int64_t, int64_t>, int> numbers;
  for (int64_t a = 1; a <= options_.attempts; ++a) {
    const Member& m = members_[Uniform(0, members_.size() - 1)];
    const int64_t paper = Uniform(1, finals + 1);
    const int number = ++numbers[{paper, m.id}];
    const absl::Time start = InstantAfter(year_start_);
    int points = 0;
    std::vector<bool> right(kQuestionsPerAttempt);
    for (int k = 0; k < kQuestionsPerAttempt; ++k) {
      // Some categories are harder than others.
      const int64_t question = (paper * 7 + k * 13) % kQuestions + 1;
      right[k] = Uniform(0, 99) < 40 + 5 * (question % 8) + 2 * number;
      points += right[k] ? 100 / kQuestionsPerAttempt : 0;
    }
    RETURN_IF_ERROR(
        attempts.Add({a, paper, m.id, number, paper == finals + 1 ? 2 : 1, 2, 1, start, 60, 100, 60,
                      points, points >= 60 ? 1 : 0, start + absl::Minutes(Uniform(5, 29))}));
    for (int k = 0; k < kQuestionsPerAttempt; ++k) {
      const int64_t question = (paper * 7 + k * 13) % kQuestions + 1;
      RETURN_IF_ERROR(answers.Add({a, k + 1, question, 1, 100 / kQuestionsPerAttempt, "",
                                   right[k] ? 1 : 0, right[k] ? 100 / kQuestionsPerAttempt : 0}));
    }
  }
  RETURN_IF_ERROR(FinishAll({&attempts, &answers}));
  counts_.attempts = options_.attempts;
  return absl::OkStatus();
}

absl::Status Generator::Activities() {
  // Who each branch's activities target: its members and its groups' (as they stand now).
  std::map<int64_t, std::vector<int64_t>> targeted;
  for (const Member& m : members_) {
    if (m.active) targeted[BranchOf(m.organization)].push_back(m.id);
  }
  BulkWriter activities(pool_,
                        "INSERT INTO activity (id, organization_id, kind, state, version,"
                        " start_time, sign_in_secret, targeted_count, created_by, create_time,"
                        " update_time, close_time, closed_by)",
                        13);
  BulkWriter versions(pool_,
                      "INSERT INTO activity_version (activity_id, version, title,"
                      " content_category, description, location, start_time, end_time,"
                      " sign_in_open_time, sign_in_close_time, sign_out_required, lecturer_name,"
                      " lecturer_title, include_subtree, category_mask, hours_hundredths,"
                      " lecturer_hundredths, hours_rule_version, change_reason, changed_by,"
                      " change_time)",
                      21);
  BulkWriter attendance(pool_,
                        "INSERT INTO activity_attendance (activity_id, member_id, status,"
                        " sign_in_method, sign_in_time, update_time)",
                        6);
  BulkWriter credits(pool_,
                     "INSERT INTO hours_credit (member_id, source, summary_source, source_key,"
                     " source_id, title, year, hundredths, content_category, rule_version,"
                     " actor_member_id, reason, happen_time, record_time)",
                     14);
  BulkWriter year_hours(pool_,
                        "INSERT INTO member_year_hours (member_id, year, source,"
                        " content_category, hundredths)",
                        5);
  std::map<int64_t, int64_t> attended_hours;
  int64_t id = 0;
  const std::string secret(64, 'a');
  for (const int64_t branch : branches_) {
    const std::vector<int64_t>& members = targeted[branch];
    for (int month = 1; month <= 12; ++month) {
      // A theme Party day every month, a Party lecture every quarter, on the 15th.
      for (const int kind : {5, 4}) {
        if (kind == 4 && month % 3 != 0) continue;
        const absl::Time start =
            absl::FromCivil(absl::CivilSecond(year_, month, 15, 9, 0, 0), ChinaTimeZone());
        if (start + absl::Hours(3) > now_) continue;
        const bool cancelled = Chance(50);
        ++id;
        RETURN_IF_ERROR(activities.Add(
            {id, branch, kind, cancelled ? 4 : 3, 1, start, secret,
             cancelled ? db::Param(nullptr) : db::Param(static_cast<int64_t>(members.size())), 1,
             start, start, cancelled ? db::Param(nullptr) : db::Param(start + absl::Hours(3)),
             cancelled ? db::Param(nullptr) : db::Param(1)}));
        RETURN_IF_ERROR(versions.Add({id,
                                      1,
                                      kind == 5 ? "主题党日" : "党课",
                                      1,
                                      "",
                                      "党员活动室",
                                      start,
                                      start + absl::Hours(2),
                                      start - absl::Minutes(30),
                                      start + absl::Minutes(30),
                                      0,
                                      "",
                                      "",
                                      1,
                                      0,
                                      200,
                                      0,
                                      0,
                                      "",
                                      1,
                                      start}));
        if (cancelled) continue;
        // Present members are credited on closing, as the activity service does.
        const int64_t hundredths = 200;
        for (const int64_t member : members) {
          if (!Chance(800)) continue;
          RETURN_IF_ERROR(
              attendance.Add({id, member, 1, 1, start + absl::Minutes(Uniform(-20, 20)), start}));
          RETURN_IF_ERROR(credits.Add({member, 3, 3, absl::StrCat("activity:", id, ":1"), id,
                                       kind == 5 ? "主题党日" : "党课", year_, hundredths, 1, 0, 1,
                                       "", start, start + absl::Hours(3)}));
          attended_hours[member] += hundredths;
          ++counts_.attendance;
          ++counts_.credits;
        }
      }
    }
  }
  for (const auto& [member, hundredths] : attended_hours) {
    RETURN_IF_ERROR(year_hours.Add({member, year_, 3, 1, hundredths}));
  }
  RETURN_IF_ERROR(FinishAll({&activities, &versions, &attendance, &credits, &year_hours}));
  counts_.activities = id;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SiteCounts> GenerateSite(
    db::ConnectionPool& pool, const SiteOptions& options,
    const std::function<void(const std::string& stage)>& progress) {
  Generator generator(pool, options);
  progress("organisations");
  RETURN_IF_ERROR(generator.Organizations());
  progress("members");
  RETURN_IF_ERROR(generator.Members());
  progress("courses");
  RETURN_IF_ERROR(generator.Courses());
  progress("plans");
  RETURN_IF_ERROR(generator.Plans());
  progress("enrolments, progress and credits");
  RETURN_IF_ERROR(generator.Enrollments());
  progress("tests");
  RETURN_IF_ERROR(generator.Attempts());
  progress("activities");
  RETURN_IF_ERROR(generator.Activities());
  return generator.counts();
}

}  // namespace lms::generate

#include "services/assessment/paper_service.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/call/write_path.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "common/validation/request_checks.h"
#include "services/assessment/paper_validation.h"

namespace lms::assessment {
namespace {

constexpr char kPaperPageKind[] = "papers";
constexpr char kTestHoursSetting[] = "assessment.hours.test";
constexpr int64_t kCoursePublished = 2;

absl::Status NotFound(int64_t paper_id) {
  return absl::NotFoundError(absl::StrCat("paper ", paper_id, " not found"));
}

// Total points of a drawn paper: its rules' counts at their types' points.
int32_t DrawnTotal(const PaperSettings& settings) {
  int64_t total = 0;
  for (const DrawRule& rule : settings.draw_rules) {
    const auto points = settings.type_points.find(rule.type);
    if (points != settings.type_points.end()) total += int64_t{rule.count} * points->second;
  }
  return static_cast<int32_t>(total);
}

}  // namespace

template <typename Mutate>
absl::StatusOr<Paper> PaperService::Write(const call::CallContext& call, Mutate&& mutate) const {
  return call::RunIdempotentWrite<Paper>(
      pool_, call, clock_.Now(), std::forward<Mutate>(mutate),
      [&](db::Transaction& tx, int64_t id) { return Load(tx, id); });
}

absl::StatusOr<Paper> PaperService::Load(db::Transaction& tx, int64_t paper_id, bool lock) const {
  ASSIGN_OR_RETURN(std::optional<Paper> paper, papers_.Find(tx, paper_id, lock));
  if (!paper.has_value()) return NotFound(paper_id);
  return *std::move(paper);
}

absl::Status PaperService::PrepareQuestions(db::Transaction& tx, Paper& paper,
                                            bool publishing) const {
  PaperSettings& settings = paper.settings;
  if (settings.fixed_question_ids.empty()) {
    paper.total_points = DrawnTotal(settings);
  } else {
    ASSIGN_OR_RETURN(
        const std::vector<QuestionFacts> found,
        papers_.QuestionFactsFor(tx, paper.organization_id, settings.fixed_question_ids));
    std::map<int64_t, QuestionFacts> by_id;
    for (const QuestionFacts& facts : found) by_id[facts.id] = facts;
    status::FieldErrors errors;
    int64_t total = 0;
    for (size_t i = 0; i < settings.fixed_question_ids.size(); ++i) {
      const int64_t id = settings.fixed_question_ids[i];
      const std::string field = absl::StrCat("paper.fixed_question_ids[", i, "]");
      const auto facts = by_id.find(id);
      if (facts == by_id.end()) {
        return absl::NotFoundError(absl::StrCat(field, ": question ", id, " not found"));
      }
      if (!facts->second.usable) {
        errors.Add(field, absl::StrCat("question ", id,
                                       " is in a bank this paper may not use (its own"
                                       " organisation's or one above it)"));
        continue;
      }
      if (publishing && facts->second.state == QuestionState::kRetired) {
        return absl::FailedPreconditionError(
            absl::StrCat(field, ": question ", id, " is retired: replace it before publishing"));
      }
      const auto points = settings.type_points.find(facts->second.type);
      if (points == settings.type_points.end()) {
        errors.Add("paper.type_points",
                   absl::StrCat("give points to the type of question ", id, " (", field, ")"));
        continue;
      }
      total += points->second;
    }
    RETURN_IF_ERROR(errors.ToStatus());
    paper.total_points = static_cast<int32_t>(total);
  }
  if (settings.pass_points > paper.total_points) {
    return status::InvalidField(
        "paper.pass_points",
        absl::StrCat("must not exceed the paper's total of ", paper.total_points, " points"));
  }
  return absl::OkStatus();
}

absl::Status PaperService::CheckReference(db::Transaction& tx, Paper& paper) const {
  if (paper.kind == PaperKind::kFinalTest) {
    ASSIGN_OR_RETURN(const std::optional<CourseFacts> course,
                     references_.Course(tx, paper.course_id));
    if (!course.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("paper.course_id: course ", paper.course_id, " not found"));
    }
    // A final test examines its course: its credit counts under the course's category.
    paper.settings.content_category = course->content_category;
  }
  if (paper.kind == PaperKind::kPeriodicTest) {
    ASSIGN_OR_RETURN(const std::optional<PlanFacts> plan, references_.Plan(tx, paper.plan_id));
    if (!plan.has_value()) {
      return absl::NotFoundError(absl::StrCat("paper.plan_id: plan ", paper.plan_id, " not found"));
    }
    ASSIGN_OR_RETURN(const bool covers, references_.IsAncestorOrSelf(tx, plan->organization_id,
                                                                     paper.organization_id));
    if (!covers) {
      return status::InvalidField("paper.plan_id",
                                  "must be a plan of the paper's organisation or one above it");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Paper> PaperService::Create(const call::CallContext& call, int64_t organization_id,
                                           PaperKind kind, int64_t course_id, int64_t plan_id,
                                           PaperSettings settings) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(validation::CheckRequestIdStatus(call.request_id));
  ApplyPaperDefaults(settings);
  status::FieldErrors errors;
  if (organization_id <= 0) errors.Add("paper.organization_id", "must be a positive id");
  CheckPaper(errors, "paper.", kind, course_id, plan_id, settings);
  RETURN_IF_ERROR(errors.ToStatus());
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(const std::optional<bool> closed,
                     organizations_.OrganizationClosed(tx, organization_id));
    if (!closed.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("paper.organization_id: organization ", organization_id, " not found"));
    }
    if (*closed) {
      return absl::FailedPreconditionError(
          absl::StrCat("organization ", organization_id, " is closed"));
    }
    Paper paper;
    paper.organization_id = organization_id;
    paper.kind = kind;
    paper.course_id = course_id;
    paper.plan_id = plan_id;
    paper.state = PaperState::kDraft;
    paper.settings = std::move(settings);
    paper.created_by = call.caller.member_id;
    RETURN_IF_ERROR(CheckReference(tx, paper));
    RETURN_IF_ERROR(PrepareQuestions(tx, paper, false));
    return papers_.Insert(tx, paper, now);
  });
}

absl::StatusOr<Paper> PaperService::Update(const call::CallContext& call, int64_t paper_id,
                                           int64_t expected_version, PaperSettings settings) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(
      validation::CheckVersionedEdit(call.request_id, "paper_id", paper_id, expected_version));
  ApplyPaperDefaults(settings);
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Paper paper, Load(tx, paper_id, true));
    if (paper.kind == PaperKind::kFinalTest) {
      // The course decides the category; the request need not repeat it.
      settings.content_category = paper.settings.content_category;
    }
    status::FieldErrors errors;
    CheckPaper(errors, "paper.", paper.kind, paper.course_id, paper.plan_id, settings);
    RETURN_IF_ERROR(errors.ToStatus());
    if (paper.state == PaperState::kClosed) {
      return absl::FailedPreconditionError(absl::StrCat("paper ", paper_id, " is closed"));
    }
    RETURN_IF_ERROR(validation::CheckVersion("paper", paper_id, paper.version, expected_version));
    if (paper.state == PaperState::kPublished) {
      RETURN_IF_ERROR(CheckPublishedEdit(paper.settings, settings));
    }
    paper.settings = std::move(settings);
    RETURN_IF_ERROR(PrepareQuestions(tx, paper, false));
    paper.version += 1;
    paper.update_time = now;
    RETURN_IF_ERROR(papers_.Save(tx, paper));
    return paper_id;
  });
}

absl::StatusOr<Paper> PaperService::Publish(const call::CallContext& call, int64_t paper_id,
                                            int64_t expected_version) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(
      validation::CheckVersionedEdit(call.request_id, "paper_id", paper_id, expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Paper paper, Load(tx, paper_id, true));
    if (paper.state == PaperState::kPublished) return paper_id;
    if (paper.state == PaperState::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("paper ", paper_id, " is closed: publish a new paper instead"));
    }
    RETURN_IF_ERROR(validation::CheckVersion("paper", paper_id, paper.version, expected_version));
    RETURN_IF_ERROR(CheckReference(tx, paper));
    RETURN_IF_ERROR(PrepareQuestions(tx, paper, true));
    for (size_t i = 0; i < paper.settings.draw_rules.size(); ++i) {
      const DrawRule& rule = paper.settings.draw_rules[i];
      ASSIGN_OR_RETURN(const int64_t found,
                       papers_.CountCandidates(tx, paper.organization_id, rule));
      if (found < rule.count) {
        return absl::FailedPreconditionError(
            absl::StrCat("paper.draw_rules[", i, "] (", DescribeRule(rule), ") draws ", rule.count,
                         " questions, but the banks this paper may use have ", found,
                         " active ones: add questions or lower the count"));
      }
    }
    if (paper.kind == PaperKind::kFinalTest) {
      ASSIGN_OR_RETURN(const std::optional<CourseFacts> course,
                       references_.Course(tx, paper.course_id));
      if (course->state != kCoursePublished) {
        return absl::FailedPreconditionError(
            absl::StrCat("course ", paper.course_id, " is not published: members cannot study it"));
      }
      ASSIGN_OR_RETURN(const std::optional<int64_t> other,
                       papers_.PublishedFinalTest(tx, paper.course_id));
      if (other.has_value()) {
        return absl::FailedPreconditionError(absl::StrCat("course ", paper.course_id,
                                                          " already has published final test ",
                                                          *other, ": close it first"));
      }
      RETURN_IF_ERROR(final_tests_.Require(tx, paper.course_id, paper_id));
    }
    if (paper.kind == PaperKind::kPeriodicTest) {
      ASSIGN_OR_RETURN(const std::optional<PlanFacts> plan, references_.Plan(tx, paper.plan_id));
      if (plan->state != kPlanPublished) {
        return absl::FailedPreconditionError(
            absl::StrCat("plan ", paper.plan_id, " is not published: its members are not known"));
      }
    }
    if (!paper.practice()) {
      ASSIGN_OR_RETURN(const settings::EffectiveSetting hours,
                       settings_.Get(tx, kTestHoursSetting, paper.organization_id,
                                     absl::ToCivilDay(now, ChinaTimeZone())));
      paper.hours_hundredths = hours.value;
      paper.hours_rule_version = hours.change_id;
    }
    paper.state = PaperState::kPublished;
    paper.version += 1;
    paper.update_time = now;
    paper.publish_time = now;
    RETURN_IF_ERROR(papers_.Save(tx, paper));
    return paper_id;
  });
}

absl::StatusOr<Paper> PaperService::Close(const call::CallContext& call, int64_t paper_id,
                                          int64_t expected_version) const {
  const absl::Time now = clock_.Now();
  RETURN_IF_ERROR(
      validation::CheckVersionedEdit(call.request_id, "paper_id", paper_id, expected_version));
  return Write(call, [&](db::Transaction& tx) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Paper paper, Load(tx, paper_id, true));
    if (paper.state == PaperState::kClosed) return paper_id;
    RETURN_IF_ERROR(validation::CheckVersion("paper", paper_id, paper.version, expected_version));
    if (paper.kind == PaperKind::kFinalTest && paper.state == PaperState::kPublished) {
      RETURN_IF_ERROR(final_tests_.Release(tx, paper.course_id, paper_id));
    }
    paper.state = PaperState::kClosed;
    paper.version += 1;
    paper.update_time = now;
    paper.closed_time = now;
    RETURN_IF_ERROR(papers_.Save(tx, paper));
    return paper_id;
  });
}

absl::StatusOr<Paper> PaperService::Get(const call::CallContext& call, int64_t paper_id) const {
  RETURN_IF_ERROR(validation::CheckPositiveId("paper_id", paper_id));
  return db::RunTransactionFor<Paper>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<Paper> {
        ASSIGN_OR_RETURN(Paper paper, Load(tx, paper_id));
        if (!call.caller.IsAdmin() && paper.state == PaperState::kDraft) return NotFound(paper_id);
        return paper;
      });
}

absl::StatusOr<PaperPage> PaperService::List(const call::CallContext& call,
                                             const ListPapersInput& input) const {
  const PaperQuery& filters = input.filters;
  status::FieldErrors errors;
  const absl::StatusOr<int> page_size = paging::PageSize(input.page_size);
  if (!page_size.ok()) errors.Add("page_size", paging::PageSizeProblem(input.page_size));
  if (filters.organization_id < 0) errors.Add("organization_id", "must be 0 or a positive id");
  if (static_cast<int>(filters.kind) < 0 || static_cast<int>(filters.kind) > kMaxPaperKind) {
    errors.Add("kind", "must be a paper kind or unset");
  }
  if (static_cast<int>(filters.state) < 0 || static_cast<int>(filters.state) > 3) {
    errors.Add("state", "must be a paper state or unset");
  }
  if (filters.course_id < 0) errors.Add("course_id", "must be 0 or a positive id");
  if (filters.plan_id < 0) errors.Add("plan_id", "must be 0 or a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  PaperQuery query = filters;
  if (call.caller.IsAdmin()) {
    if (query.organization_id == 0) query.organization_id = call.caller.organization_id;
  } else {
    // A member or kiosk: the published papers of its organisation and the ones above.
    query.organization_id = call.caller.organization_id;
    query.published_above_member = true;
    query.include_subtree = false;
    query.state = PaperState::kUnspecified;
  }
  query.limit = *page_size + 1;
  const uint64_t fingerprint = paging::StableHash(
      absl::StrCat(query.organization_id, "/", query.include_subtree, "/",
                   query.published_above_member, "/", static_cast<int>(query.kind), "/",
                   static_cast<int>(query.state), "/", query.course_id, "/", query.plan_id));
  if (!input.page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kPaperPageKind, input.page_token, 1, fingerprint));
    query.after_id = cursor.keys[0];
  }
  return db::RunTransactionFor<PaperPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<PaperPage> {
        PaperPage page;
        ASSIGN_OR_RETURN(page.papers, papers_.List(tx, query));
        page.next_page_token =
            paging::TrimToPage(page.papers, *page_size, kPaperPageKind, fingerprint,
                               [](const Paper& paper) { return paper.id; });
        return page;
      });
}

}  // namespace lms::assessment

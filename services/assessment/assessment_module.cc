#include "services/assessment/assessment_module.h"

#include "absl/time/time.h"

namespace lms::assessment {
namespace {

// The owner of a question, paper or attempt never changes, so resolving it needs no lock
// on the object's row (`lock` is ignored): the write path's hold on the owner's tree
// position is what keeps the decision true until commit. Locking the row shared here
// would deadlock the very writes that then lock it for update (a save, a publish).
template <typename Lookup>
auth::ObjectOwnerResolver OwnedBy(auth::ScopeKind kind, Lookup lookup) {
  return [kind, lookup](db::Transaction& tx, int64_t id,
                        bool /*lock*/) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
    absl::StatusOr<std::optional<int64_t>> owner = lookup(tx, id);
    if (!owner.ok()) return owner.status();
    if (!owner->has_value()) return std::nullopt;
    return auth::ObjectOwner{kind, **owner};
  };
}

}  // namespace

absl::StatusOr<std::unique_ptr<server::ServiceModule>> AssessmentModule::Create(
    server::ServerRuntime& runtime) {
  if (runtime.token_keys().secret_key.empty()) {
    return absl::FailedPreconditionError(
        "the assessment service signs kiosk exam leases: give --token_secret_key");
  }
  return std::make_unique<AssessmentModule>(runtime);
}

AssessmentModule::AssessmentModule(server::ServerRuntime& runtime)
    : rules_(runtime.pool(), runtime.clock()),
      bank_(runtime.pool(), runtime.clock(), questions_),
      importer_(runtime.pool(), runtime.clock(), questions_, runtime.scope_checker()),
      paper_service_(runtime.pool(), runtime.clock(), papers_),
      attempt_service_(runtime.pool(), runtime.clock(), paper_service_, attempts_, grader_),
      stats_(runtime.pool(), runtime.clock()),
      evidence_(runtime.token_keys().public_key, offline_),
      kiosk_exams_(runtime.pool(), runtime.clock(), paper_service_, attempt_service_, attempts_,
                   grader_, runtime.token_keys().public_key, runtime.token_keys().secret_key,
                   rules_, evidence_, offline_),
      handler_(runtime.clock(), bank_, importer_, paper_service_, attempt_service_, stats_,
               kiosk_exams_, runtime.runner()),
      rpcs_("lms.v1.AssessmentService", runtime.runner()) {
  auth::ScopeChecker& scopes = runtime.mutable_scope_checker();
  scopes.RegisterObjectKind(
      "question", OwnedBy(auth::ScopeKind::kOrganization, [this](db::Transaction& tx, int64_t id) {
        return questions_.OrganizationOf(tx, id, false);
      }));
  scopes.RegisterObjectKind(
      "paper", OwnedBy(auth::ScopeKind::kOrganization, [this](db::Transaction& tx, int64_t id) {
        return papers_.OrganizationOf(tx, id, false);
      }));
  scopes.RegisterObjectKind(
      "attempt", OwnedBy(auth::ScopeKind::kMember, [this](db::Transaction& tx, int64_t id) {
        return attempts_.MemberOf(tx, id, false);
      }));
  handler_.Bind(rpcs_);
  overdue_task_ =
      std::make_unique<sched::PeriodicTask>("assessment_overdue", absl::Seconds(15), [this] {
        return attempt_service_.GradeOverdue(absl::Now() + absl::Seconds(10), 200).status();
      });
  stats_task_ = std::make_unique<sched::PeriodicTask>(
      "assessment_question_stats", absl::Minutes(1),
      [this] { return stats_.RunOnce(absl::Now() + absl::Seconds(30)).status(); });
}

}  // namespace lms::assessment

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call/call_context.h"
#include "common/db/connection_pool.h"
#include "common/settings/settings_reader.h"
#include "common/time/clock.h"
#include "services/assessment/assessment_references.h"
#include "services/assessment/paper.h"
#include "services/assessment/paper_repository.h"
#include "services/enrollment/reference_lookup.h"
#include "services/progress/course_final_tests.h"

namespace lms::assessment {

struct ListPapersInput {
  PaperQuery filters;
  int page_size = 0;
  std::string page_token;
};

struct PaperPage {
  std::vector<Paper> papers;
  std::string next_page_token;
};

// Papers: drafts edited, published after checking the banks can fill them, closed.
// Which papers and organisations a caller may name is decided before these run (object
// kind "paper", owned by its organisation). Thread-safe.
class PaperService {
 public:
  PaperService(db::ConnectionPool& pool, const Clock& clock, const PaperRepository& papers)
      : pool_(pool), clock_(clock), papers_(papers) {}

  [[nodiscard]] absl::StatusOr<Paper> Create(const call::CallContext& call, int64_t organization_id,
                                             PaperKind kind, int64_t course_id, int64_t plan_id,
                                             PaperSettings settings) const;
  [[nodiscard]] absl::StatusOr<Paper> Update(const call::CallContext& call, int64_t paper_id,
                                             int64_t expected_version,
                                             PaperSettings settings) const;
  [[nodiscard]] absl::StatusOr<Paper> Publish(const call::CallContext& call, int64_t paper_id,
                                              int64_t expected_version) const;
  [[nodiscard]] absl::StatusOr<Paper> Close(const call::CallContext& call, int64_t paper_id,
                                            int64_t expected_version) const;
  // A member or kiosk sees published and closed papers only (a draft is NOT_FOUND).
  [[nodiscard]] absl::StatusOr<Paper> Get(const call::CallContext& call, int64_t paper_id) const;
  [[nodiscard]] absl::StatusOr<PaperPage> List(const call::CallContext& call,
                                               const ListPapersInput& input) const;

  // The paper as stored; NOT_FOUND naming it.
  [[nodiscard]] absl::StatusOr<Paper> Load(db::Transaction& tx, int64_t paper_id,
                                           bool lock = false) const;

 private:
  template <typename Mutate>
  absl::StatusOr<Paper> Write(const call::CallContext& call, Mutate&& mutate) const;
  // Checks the fixed questions (they exist, the paper may use them, their types have
  // points) and computes the total and the pass mark's fit. `publishing` also refuses
  // retired questions.
  absl::Status PrepareQuestions(db::Transaction& tx, Paper& paper, bool publishing) const;
  // The course or plan the paper names, as its kind needs.
  absl::Status CheckReference(db::Transaction& tx, Paper& paper) const;

  db::ConnectionPool& pool_;
  const Clock& clock_;
  const PaperRepository& papers_;
  const AssessmentReferences references_{};
  const enrollment::ReferenceLookup organizations_{};
  const settings::SettingsReader settings_{};
  const progress::CourseFinalTests final_tests_{};
};

}  // namespace lms::assessment

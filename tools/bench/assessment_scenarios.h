#pragma once

#include "common/auth/access_token.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "tools/bench/progress_scenarios.h"

namespace lms::bench {

struct AssessmentBenchOptions {
  std::string address;
  std::string echo_address;
  int channels = 4;
  int in_flight = 64;
  int members = 500;
  int rounds = 2;
  absl::Duration duration = absl::Seconds(5);
};

// assessment_loop - a bank of 400 questions (single choice and true/false over the eight
// categories) and a 20-question random final test (two rules of 10); `members` distinct
// members in a steady loop: StartAttempt -> SaveAnswers (10) -> SaveAnswers (10) ->
// SubmitAttempt -> the next member, `in_flight` loops at once over `channels` channels.
// E: the echo answering the loop's four answers' mean size, four calls a loop; D: the
// reference SQL of the loop's four steps (a start's standing lock, candidates, versions
// and inserts; two saves' locked upserts; a submit's grading), raw, at the same
// concurrency. C = 1 / (4/E + 1/D) loops a second; S = loops a second, so starts and
// submits a second. Prints S/C and each step's p99/p50, and checks every submit answered
// OK graded its attempt once. Returns non-zero when a run could not be made or the check
// fails.
int RunAssessmentScenario(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                          absl::Duration token_lifetime, const AssessmentBenchOptions& options,
                          const PrintFn& print);

}  // namespace lms::bench

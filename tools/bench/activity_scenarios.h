#pragma once

#include "common/auth/access_token.h"
#include "common/db/connection_pool.h"
#include "common/time/clock.h"
#include "tools/bench/progress_scenarios.h"

namespace lms::bench {

struct ActivityBenchOptions {
  std::string address;
  std::string echo_address;
  int channels = 4;
  int in_flight = 64;
  int members = 2000;
  int rounds = 2;
  absl::Duration duration = absl::Seconds(5);
};

// activity_sign_in - `members` distinct members of a fixture branch each sign in once to
// an activity with the rotating code (SignIn on their own phone), `in_flight` calls over
// `channels` channels, on fresh activities one after another for the run. E: the echo
// answering as many bytes; D: the reference SQL of one sign-in (the activity and its
// window read in share mode, the member's targeting checked, the attendance row inserted,
// one commit) at the same concurrency, on activities of its own. Prints S/C with
// C = 1 / (1/E + 1/D), and checks that the attendance rows equal the sign-ins answered
// OK: none lost, none doubled. Returns non-zero when a run could not be made or the
// check fails.
int RunActivityScenario(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                        absl::Duration token_lifetime, const ActivityBenchOptions& options,
                        const PrintFn& print);

}  // namespace lms::bench

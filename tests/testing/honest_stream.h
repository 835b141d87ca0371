#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "lms/v1/progress.pb.h"
#include "tests/testing/test_database.h"

namespace lms::testing {

// How many seeds (shuffles of one honest stream) the order tests try. The sanitizer build
// runs the suite for memory errors, not for order coverage, which the normal build gives
// with all 200: a quarter of them there saves about 150 s of its run.
#ifdef __SANITIZE_ADDRESS__
constexpr int kOrderSeeds = 50;
#else
constexpr int kOrderSeeds = 200;
#endif

// The courses an honest stream studies: 2001 (two videos), 2002 (a document and an
// article), 2003 (an audio and a long document), published.
void SeedStreamCourses(TestDatabase& database);

// An honest member's `count` events: sessions of 30-second heartbeats, each session one
// lesson on one device ("phone", "kiosk-1", "kiosk-2"), moving forward (sometimes going
// back over a part), never overlapping; spread over the ten days around China's New
// Year's Eve of the year before `sent`, all sent at `sent`. The same for the same seed.
[[nodiscard]] std::vector<v1::ProgressEvent> HonestStream(absl::Time sent, int count,
                                                          uint32_t seed = 20261130);

// Everything a member's progress adds up to, as text: each lesson's state, completions,
// the ledger (net, per source, course and year) and the summaries. Equal texts, equal
// progress.
[[nodiscard]] std::string ProgressOutcome(TestDatabase& database, int64_t member_id);

}  // namespace lms::testing

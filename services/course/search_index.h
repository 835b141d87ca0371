#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace lms::course {

// Keyword search that works for Chinese, which has no spaces between words: every
// document is indexed by its characters and character pairs (bigrams) after NFKC case
// folding. A term of one character looks up its postings; a longer term intersects the
// postings of its bigrams and then confirms the exact substring, so `党章` finds
// `学习党章党规` and `ＡＩ` finds `AI`. Space-separated terms must all match.
// Chosen over Mroonga (its index is not transactional) and a bigram table (a query per
// search): the catalogue is small and already in memory.
// Immutable after Build; thread-safe for reads.
class SearchIndex {
 public:
  // Adds a document; call before any Match. Invalid UTF-8 is ignored.
  void Add(int64_t id, absl::string_view text);
  // Sorts postings; call once after the last Add.
  void Finish();

  // Ids of documents matching every term of `query`, ascending. Empty query: nothing.
  [[nodiscard]] std::vector<int64_t> Match(absl::string_view query) const;

 private:
  std::vector<int64_t> MatchTerm(const std::u32string& term) const;

  absl::flat_hash_map<uint64_t, std::vector<int64_t>> postings_;
  absl::flat_hash_map<int64_t, std::u32string> folded_;
};

// Decodes valid UTF-8 into code points after NFKC case folding; empty on invalid input.
std::u32string FoldToCodePoints(absl::string_view text);

}  // namespace lms::course

#include "services/course/search_index.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "common/text/text.h"

namespace lms::course {
namespace {

// Unigram keys have the top bit clear; bigram keys pack two 21-bit code points.
uint64_t UnigramKey(char32_t c) { return static_cast<uint64_t>(c); }
uint64_t BigramKey(char32_t a, char32_t b) {
  return (uint64_t{1} << 63) | (static_cast<uint64_t>(a) << 21) | static_cast<uint64_t>(b);
}

bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\u3000'; }

std::vector<int64_t> Intersect(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  std::vector<int64_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::u32string FoldToCodePoints(absl::string_view text) {
  const std::optional<std::string> folded = text::FoldForSearch(text);
  std::u32string out;
  if (!folded.has_value()) return out;
  const std::string& s = *folded;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = length == 1   ? c
                  : length == 2 ? (c & 0x1F)
                  : length == 3 ? (c & 0x0F)
                                : (c & 0x07);
    for (int k = 1; k < length && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<size_t>(length);
  }
  return out;
}

void SearchIndex::Add(int64_t id, absl::string_view text) {
  std::u32string folded = FoldToCodePoints(text);
  absl::flat_hash_set<uint64_t> keys;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (IsSpace(folded[i])) continue;
    keys.insert(UnigramKey(folded[i]));
    if (i + 1 < folded.size() && !IsSpace(folded[i + 1])) {
      keys.insert(BigramKey(folded[i], folded[i + 1]));
    }
  }
  for (const uint64_t key : keys) postings_[key].push_back(id);
  folded_[id] = std::move(folded);
}

void SearchIndex::Finish() {
  for (auto& [key, ids] : postings_) std::sort(ids.begin(), ids.end());
}

std::vector<int64_t> SearchIndex::MatchTerm(const std::u32string& term) const {
  static const std::vector<int64_t> kNone;
  if (term.size() == 1) {
    const auto it = postings_.find(UnigramKey(term[0]));
    return it == postings_.end() ? kNone : it->second;
  }
  // Start from the rarest bigram: the intersection only shrinks.
  std::vector<const std::vector<int64_t>*> lists;
  for (size_t i = 0; i + 1 < term.size(); ++i) {
    const auto it = postings_.find(BigramKey(term[i], term[i + 1]));
    if (it == postings_.end()) return kNone;
    lists.push_back(&it->second);
  }
  std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
  std::vector<int64_t> candidates = *lists.front();
  for (size_t i = 1; i < lists.size() && !candidates.empty(); ++i) {
    candidates = Intersect(candidates, *lists[i]);
  }
  // Bigrams may all occur without the whole term: confirm the substring.
  std::vector<int64_t> matches;
  for (const int64_t id : candidates) {
    if (folded_.at(id).find(term) != std::u32string::npos) matches.push_back(id);
  }
  return matches;
}

std::vector<int64_t> SearchIndex::Match(absl::string_view query) const {
  const std::u32string folded = FoldToCodePoints(query);
  std::vector<std::u32string> terms;
  std::u32string current;
  for (const char32_t c : folded) {
    if (IsSpace(c)) {
      if (!current.empty()) terms.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) terms.push_back(std::move(current));
  if (terms.empty()) return {};
  std::vector<int64_t> result = MatchTerm(terms[0]);
  for (size_t i = 1; i < terms.size() && !result.empty(); ++i) {
    result = Intersect(result, MatchTerm(terms[i]));
  }
  return result;
}

}  // namespace lms::course

#include "services/course/article_html.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lms::course {
namespace {

constexpr std::array<absl::string_view, 16> kAllowedTags = {
    "p", "br", "h2", "h3", "h4", "strong",     "b",   "em",
    "i", "u",  "ul", "ol", "li", "blockquote", "img", "span"};

bool IsAllowedTag(absl::string_view name) {
  for (absl::string_view allowed : kAllowedTags) {
    if (name == allowed) return true;
  }
  return false;
}

bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-'; }

// Reads one attribute starting at `pos`; returns "" on success or the problem.
std::string ReadAttribute(absl::string_view html, size_t& pos, absl::string_view tag) {
  const size_t name_start = pos;
  while (pos < html.size() && IsNameChar(html[pos])) ++pos;
  if (pos == name_start) return "malformed attribute";
  const std::string name = absl::AsciiStrToLower(html.substr(name_start, pos - name_start));
  std::string value;
  if (pos < html.size() && html[pos] == '=') {
    ++pos;
    if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
      const char quote = html[pos++];
      const size_t end = html.find(quote, pos);
      if (end == absl::string_view::npos) return "unterminated attribute value";
      value = std::string(html.substr(pos, end - pos));
      pos = end + 1;
    } else {
      const size_t value_start = pos;
      while (pos < html.size() && !absl::ascii_isspace(static_cast<unsigned char>(html[pos])) &&
             html[pos] != '>' && html[pos] != '/') {
        ++pos;
      }
      value = std::string(html.substr(value_start, pos - value_start));
    }
  }
  if (tag != "img" || (name != "src" && name != "alt")) {
    return absl::StrCat("attribute ", name, " is not allowed on <", tag, ">");
  }
  if (name == "src" && !absl::StartsWithIgnoreCase(value, "https://") &&
      !absl::StartsWithIgnoreCase(value, "http://")) {
    return "img src must be an http(s) URL";
  }
  return "";
}

// Reads the tag starting at html[pos] == '<'; returns "" or the problem.
std::string ReadTag(absl::string_view html, size_t& pos) {
  ++pos;
  if (pos < html.size() && html[pos] == '/') ++pos;
  const size_t name_start = pos;
  while (pos < html.size() && absl::ascii_isalnum(static_cast<unsigned char>(html[pos]))) ++pos;
  if (pos == name_start) return "a literal '<' must be written &lt;";
  const std::string tag = absl::AsciiStrToLower(html.substr(name_start, pos - name_start));
  if (!IsAllowedTag(tag)) return absl::StrCat("tag <", tag, "> is not allowed");
  while (pos < html.size()) {
    const char c = html[pos];
    if (c == '>') {
      ++pos;
      return "";
    }
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '/') {
      ++pos;
      continue;
    }
    if (std::string problem = ReadAttribute(html, pos, tag); !problem.empty()) return problem;
  }
  return "unterminated tag";
}

}  // namespace

std::string CheckArticleHtml(absl::string_view html) {
  size_t pos = 0;
  while (pos < html.size()) {
    const size_t next = html.find('<', pos);
    if (next == absl::string_view::npos) break;
    pos = next;
    if (std::string problem = ReadTag(html, pos); !problem.empty()) return problem;
  }
  return "";
}

}  // namespace lms::course

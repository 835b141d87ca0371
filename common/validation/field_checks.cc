#include "common/validation/field_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text/text.h"

namespace lms::validation {

bool CheckText(status::FieldErrors& errors, const std::string& field, absl::string_view value,
               size_t min_length, size_t max_length, bool multiline) {
  if (!text::IsValidUtf8(value)) {
    errors.Add(field, "must be valid UTF-8");
    return false;
  }
  const bool has_bad_controls = multiline
                                    ? text::HasControlCharacters(value)
                                    : (text::HasControlCharacters(value) ||
                                       value.find_first_of("\t\r\n") != absl::string_view::npos);
  if (has_bad_controls) {
    errors.Add(field, "must not contain control characters");
    return false;
  }
  const size_t length = text::CodePointCount(value);
  if (min_length > 0 && absl::StripAsciiWhitespace(value).empty()) {
    errors.Add(field, "is required");
    return false;
  }
  if (length < min_length || length > max_length) {
    errors.Add(field, absl::StrCat("must be ", min_length, " to ", max_length, " characters (got ",
                                   length, ")"));
    return false;
  }
  return true;
}

bool CheckUrl(status::FieldErrors& errors, const std::string& field, absl::string_view value,
              size_t max_length, bool optional) {
  if (value.empty()) {
    if (!optional) errors.Add(field, "is required");
    return optional;
  }
  if (value.size() > max_length) {
    errors.Add(field, absl::StrCat("must be at most ", max_length, " characters"));
    return false;
  }
  const bool scheme_ok =
      absl::StartsWithIgnoreCase(value, "https://") || absl::StartsWithIgnoreCase(value, "http://");
  const bool chars_ok = std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7F;
  });
  if (!scheme_ok || !chars_ok || !text::IsValidUtf8(value)) {
    errors.Add(field, "must be an http(s) URL without spaces");
    return false;
  }
  return true;
}

namespace {

bool IsCodeText(absl::string_view value, size_t max_length) {
  return value.size() <= max_length && std::all_of(value.begin(), value.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

}  // namespace

bool CheckCode(status::FieldErrors& errors, const std::string& field, absl::string_view value,
               size_t max_length) {
  const bool ok = !value.empty() && IsCodeText(value, max_length);
  if (!ok)
    errors.Add(field, absl::StrCat("must be 1 to ", max_length, " characters of [A-Za-z0-9_-]"));
  return ok;
}

bool CheckRequestId(status::FieldErrors& errors, absl::string_view request_id) {
  // Empty is allowed: the caller then opts out of retry safety.
  const bool ok = IsCodeText(request_id, 64);
  if (!ok) errors.Add("request_id", "must be 1 to 64 characters of [A-Za-z0-9_-]");
  return ok;
}

}  // namespace lms::validation

#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "common/status/field_errors.h"

namespace lms::validation {

// Checks a text field: valid UTF-8, no control characters (tab and newlines allowed only
// when `multiline`), not blank when `min_length` > 0, and between the limits in code
// points. Adds one violation naming `field` when it fails; returns whether it passed.
bool CheckText(status::FieldErrors& errors, const std::string& field, absl::string_view value,
               size_t min_length, size_t max_length, bool multiline = false);

// Checks an http(s) URL of at most `max_length` characters with no spaces or controls.
// An empty value passes only when `optional`.
bool CheckUrl(status::FieldErrors& errors, const std::string& field, absl::string_view value,
              size_t max_length, bool optional);

// Checks an identifier people type and files carry (member numbers, organisation codes):
// 1 to `max_length` characters of [A-Za-z0-9_-].
bool CheckCode(status::FieldErrors& errors, const std::string& field, absl::string_view value,
               size_t max_length);

// Checks a client request id: empty, or 1-64 characters of [A-Za-z0-9_-].
bool CheckRequestId(status::FieldErrors& errors, absl::string_view request_id);

}  // namespace lms::validation

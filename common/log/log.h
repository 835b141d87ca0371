#pragma once

#include <initializer_list>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lms::log {

// One key=value pair of a structured log line. Never pass a password, PIN or token.
struct Field {
  Field(absl::string_view k, absl::string_view v) : key(k), value(v) {}
  Field(absl::string_view k, const char* v) : key(k), value(v) {}
  Field(absl::string_view k, const std::string& v) : key(k), value(v) {}
  template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
  Field(absl::string_view k, Number v) : key(k), value(absl::StrCat(v)) {}

  absl::string_view key;
  std::string value;
};

// Sets the process-wide logger: lines go to stderr as
// `2026-11-25T06:10:00.123Z level=info event=server_started address=127.0.0.1:50051`.
// `min_level` is one of debug, info, warn, error.
void Init(absl::string_view min_level);

void Debug(absl::string_view event, std::initializer_list<Field> fields = {});
void Info(absl::string_view event, std::initializer_list<Field> fields = {});
void Warn(absl::string_view event, std::initializer_list<Field> fields = {});
void Error(absl::string_view event, std::initializer_list<Field> fields = {});

// Formats one line body (without timestamp and level); exposed for tests.
std::string FormatLine(absl::string_view event, std::initializer_list<Field> fields);

}  // namespace lms::log

#include "common/log/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace lms::log {
namespace {

// Quotes a value that a logfmt reader would otherwise split.
void AppendValue(std::string& out, absl::string_view value) {
  const bool needs_quotes =
      value.empty() || value.find_first_of(" =\"\n\t") != absl::string_view::npos;
  if (!needs_quotes) {
    out.append(value.data(), value.size());
    return;
  }
  out.push_back('"');
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void Write(spdlog::level::level_enum level, absl::string_view event,
           std::initializer_list<Field> fields) {
  if (!spdlog::default_logger_raw()->should_log(level)) return;
  spdlog::default_logger_raw()->log(level, FormatLine(event, fields));
}

}  // namespace

std::string FormatLine(absl::string_view event, std::initializer_list<Field> fields) {
  std::string line = "event=";
  AppendValue(line, event);
  for (const Field& field : fields) {
    line.push_back(' ');
    line.append(field.key.data(), field.key.size());
    line.push_back('=');
    AppendValue(line, field.value);
  }
  return line;
}

void Init(absl::string_view min_level) {
  spdlog::drop("lms");  // Init may run again (tests raise the level for a while).
  auto logger = spdlog::stderr_logger_mt("lms");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(min_level)));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

void Debug(absl::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::debug, event, fields);
}
void Info(absl::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::info, event, fields);
}
void Warn(absl::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::warn, event, fields);
}
void Error(absl::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::err, event, fields);
}

}  // namespace lms::log

#include "services/assessment/question_codec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace lms::assessment {
namespace {

using nlohmann::json;

absl::Status Corrupt(const char* what, const std::exception& e) {
  return absl::InternalError(absl::StrCat("stored ", what, " does not decode: ", e.what()));
}

json Parse(const std::string& text) { return json::parse(text); }

std::string Dump(const json& value) {
  // Stored text is the server's own: invalid UTF-8 cannot reach it (requests are
  // checked), and `replace` keeps a dump from throwing if it ever did.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string OptionsToJson(const std::vector<QuestionOption>& options) {
  json array = json::array();
  for (const QuestionOption& option : options) {
    array.push_back({{"id", option.id}, {"text", option.text}});
  }
  return Dump(array);
}

absl::StatusOr<std::vector<QuestionOption>> OptionsFromJson(const std::string& text) {
  try {
    std::vector<QuestionOption> options;
    for (const json& one : Parse(text)) {
      options.push_back({one.at("id").get<int32_t>(), one.at("text").get<std::string>()});
    }
    return options;
  } catch (const std::exception& e) {
    return Corrupt("question options", e);
  }
}

std::string KeyToJson(const AnswerKey& key) {
  json object = json::object();
  if (!key.option_ids.empty()) object["options"] = key.option_ids;
  if (key.truth != Truth::kUnanswered) object["truth"] = static_cast<int>(key.truth);
  if (!key.blanks.empty()) object["blanks"] = key.blanks;
  return Dump(object);
}

absl::Status KeyFromJson(const std::string& text, AnswerKey& key) {
  try {
    const json object = Parse(text);
    key.option_ids = object.value("options", std::vector<int32_t>{});
    key.truth = static_cast<Truth>(object.value("truth", 0));
    key.blanks = object.value("blanks", std::vector<std::vector<std::string>>{});
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return Corrupt("answer key", e);
  }
}

std::string TagsToJson(const std::vector<std::string>& tags) { return Dump(json(tags)); }

absl::StatusOr<std::vector<std::string>> TagsFromJson(const std::string& text) {
  try {
    return Parse(text).get<std::vector<std::string>>();
  } catch (const std::exception& e) {
    return Corrupt("question tags", e);
  }
}

std::string AnswerToJson(const Answer& answer) {
  json object = json::object();
  if (!answer.option_ids.empty()) {
    std::vector<int32_t> ids = answer.option_ids;
    std::sort(ids.begin(), ids.end());
    object["options"] = ids;
  }
  if (answer.truth != Truth::kUnanswered) object["truth"] = static_cast<int>(answer.truth);
  if (!answer.blanks.empty()) object["blanks"] = answer.blanks;
  return Dump(object);
}

absl::StatusOr<Answer> AnswerFromJson(const std::string& text) {
  try {
    const json object = Parse(text);
    Answer answer;
    answer.option_ids = object.value("options", std::vector<int32_t>{});
    answer.truth = static_cast<Truth>(object.value("truth", 0));
    answer.blanks = object.value("blanks", std::vector<std::string>{});
    return answer;
  } catch (const std::exception& e) {
    return Corrupt("answer", e);
  }
}

}  // namespace lms::assessment

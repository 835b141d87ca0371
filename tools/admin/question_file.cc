#include "tools/admin/question_file.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lms::admin {
namespace {

constexpr int kMaxOptions = 10;
constexpr char kLetters[] = "ABCDEFGHIJ";

const std::map<std::string, std::string>& ColumnAliases() {
  static const auto* const kAliases = [] {
    auto* aliases = new std::map<std::string, std::string>{{"type", "type"},
                                                           {"题型", "type"},
                                                           {"stem", "stem"},
                                                           {"题干", "stem"},
                                                           {"answer", "answer"},
                                                           {"答案", "answer"},
                                                           {"explanation", "explanation"},
                                                           {"解析", "explanation"},
                                                           {"category", "category"},
                                                           {"内容类别", "category"},
                                                           {"difficulty", "difficulty"},
                                                           {"难度", "difficulty"},
                                                           {"tags", "tags"},
                                                           {"标签", "tags"},
                                                           {"code", "code"},
                                                           {"编码", "code"},
                                                           {"fixed_order", "fixed_order"},
                                                           {"选项固定", "fixed_order"}};
    for (int i = 0; i < kMaxOptions; ++i) {
      const std::string letter(1, kLetters[i]);
      const std::string name = absl::StrCat("option_", absl::AsciiStrToLower(letter));
      (*aliases)[absl::AsciiStrToLower(letter)] = name;
      (*aliases)[name] = name;
      (*aliases)[absl::StrCat("选项", letter)] = name;
      (*aliases)[absl::StrCat("选项", absl::AsciiStrToLower(letter))] = name;
    }
    return aliases;
  }();
  return *kAliases;
}

const std::map<std::string, v1::QuestionType>& Types() {
  static const auto* const kTypes = new std::map<std::string, v1::QuestionType>{
      {"single", v1::QUESTION_TYPE_SINGLE_CHOICE},  {"单选", v1::QUESTION_TYPE_SINGLE_CHOICE},
      {"单选题", v1::QUESTION_TYPE_SINGLE_CHOICE},  {"multiple", v1::QUESTION_TYPE_MULTIPLE_CHOICE},
      {"多选", v1::QUESTION_TYPE_MULTIPLE_CHOICE},  {"多选题", v1::QUESTION_TYPE_MULTIPLE_CHOICE},
      {"true_false", v1::QUESTION_TYPE_TRUE_FALSE}, {"判断", v1::QUESTION_TYPE_TRUE_FALSE},
      {"判断题", v1::QUESTION_TYPE_TRUE_FALSE},     {"fill_in", v1::QUESTION_TYPE_FILL_IN_BLANK},
      {"填空", v1::QUESTION_TYPE_FILL_IN_BLANK},    {"填空题", v1::QUESTION_TYPE_FILL_IN_BLANK}};
  return *kTypes;
}

const std::map<std::string, v1::ContentCategory>& Categories() {
  static const auto* const kCategories = new std::map<std::string, v1::ContentCategory>{
      {"政治理论教育", v1::CONTENT_CATEGORY_POLITICAL_THEORY},
      {"政治理论", v1::CONTENT_CATEGORY_POLITICAL_THEORY},
      {"政治教育和政治训练", v1::CONTENT_CATEGORY_POLITICAL_EDUCATION},
      {"政治教育", v1::CONTENT_CATEGORY_POLITICAL_EDUCATION},
      {"党章教育", v1::CONTENT_CATEGORY_PARTY_CONSTITUTION},
      {"党章", v1::CONTENT_CATEGORY_PARTY_CONSTITUTION},
      {"党规党纪教育", v1::CONTENT_CATEGORY_RULES_AND_DISCIPLINE},
      {"党规党纪", v1::CONTENT_CATEGORY_RULES_AND_DISCIPLINE},
      {"党的宗旨教育", v1::CONTENT_CATEGORY_PARTY_PURPOSE},
      {"党的宗旨", v1::CONTENT_CATEGORY_PARTY_PURPOSE},
      {"革命传统教育", v1::CONTENT_CATEGORY_REVOLUTIONARY_TRADITION},
      {"革命传统", v1::CONTENT_CATEGORY_REVOLUTIONARY_TRADITION},
      {"形势政策教育", v1::CONTENT_CATEGORY_SITUATION_AND_POLICY},
      {"形势政策", v1::CONTENT_CATEGORY_SITUATION_AND_POLICY},
      {"知识技能教育", v1::CONTENT_CATEGORY_KNOWLEDGE_AND_SKILLS},
      {"知识技能", v1::CONTENT_CATEGORY_KNOWLEDGE_AND_SKILLS}};
  return *kCategories;
}

// Splits on any of the separators (ASCII and full-width), dropping empty parts.
std::vector<std::string> SplitAny(const std::string& text, const std::vector<std::string>& seps) {
  std::string unified = text;
  for (size_t i = 1; i < seps.size(); ++i) {
    for (size_t at = unified.find(seps[i]); at != std::string::npos;
         at = unified.find(seps[i], at)) {
      unified.replace(at, seps[i].size(), seps[0]);
    }
  }
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(unified, seps[0], absl::SkipWhitespace())) {
    parts.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return parts;
}

class RowReader {
 public:
  RowReader(QuestionFile& file, int line) : file_(file), line_(line) {}
  bool failed() const { return failed_; }
  void Fail(const std::string& field, const std::string& reason) {
    v1::RowError error;
    error.set_line(line_);
    error.set_field(field);
    error.set_reason(reason);
    file_.errors.push_back(std::move(error));
    failed_ = true;
  }

 private:
  QuestionFile& file_;
  const int line_;
  bool failed_ = false;
};

void ReadAnswer(const std::string& answer, v1::Question& question, RowReader& reader) {
  v1::AnswerKey& key = *question.mutable_key();
  switch (question.type()) {
    case v1::QUESTION_TYPE_SINGLE_CHOICE:
    case v1::QUESTION_TYPE_MULTIPLE_CHOICE:
      for (const char c : answer) {
        const char upper = absl::ascii_toupper(static_cast<unsigned char>(c));
        if (upper >= 'A' && upper <= 'J') {
          const int position = upper - 'A' + 1;
          if (position > question.options_size()) {
            reader.Fail("answer", absl::StrCat("`", std::string(1, upper),
                                               "` names an option the row does not have"));
            return;
          }
          key.add_correct_option_ids(position);
        }
      }
      if (key.correct_option_ids_size() == 0) {
        reader.Fail("answer", "name the correct options by letter (A, B, ...)");
      }
      return;
    case v1::QUESTION_TYPE_TRUE_FALSE: {
      const std::string lower = absl::AsciiStrToLower(answer);
      if (lower == "对" || lower == "正确" || lower == "true" || lower == "t" || lower == "√" ||
          lower == "是") {
        key.set_correct_truth(v1::TRUTH_TRUE);
      } else if (lower == "错" || lower == "错误" || lower == "false" || lower == "f" ||
                 lower == "×" || lower == "否") {
        key.set_correct_truth(v1::TRUTH_FALSE);
      } else {
        reader.Fail("answer", absl::StrCat("`", answer, "` is neither 对 nor 错"));
      }
      return;
    }
    case v1::QUESTION_TYPE_FILL_IN_BLANK:
      for (const std::string& blank : SplitAny(answer, {";", "；"})) {
        v1::Blank* out = key.add_blanks();
        for (const std::string& variant : SplitAny(blank, {"|", "｜"})) out->add_accepted(variant);
      }
      if (key.blanks_size() == 0) reader.Fail("answer", "give each blank's accepted answer");
      return;
    default:
      return;
  }
}

}  // namespace

absl::StatusOr<QuestionFile> ParseQuestions(const std::vector<SheetRow>& sheet) {
  if (sheet.empty()) return absl::InvalidArgumentError("the file is empty: no header row");
  absl::StatusOr<std::map<std::string, size_t>> header = MapHeader(sheet[0], ColumnAliases());
  if (!header.ok()) return header.status();
  for (const char* required : {"type", "stem", "answer"}) {
    if (header->count(required) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("the header has no `", required, "` column"));
    }
  }
  QuestionFile file;
  for (size_t r = 1; r < sheet.size(); ++r) {
    const SheetCells cells(*header, sheet[r]);
    RowReader reader(file, sheet[r].line);
    v1::QuestionRow row;
    row.set_line(sheet[r].line);
    v1::Question& question = *row.mutable_question();
    const auto type = Types().find(absl::AsciiStrToLower(cells.Get("type")));
    if (type == Types().end()) {
      reader.Fail("type",
                  absl::StrCat("`", cells.Get("type"), "` is not 单选, 多选, 判断 or 填空"));
      continue;
    }
    question.set_type(type->second);
    question.set_stem(cells.Get("stem"));
    for (int i = 0; i < kMaxOptions; ++i) {
      const std::string text =
          cells.Get(absl::StrCat("option_", std::string(1, absl::ascii_tolower(kLetters[i]))));
      if (!text.empty()) question.add_options()->set_text(text);
    }
    ReadAnswer(cells.Get("answer"), question, reader);
    question.mutable_key()->set_explanation(cells.Get("explanation"));
    const std::string category = cells.Get("category");
    int number = 0;
    if (const auto named = Categories().find(category); named != Categories().end()) {
      question.set_content_category(named->second);
    } else if (absl::SimpleAtoi(category, &number) && number >= 1 && number <= 8) {
      question.set_content_category(static_cast<v1::ContentCategory>(number));
    } else {
      reader.Fail("category",
                  absl::StrCat("`", category, "` is not one of the eight content categories"));
    }
    const std::string difficulty = cells.Get("difficulty");
    if (difficulty.empty()) {
      question.set_difficulty(3);
    } else if (!absl::SimpleAtoi(difficulty, &number)) {
      reader.Fail("difficulty", absl::StrCat("`", difficulty, "` is not a number from 1 to 5"));
    } else {
      question.set_difficulty(number);
    }
    for (const std::string& tag : SplitAny(cells.Get("tags"), {";", "；", "、"})) {
      question.add_tags(tag);
    }
    question.set_code(cells.Get("code"));
    const std::string fixed = absl::AsciiStrToLower(cells.Get("fixed_order"));
    question.set_fixed_option_order(fixed == "是" || fixed == "yes" || fixed == "true" ||
                                    fixed == "1");
    if (!reader.failed()) file.rows.push_back(std::move(row));
  }
  return file;
}

}  // namespace lms::admin

// Grading of every question type with its edge cases, and the fill-in comparison form.
#include <gtest/gtest.h>

#include "services/assessment/answer_grading.h"
#include "services/assessment/fill_in_answer.h"
#include "services/assessment/question_codec.h"
#include "services/assessment/question_validation.h"

namespace lms::assessment {
namespace {

AnswerKey ChoiceKey(std::vector<int32_t> ids) {
  AnswerKey key;
  key.option_ids = std::move(ids);
  return key;
}

Answer Chosen(std::vector<int32_t> ids) {
  Answer answer;
  answer.option_ids = std::move(ids);
  return answer;
}

Answer Filled(std::vector<std::string> blanks) {
  Answer answer;
  answer.blanks = std::move(blanks);
  return answer;
}

AnswerKey BlankKey(std::vector<std::vector<std::string>> blanks) {
  AnswerKey key;
  key.blanks = std::move(blanks);
  return key;
}

TEST(FillInAnswerTest, FullWidthAndHalfWidthCompareEqual) {
  EXPECT_EQ(NormalizeFillIn("１９２１"), NormalizeFillIn("1921"));
  EXPECT_EQ(NormalizeFillIn("ＣＰＣ"), NormalizeFillIn("cpc"));
  EXPECT_EQ(NormalizeFillIn("１９２１"), "1921");
}

TEST(FillInAnswerTest, PunctuationAndSpacesAreIgnored) {
  EXPECT_EQ(NormalizeFillIn("  党章。"), "党章");
  EXPECT_EQ(NormalizeFillIn("《中国共产党章程》"), "中国共产党章程");
  EXPECT_EQ(NormalizeFillIn("“四个意识”，"), "四个意识");
  EXPECT_EQ(NormalizeFillIn("为人民 服务!"), "为人民服务");
  EXPECT_EQ(NormalizeFillIn("全\u3000心全意"), "全心全意");  // ideographic space
  EXPECT_EQ(NormalizeFillIn("。，、"), "");
}

TEST(FillInAnswerTest, InvalidUtf8ComparesAsNothing) {
  EXPECT_EQ(NormalizeFillIn(std::string("\xff\xfe", 2)), "");
}

TEST(GradeAnswerTest, SingleChoice) {
  const AnswerKey key = ChoiceKey({2});
  EXPECT_TRUE(GradeAnswer(QuestionType::kSingleChoice, key, Chosen({2}), 5, false).correct);
  EXPECT_EQ(GradeAnswer(QuestionType::kSingleChoice, key, Chosen({2}), 5, false).points_awarded, 5);
  EXPECT_FALSE(GradeAnswer(QuestionType::kSingleChoice, key, Chosen({1}), 5, false).correct);
  // Two options chosen on a single-choice question earn nothing, even with the right one.
  EXPECT_EQ(GradeAnswer(QuestionType::kSingleChoice, key, Chosen({1, 2}), 5, true).points_awarded,
            0);
  EXPECT_FALSE(GradeAnswer(QuestionType::kSingleChoice, key, Answer{}, 5, false).correct);
}

TEST(GradeAnswerTest, MultipleChoiceAllOrNothingByDefault) {
  const AnswerKey key = ChoiceKey({1, 3, 4});
  EXPECT_TRUE(GradeAnswer(QuestionType::kMultipleChoice, key, Chosen({4, 1, 3}), 6, false).correct);
  const Grade partial_off =
      GradeAnswer(QuestionType::kMultipleChoice, key, Chosen({1, 3}), 6, false);
  EXPECT_FALSE(partial_off.correct);
  EXPECT_EQ(partial_off.points_awarded, 0);
}

TEST(GradeAnswerTest, MultipleChoicePartialCreditRoundsDownAndWrongOptionsEarnNothing) {
  const AnswerKey key = ChoiceKey({1, 3, 4});
  const Grade two_of_three =
      GradeAnswer(QuestionType::kMultipleChoice, key, Chosen({1, 3}), 5, true);
  EXPECT_FALSE(two_of_three.correct);
  EXPECT_EQ(two_of_three.points_awarded, 3);  // 5 * 2 / 3 = 3.33
  EXPECT_EQ(GradeAnswer(QuestionType::kMultipleChoice, key, Chosen({1, 2}), 5, true).points_awarded,
            0);
  EXPECT_EQ(
      GradeAnswer(QuestionType::kMultipleChoice, key, Chosen({1, 3, 4, 2}), 5, true).points_awarded,
      0);
  EXPECT_EQ(GradeAnswer(QuestionType::kMultipleChoice, key, Answer{}, 5, true).points_awarded, 0);
}

TEST(GradeAnswerTest, UnansweredTrueFalseIsWrongNotFalse) {
  AnswerKey key;
  key.truth = Truth::kFalse;
  Answer unanswered;
  EXPECT_FALSE(GradeAnswer(QuestionType::kTrueFalse, key, unanswered, 2, false).correct);
  Answer said_false;
  said_false.truth = Truth::kFalse;
  EXPECT_TRUE(GradeAnswer(QuestionType::kTrueFalse, key, said_false, 2, false).correct);
  Answer said_true;
  said_true.truth = Truth::kTrue;
  EXPECT_FALSE(GradeAnswer(QuestionType::kTrueFalse, key, said_true, 2, false).correct);
}

TEST(GradeAnswerTest, FillInWithFullWidthDigitsAndTrailingPunctuation) {
  const AnswerKey key = BlankKey({{"1921"}, {"七月一日", "7月1日"}});
  EXPECT_TRUE(
      GradeAnswer(QuestionType::kFillInBlank, key, Filled({"１９２１。", " 7月1日"}), 4, false)
          .correct);
  EXPECT_TRUE(GradeAnswer(QuestionType::kFillInBlank, key, Filled({"1921", "七月一日！"}), 4, false)
                  .correct);
  // Every blank must match; a missing or empty one fails the question.
  EXPECT_FALSE(GradeAnswer(QuestionType::kFillInBlank, key, Filled({"1921"}), 4, false).correct);
  EXPECT_FALSE(
      GradeAnswer(QuestionType::kFillInBlank, key, Filled({"1921", ""}), 4, false).correct);
  EXPECT_FALSE(
      GradeAnswer(QuestionType::kFillInBlank, key, Filled({"1922", "7月1日"}), 4, false).correct);
  // Punctuation alone is no answer even where an accepted answer had some.
  EXPECT_FALSE(
      GradeAnswer(QuestionType::kFillInBlank, BlankKey({{"《党章》"}}), Filled({"《》"}), 4, false)
          .correct);
}

TEST(QuestionCodecTest, AnswersEncodeCanonically) {
  Answer a = Chosen({3, 1});
  Answer b = Chosen({1, 3});
  EXPECT_EQ(AnswerToJson(a), AnswerToJson(b));
  absl::StatusOr<Answer> decoded = AnswerFromJson(AnswerToJson(Filled({"党章", ""})));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->blanks, (std::vector<std::string>{"党章", ""}));
  EXPECT_EQ(AnswerFromJson("{not json").status().code(), absl::StatusCode::kInternal);
}

TEST(QuestionValidationTest, OptionIdsOnCreateAreTheirPositions) {
  QuestionContent content;
  content.options = {{0, "甲"}, {0, "乙"}, {0, "丙"}};
  content.key.option_ids = {3};
  status::FieldErrors errors;
  int32_t last = 0;
  AssignOptionIds(errors, "question.", content, last, nullptr);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(last, 3);
  EXPECT_EQ(content.options[2].id, 3);
  EXPECT_EQ(content.key.option_ids, std::vector<int32_t>{3});
}

TEST(QuestionValidationTest, UpdatesKeepIdsAndNameNewOptionsByMinusPosition) {
  const std::vector<QuestionOption> previous = {{1, "甲"}, {2, "乙"}, {3, "丙"}};
  QuestionContent content;
  // Option 2 dropped, 3 moved first, a new one appended.
  content.options = {{3, "丙"}, {1, "甲"}, {0, "丁"}};
  content.key.option_ids = {1, -3};
  status::FieldErrors errors;
  int32_t last = 3;
  AssignOptionIds(errors, "question.", content, last, &previous);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(content.options[2].id, 4);
  EXPECT_EQ(content.key.option_ids, (std::vector<int32_t>{1, 4}));

  QuestionContent unknown;
  unknown.options = {{7, "戊"}};
  unknown.key.option_ids = {2};
  status::FieldErrors bad;
  AssignOptionIds(bad, "question.", unknown, last, &previous);
  ASSERT_EQ(bad.violations().size(), 2u);
  EXPECT_EQ(bad.violations()[0].first, "question.options[0].id");
  EXPECT_EQ(bad.violations()[1].first, "question.key.correct_option_ids[0]");
}

TEST(QuestionValidationTest, EachTypeNeedsItsOwnKey) {
  QuestionContent content;
  content.stem = "党的最高理想和最终目标是什么？";
  content.content_category = ContentCategory::kPartyConstitution;
  content.difficulty = 2;
  content.options = {{1, "实现共产主义"}, {2, "实现共产主义"}};
  content.key.option_ids = {1, 2};
  status::FieldErrors errors;
  CheckQuestionContent(errors, "question.", QuestionType::kSingleChoice, content);
  std::vector<std::string> fields;
  for (const auto& [field, reason] : errors.violations()) fields.push_back(field);
  EXPECT_EQ(fields, (std::vector<std::string>{"question.options[1].text",
                                              "question.key.correct_option_ids"}));

  QuestionContent true_false = content;
  true_false.options.clear();
  true_false.key = AnswerKey{};
  status::FieldErrors no_truth;
  CheckQuestionContent(no_truth, "question.", QuestionType::kTrueFalse, true_false);
  ASSERT_EQ(no_truth.violations().size(), 1u);
  EXPECT_EQ(no_truth.violations()[0].first, "question.key.correct_truth");

  QuestionContent fill = true_false;
  fill.key.blanks = {{"共产主义"}, {"。"}};
  status::FieldErrors punctuation_only;
  CheckQuestionContent(punctuation_only, "question.", QuestionType::kFillInBlank, fill);
  ASSERT_EQ(punctuation_only.violations().size(), 1u);
  EXPECT_EQ(punctuation_only.violations()[0].first, "question.key.blanks[1].accepted[0]");
}

}  // namespace
}  // namespace lms::assessment

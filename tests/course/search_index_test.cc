#include "services/course/search_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lms::course {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Add(1, "学习党章党规\n严守纪律规矩");
    index_.Add(2, "党史学习教育");
    index_.Add(3, "ＡＩ技术与智能制造");
    index_.Add(4, "Party History 101");
    index_.Finish();
  }
  SearchIndex index_;
};

TEST_F(SearchIndexTest, TwoCharacterWordFindsItInsideALongerTitle) {
  EXPECT_THAT(index_.Match("党章"), ElementsAre(1));
}

TEST_F(SearchIndexTest, SingleCharacterMatchesEveryTitleWithIt) {
  EXPECT_THAT(index_.Match("党"), ElementsAre(1, 2));
}

TEST_F(SearchIndexTest, AllTermsMustMatch) {
  EXPECT_THAT(index_.Match("学习 党史"), ElementsAre(2));
  EXPECT_THAT(index_.Match("学习　纪律"), ElementsAre(1));  // ideographic space
  EXPECT_THAT(index_.Match("学习 不存在"), IsEmpty());
}

TEST_F(SearchIndexTest, BigramsPresentButNotAdjacentDoNotMatch) {
  // 党章 and 章党 both occur in "党章党规"; "党章党章" does not.
  EXPECT_THAT(index_.Match("党章党章"), IsEmpty());
}

TEST_F(SearchIndexTest, WidthAndCaseAreFolded) {
  EXPECT_THAT(index_.Match("ai"), ElementsAre(3));
  EXPECT_THAT(index_.Match("AI技术"), ElementsAre(3));
  EXPECT_THAT(index_.Match("ｐａｒｔｙ"), ElementsAre(4));
}

TEST_F(SearchIndexTest, EmptyOrInvalidQueryMatchesNothing) {
  EXPECT_THAT(index_.Match(""), IsEmpty());
  EXPECT_THAT(index_.Match("   "), IsEmpty());
  EXPECT_THAT(index_.Match("\xff"), IsEmpty());
}

}  // namespace
}  // namespace lms::course

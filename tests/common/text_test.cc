#include "common/text/text.h"

#include <gtest/gtest.h>

namespace lms::text {
namespace {

TEST(TextTest, ValidUtf8AcceptsChineseAndFourByteCharacters) {
  EXPECT_TRUE(IsValidUtf8("学习党章党规"));
  EXPECT_TRUE(IsValidUtf8("𠮷野家 😀"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(TextTest, ValidUtf8RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("abc\xe5\xad"));       // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(TextTest, CodePointCountCountsCharactersNotBytes) {
  EXPECT_EQ(CodePointCount("党章"), 2u);
  EXPECT_EQ(CodePointCount("a😀b"), 3u);
}

TEST(TextTest, FoldForSearchEquatesWidthAndCase) {
  EXPECT_EQ(*FoldForSearch("ＡＩ技术"), *FoldForSearch("ai技术"));
  EXPECT_EQ(*FoldForSearch("Ｐａｒｔｙ"), "party");
  EXPECT_FALSE(FoldForSearch("\xff").has_value());
}

TEST(TextTest, HasControlCharactersAllowsOnlyWhitespaceControls) {
  EXPECT_FALSE(HasControlCharacters("a\tb\nc\r"));
  EXPECT_TRUE(HasControlCharacters(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacters("a\x1b[31m"));
}

}  // namespace
}  // namespace lms::text

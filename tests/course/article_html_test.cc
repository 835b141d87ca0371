#include "services/course/article_html.h"

#include <gtest/gtest.h>

namespace lms::course {
namespace {

TEST(ArticleHtmlTest, AcceptsTheRestrictedVocabulary) {
  EXPECT_EQ(CheckArticleHtml("<h2>导学</h2><p>学习<strong>党章</strong>。<br/></p>"
                             "<ul><li>一</li></ul><img src=\"https://x/a.png\" alt='图'>"),
            "");
  EXPECT_EQ(CheckArticleHtml("纯文本 &amp; 实体"), "");
}

TEST(ArticleHtmlTest, RefusesWhatCouldRunOrRestyle) {
  for (const char* html : {"<script>alert(1)</script>", "<p onclick=\"x()\">a</p>",
                           "<img src=\"javascript:alert(1)\">", "<iframe src=x></iframe>",
                           "<p style=\"color:red\">a</p>", "<!-- comment -->", "a < b", "<p",
                           "<img src=\"https://x\" alt=\"unterminated>"}) {
    EXPECT_NE(CheckArticleHtml(html), "") << html;
  }
}

}  // namespace
}  // namespace lms::course

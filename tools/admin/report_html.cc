#include "tools/admin/report_html.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace lms::admin {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Hours(int64_t hundredths) {
  return absl::StrFormat("%d.%02d", hundredths / 100, hundredths % 100);
}
std::string Percent(int32_t permille) {
  return absl::StrFormat("%d.%d%%", permille / 10, permille % 10);
}
std::string Day(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}
std::string Time(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S",
                          absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                          absl::FixedTimeZone(8 * 3600));
}

// A figure the check can find: <span data-figure="name">text</span>.
std::string Figure(const std::string& name, const std::string& text) {
  return absl::StrCat("<span data-figure=\"", name, "\">", Escape(text), "</span>");
}

const char* ActivityKindName(int kind) {
  static const char* const kNames[] = {"其他",       "支部党员大会", "支委会",   "党小组会",
                                       "党课",       "主题党日",     "专家讲座", "参观学习",
                                       "组织生活会", "集中培训"};
  return kind >= 0 && kind <= 9 ? kNames[kind] : "其他";
}

const char* ContentCategoryName(int category) {
  static const char* const kNames[] = {"未分类",       "政治理论教育", "政治教育和政治训练",
                                       "党章教育",     "党规党纪教育", "党的宗旨教育",
                                       "革命传统教育", "形势政策教育", "知识技能教育"};
  return category >= 0 && category <= 8 ? kNames[category] : "未分类";
}

// One bar of a chart: its label, the bars' values (one per series) and the text beside it.
struct Bar {
  std::string label;
  std::vector<double> values;
  std::string text;
};

const char* const kColours[] = {"#b22222", "#d9a441", "#4a7ab5"};

// Horizontal bars, one row per label, values from 0 to `max`.
std::string HorizontalBars(const std::string& name, const std::vector<Bar>& bars, double max,
                           const std::vector<std::string>& legend) {
  const int row = 16 * static_cast<int>(std::max<size_t>(1, legend.size())) + 10;
  const int height = row * static_cast<int>(bars.size()) + 30;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 %d\" width=\"640\" "
      "height=\"%d\" role=\"img\">",
      height, height);
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row + 4;
    absl::StrAppend(&svg, absl::StrFormat("<text x=\"150\" y=\"%d\" text-anchor=\"end\" "
                                          "font-size=\"12\">%s</text>",
                                          y + 12, Escape(bars[i].label)));
    for (size_t s = 0; s < bars[i].values.size(); ++s) {
      const double width = max > 0 ? 380.0 * bars[i].values[s] / max : 0;
      absl::StrAppend(&svg, absl::StrFormat("<rect class=\"bar\" x=\"160\" y=\"%d\" width=\"%.1f\" "
                                            "height=\"13\" fill=\"%s\"/>",
                                            y + static_cast<int>(s) * 16, std::max(width, 0.5),
                                            kColours[s % 3]));
    }
    absl::StrAppend(&svg, absl::StrFormat("<text x=\"548\" y=\"%d\" font-size=\"11\">%s</text>",
                                          y + 12, Escape(bars[i].text)));
  }
  for (size_t s = 0; s < legend.size(); ++s) {
    const int x = 160 + static_cast<int>(s) * 150;
    absl::StrAppend(&svg, absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
                                          "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">"
                                          "%s</text>",
                                          x, height - 16, kColours[s % 3], x + 14, height - 7,
                                          Escape(legend[s])));
  }
  absl::StrAppend(&svg, "</svg>");
  return absl::StrCat("<figure class=\"chart\" data-chart=\"", name, "\">", svg, "</figure>");
}

// Vertical bars (a column per label), the values from 0 to their maximum.
std::string Columns(const std::string& name, const std::vector<Bar>& bars) {
  double max = 0;
  for (const Bar& bar : bars) max = std::max(max, bar.values.empty() ? 0 : bar.values[0]);
  // Wide enough for a label such as "75–100%" under each column.
  const int step = bars.size() > 8 ? 44 : 64;
  const int width = step * static_cast<int>(std::max<size_t>(bars.size(), 1)) + 40;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d 200\" width=\"%d\" "
      "height=\"200\" role=\"img\"><line x1=\"20\" y1=\"170\" x2=\"%d\" y2=\"170\" "
      "stroke=\"#888\"/>",
      width, width, width - 10);
  for (size_t i = 0; i < bars.size(); ++i) {
    const double value = bars[i].values.empty() ? 0 : bars[i].values[0];
    const double height = max > 0 ? 140.0 * value / max : 0;
    const int x = 30 + static_cast<int>(i) * step;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"26\" height=\"%.1f\" "
                        "fill=\"%s\"/><text x=\"%d\" y=\"186\" font-size=\"11\" "
                        "text-anchor=\"middle\">%s</text><text x=\"%d\" y=\"%.1f\" "
                        "font-size=\"10\" text-anchor=\"middle\">%s</text>",
                        x, 170 - std::max(height, 0.5), std::max(height, 0.5), kColours[0], x + 13,
                        Escape(bars[i].label), x + 13, 166 - height, Escape(bars[i].text)));
  }
  absl::StrAppend(&svg, "</svg>");
  return absl::StrCat("<figure class=\"chart\" data-chart=\"", name, "\">", svg, "</figure>");
}

std::string StampRow(const std::string& section, const v1::ReportStamp& stamp) {
  static const char* const kSources[] = {"", "实时汇总", "月度快照", "重新统计"};
  std::vector<std::string> plans;
  for (const v1::PlanVersionRef& plan : stamp.plan_versions()) {
    plans.push_back(absl::StrCat(plan.plan_id(), "v", plan.version()));
  }
  std::vector<std::string> settings;
  for (const int64_t id : stamp.setting_change_ids()) settings.push_back(absl::StrCat(id));
  return absl::StrCat("<tr><td>", Escape(section), "</td><td>", Day(stamp.as_of()), "</td><td>",
                      Time(stamp.received_by()), "</td><td>",
                      kSources[std::clamp(static_cast<int>(stamp.source()), 0, 3)], "</td><td>",
                      Escape(absl::StrJoin(settings, ", ")), " / ",
                      Escape(absl::StrJoin(plans, ", ")), "</td><td class=\"hash\">",
                      stamp.figures_hash(), "</td></tr>");
}

constexpr char kStyle[] = R"(
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
margin:24px;color:#222;font-size:13px}
h1{color:#b22222;font-size:22px;margin:0 0 4px}h2{font-size:16px;border-left:4px solid #b22222;
padding-left:8px;margin:22px 0 8px;break-after:avoid}
.cards{display:flex;flex-wrap:wrap;gap:8px}.card{border:1px solid #ddd;border-radius:4px;
padding:8px 12px;min-width:120px}.card b{display:block;font-size:18px;color:#b22222}
table{border-collapse:collapse;width:100%;margin:6px 0}td,th{border:1px solid #ccc;
padding:3px 6px;text-align:left}th{background:#f4eeee}td.num{text-align:right}
.hash{font-family:monospace;font-size:10px;word-break:break-all}figure{margin:6px 0}
section{break-inside:avoid}.muted{color:#777}
@page{size:A4;margin:14mm}
)";

}  // namespace

std::string RenderInspectionReport(const InspectionData& data) {
  const v1::OrganizationFigures& root = data.figures.organization();
  const v1::CategoryFigures all =
      root.categories_size() > 0 ? root.categories(0) : v1::CategoryFigures();
  std::string html =
      absl::StrCat("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>",
                   Escape(data.organization), " 党员教育培训情况报告</title><style>", kStyle,
                   "</style></head><body><h1>", Escape(data.organization),
                   " 党员教育培训情况报告</h1><p>", "统计期间 ", Escape(data.period), "，截至 ",
                   Figure("as_of", Day(data.figures.stamp().as_of())), "，数据接收截至 ",
                   Escape(Time(data.figures.stamp().received_by())), "（北京时间）</p>");

  // Headline figures.
  absl::StrAppend(&html, "<section><h2>一、总体情况</h2><div class=\"cards\">",
                  "<div class=\"card\">党员<b>", Figure("members", absl::StrCat(all.members())),
                  "</b></div>", "<div class=\"card\">纳入计划<b>",
                  Figure("members_in_plans", absl::StrCat(all.members_in_plans())),
                  "</b></div><div class=\"card\">覆盖面（学时达标）<b>",
                  Figure("coverage", Percent(all.coverage_permille())), "</b></div>",
                  "<div class=\"card\">必修课程完成率<b>",
                  Figure("completion", Percent(all.completion_permille())),
                  "</b></div><div class=\"card\">按进度<b>",
                  Figure("on_track", Percent(all.on_track_permille())),
                  "</b></div><div class=\"card\">已获学时 / 要求学时<b>",
                  Figure("hours_credited", Hours(all.hours_credited().hundredths())), " / ",
                  Figure("hours_required", Hours(all.hours_required().hundredths())),
                  "</b></div><div class=\"card\">未学习人数<b>",
                  Figure("members_without_study", absl::StrCat(all.members_without_study())),
                  "</b></div><div class=\"card\">有效学习时长（小时）<b>",
                  Figure("study_hours", Hours(all.effective_study_seconds() / 36)),
                  "</b></div></div></section>");

  // By child organisation.
  std::vector<Bar> children;
  std::string child_rows;
  for (const v1::OrganizationFigures& child : data.figures.children()) {
    if (child.categories_size() == 0) continue;
    const v1::CategoryFigures& f = child.categories(0);
    children.push_back(
        {child.name(),
         {f.coverage_permille() / 10.0, f.completion_permille() / 10.0},
         absl::StrCat(Percent(f.coverage_permille()), " / ", Percent(f.completion_permille()))});
    absl::StrAppend(
        &child_rows, "<tr data-child=\"", child.organization_id(), "\"><td>", Escape(child.name()),
        "</td><td class=\"num\">", f.members(), "</td><td class=\"num\">",
        Percent(f.coverage_permille()), "</td><td class=\"num\">", Percent(f.completion_permille()),
        "</td><td class=\"num\">", Hours(f.hours_credited().hundredths()), "</td></tr>");
  }
  absl::StrAppend(&html, "<section><h2>二、各下级组织完成情况</h2>",
                  HorizontalBars("children", children, 100, {"覆盖面 %", "必修完成率 %"}),
                  "<table><tr><th>组织</th><th>党员</th><th>覆盖面</th><th>完成率</th>"
                  "<th>已获学时</th></tr>",
                  child_rows, "</table></section>");

  // Hours distribution.
  std::vector<Bar> buckets;
  for (const v1::HoursBucket& bucket : data.distribution.buckets()) {
    const std::string label = bucket.to_percent() == 0 ? std::string("已达标")
                                                       : absl::StrCat(bucket.from_percent(), "–",
                                                                      bucket.to_percent(), "%");
    buckets.push_back(
        {label, {static_cast<double>(bucket.members())}, absl::StrCat(bucket.members())});
  }
  absl::StrAppend(&html, "<section><h2>三、学时分布（已获学时占要求学时）</h2>",
                  Columns("hours_distribution", buckets), "<p class=\"muted\">无学时要求的党员 ",
                  Figure("members_without_requirement",
                         absl::StrCat(data.distribution.members_without_requirement())),
                  " 人</p></section>");

  // Monthly trend.
  std::vector<Bar> months;
  for (const v1::MonthFigures& month : data.trend.months()) {
    months.push_back({absl::StrCat(month.month(), "月"),
                      {month.hours_credited().hundredths() / 100.0},
                      Hours(month.hours_credited().hundredths())});
  }
  std::string month_rows;
  for (const v1::MonthFigures& month : data.trend.months()) {
    absl::StrAppend(&month_rows, "<tr><td>", month.month(), "月</td><td class=\"num\">",
                    Hours(month.hours_credited().hundredths()), "</td><td class=\"num\">",
                    month.completions(), "</td><td class=\"num\">", month.active_members(),
                    "</td></tr>");
  }
  absl::StrAppend(&html, "<section><h2>四、月度趋势（已获学时）</h2>",
                  Columns("monthly_trend", months),
                  "<table><tr><th>月份</th><th>已获学时</th><th>完成课程</th><th>活跃党员</th>"
                  "</tr>",
                  month_rows, "</table></section>");

  // Organisational life.
  std::vector<Bar> kinds;
  std::string kind_rows;
  double kind_max = 1;
  for (const v1::ActivityKindFigures& kind : data.activities.kinds()) {
    kind_max = std::max(
        {kind_max, static_cast<double>(kind.held()), static_cast<double>(kind.expected_by_date())});
    kinds.push_back(
        {ActivityKindName(kind.kind()),
         {static_cast<double>(kind.held()), static_cast<double>(kind.expected_by_date())},
         absl::StrCat(kind.held(), " / ", kind.expected_by_date())});
    absl::StrAppend(&kind_rows, "<tr><td>", ActivityKindName(kind.kind()),
                    "</td><td class=\"num\">", kind.held(), "</td><td class=\"num\">",
                    kind.expected_by_date(), "</td><td class=\"num\">", kind.expected_for_year(),
                    "</td><td class=\"num\">", kind.organizations_behind(),
                    "</td><td class=\"num\">", Percent(kind.attendance_permille()), "</td></tr>");
  }
  absl::StrAppend(&html, "<section><h2>五、组织生活（对照规定频次）</h2>",
                  HorizontalBars("activities", kinds, kind_max, {"已开展", "应开展（截至日期）"}),
                  "<table><tr><th>类型</th><th>已开展</th><th>应开展（截至日期）</th>"
                  "<th>全年应开展</th><th>未达频次组织</th><th>出勤率</th></tr>",
                  kind_rows, "</table></section>");

  // Weakest topics.
  std::vector<Bar> topics;
  for (const v1::ContentCategoryFigures& topic : data.assessment.content_categories()) {
    topics.push_back(
        {ContentCategoryName(topic.content_category()),
         {topic.right_permille() / 10.0},
         absl::StrCat(Percent(topic.right_permille()), "（", topic.answered(), " 题次）")});
  }
  std::string missed_rows;
  for (const v1::MissedQuestion& question : data.assessment.most_missed()) {
    absl::StrAppend(&missed_rows, "<tr><td>", Escape(question.stem()), "</td><td class=\"num\">",
                    question.answered(), "</td><td class=\"num\">",
                    Percent(question.right_permille()), "</td></tr>");
  }
  absl::StrAppend(&html, "<section><h2>六、薄弱知识点（测试正确率）</h2><p>测试 ",
                  Figure("attempts", absl::StrCat(data.assessment.attempts())), " 人次，通过率 ",
                  Figure("pass_rate", Percent(data.assessment.pass_permille())), "</p>",
                  HorizontalBars("weakest_topics", topics, 100, {"正确率 %"}),
                  "<table><tr><th>错误最多的题目</th><th>作答</th><th>正确率</th></tr>",
                  missed_rows, "</table></section>");

  // Members behind.
  std::string behind_rows;
  for (const v1::MemberBehind& member : data.behind.members()) {
    absl::StrAppend(&behind_rows, "<tr><td>", Escape(member.member_number()), "</td><td>",
                    Escape(member.name()), "</td><td>", Escape(member.organization_name()),
                    "</td><td class=\"num\">", Hours(member.hours_credited().hundredths()),
                    "</td><td class=\"num\">", Hours(member.hours_expected().hundredths()),
                    "</td><td class=\"num\">", Hours(member.shortfall().hundredths()),
                    "</td><td class=\"num\">", member.overdue_courses(), "</td></tr>");
  }
  absl::StrAppend(&html, "<section><h2>七、学习滞后党员</h2><p>共 ",
                  Figure("members_behind", absl::StrCat(data.behind.total())),
                  " 人，列出差距最大的 ", data.behind.members_size(), " 人。</p>",
                  "<table><tr><th>党员编号</th><th>姓名</th><th>所在组织</th><th>已获学时</th>"
                  "<th>应达学时</th><th>差距</th><th>逾期课程</th></tr>",
                  behind_rows, "</table></section>");

  // The stamps.
  absl::StrAppend(
      &html,
      "<section><h2>数据来源与可复核信息</h2><table><tr><th>部分</th><th>截至</th>"
      "<th>数据接收截至</th><th>来源</th><th>规则版本（设置 / 计划）</th>"
      "<th>数据指纹 SHA-256</th></tr>",
      StampRow("总体与下级组织", data.figures.stamp()),
      StampRow("学时分布", data.distribution.stamp()), StampRow("月度趋势", data.trend.stamp()),
      StampRow("组织生活", data.activities.stamp()), StampRow("测试", data.assessment.stamp()),
      StampRow("学习滞后党员", data.behind.stamp()),
      "</table><p class=\"muted\">以相同的“截至”与“数据接收截至”重新统计，"
      "所得数据与指纹相同。</p></section></body></html>\n");
  return html;
}

}  // namespace lms::admin

#!/usr/bin/python3
"""Writes the demo question bank as a CSV for `lms-admin import-questions` (Chinese
headings, as an admin's spreadsheet would have them): 112 questions over the eight content
categories. Each fact below gives a fill-in question, a single-choice question (the fact's
answer among its distractors) and a true/false statement (every other one false, with a
distractor put in); each category adds two multiple-choice questions.

    /usr/bin/python3 deploy/demo/make_questions.py > var/demo_questions.csv
"""
import csv
import sys

# (category, [(stem with （　）, answer, [three distractors], explanation)], multiple choice)
BANK = [
    ("政治理论教育", [
        ("马克思主义中国化时代化的最新成果是（　）。", "习近平新时代中国特色社会主义思想",
         ["邓小平理论", "“三个代表”重要思想", "科学发展观"], "党的十九大确立。"),
        ("《共产党宣言》发表于（　）年。", "1848", ["1845", "1867", "1917"],
         "马克思、恩格斯著，1848年2月发表。"),
        ("辩证唯物主义认为，世界的本原是（　）。", "物质", ["意识", "精神", "观念"],
         "物质第一性，意识第二性。"),
        ("实践是检验（　）的唯一标准。", "真理", ["理论", "政策", "道德"], "1978年真理标准问题大讨论。"),
    ], ("马克思主义的基本立场、观点和方法包括（　）。", ["人民立场", "辩证唯物主义和历史唯物主义观点",
                                          "实事求是的方法", "唯心主义方法"], "ABC")),
    ("政治教育和政治训练", [
        ("党员要增强“四个意识”，其中居于首位的是（　）意识。", "政治", ["大局", "核心", "看齐"],
         "政治意识是第一位的。"),
        ("“两个维护”指坚决维护习近平总书记党中央的核心、全党的核心地位，坚决维护党中央（　）。",
         "权威和集中统一领导", ["各项决策部署", "基层组织建设", "干部队伍稳定"], "党的政治建设的首要任务。"),
        ("党的政治建设是党的（　）建设。", "根本性", ["基础性", "长期性", "阶段性"], "十九大报告提出。"),
        ("党内政治生活的重要内容是开展批评和（　）。", "自我批评", ["表扬", "谈心谈话", "民主评议"],
         "批评和自我批评是党的优良作风。"),
    ], ("党员应当坚定的“四个自信”包括（　）。", ["道路自信", "理论自信", "制度自信", "文化自信"],
        "ABCD")),
    ("党章教育", [
        ("党的最高理想和最终目标是实现（　）。", "共产主义", ["全面小康", "现代化", "民族复兴"],
         "党章总纲。"),
        ("预备党员的预备期为（　）年。", "一", ["半", "两", "三"], "党章第七条。"),
        ("党的组织原则是（　）。", "民主集中制", ["集体领导", "个人分工负责", "少数服从多数"],
         "党章第十条。"),
        ("党员如果没有正当理由，连续（　）个月不参加党的组织生活，被认为是自行脱党。", "六",
         ["三", "十二", "两"], "党章第九条。"),
    ], ("党员的义务包括（　）。", ["认真学习党的理论", "坚决执行党的决定", "密切联系群众",
                            "只对上级负责"], "ABC")),
    ("党规党纪教育", [
        ("党的纪律处分有警告、严重警告、撤销党内职务、留党察看和（　）五种。", "开除党籍",
         ["降级", "免职", "记过"], "《中国共产党纪律处分条例》。"),
        ("留党察看最长不超过（　）年。", "两", ["一", "三", "五"], "党章第四十条。"),
        ("党的纪律中，（　）纪律是最重要、最根本、最关键的纪律。", "政治", ["组织", "廉洁", "工作"],
         "严明政治纪律是全面从严治党的首要任务。"),
        ("中央八项规定出台于（　）年。", "2012", ["2010", "2014", "2016"], "2012年12月中央政治局会议审议通过。"),
    ], ("党的“六大纪律”包括（　）。", ["政治纪律", "组织纪律", "廉洁纪律", "财经纪律"], "ABC")),
    ("党的宗旨教育", [
        ("党的根本宗旨是全心全意为人民（　）。", "服务", ["谋福利", "办实事", "谋幸福"],
         "党章总纲。"),
        ("党的群众路线是一切为了群众，一切依靠群众，从群众中来，到（　）中去。", "群众",
         ["基层", "实践", "人民"], "党的根本工作路线。"),
        ("党的最大政治优势是密切联系（　）。", "群众", ["实际", "基层", "党员"],
         "脱离群众是党执政后的最大危险。"),
        ("我们党的初心和使命是为中国人民谋幸福，为中华民族谋（　）。", "复兴", ["发展", "繁荣", "富强"],
         "十九大报告。"),
    ], ("践行党的宗旨，党员应当（　）。", ["密切联系群众", "维护群众利益", "为群众办实事",
                                 "脱离群众搞特殊"], "ABC")),
    ("革命传统教育", [
        ("中国共产党第一次全国代表大会于1921年在上海和浙江（　）召开。", "嘉兴", ["杭州", "宁波", "绍兴"],
         "会议最后在嘉兴南湖红船上闭幕。"),
        ("确立毛泽东同志在党中央和红军中领导地位的会议是（　）会议。", "遵义", ["古田", "八七", "瓦窑堡"],
         "1935年1月召开。"),
        ("红军长征胜利结束于（　）年。", "1936", ["1934", "1935", "1937"], "1936年10月三大主力会师。"),
        ("中华人民共和国成立于（　）年。", "1949", ["1945", "1947", "1950"], "1949年10月1日。"),
    ], ("伟大建党精神的内涵包括（　）。", ["坚持真理、坚守理想", "践行初心、担当使命",
                                 "不怕牺牲、英勇斗争", "对党忠诚、不负人民"], "ABCD")),
    ("形势政策教育", [
        ("全面建成小康社会的目标于（　）年实现。", "2020", ["2018", "2021", "2025"], "第一个百年奋斗目标。"),
        ("新发展理念是创新、协调、绿色、开放、（　）。", "共享", ["共赢", "公平", "安全"], "十八届五中全会提出。"),
        ("到本世纪中叶，我国要建成富强民主文明和谐美丽的社会主义现代化（　）。", "强国",
         ["国家", "社会", "大国"], "第二个百年奋斗目标。"),
        ("高质量发展是全面建设社会主义现代化国家的（　）任务。", "首要", ["重要", "根本", "长期"],
         "二十大报告。"),
    ], ("新发展理念包括（　）。", ["创新", "协调", "绿色", "垄断"], "ABC")),
    ("知识技能教育", [
        ("安全生产方针是安全第一、预防为主、（　）。", "综合治理", ["全员参与", "标本兼治", "依法治理"],
         "《安全生产法》第三条。"),
        ("发现火情，报警电话是（　）。", "119", ["110", "120", "122"], "火警电话。"),
        ("特种作业人员必须经专门的安全技术培训并考核合格，取得（　）后方可上岗。", "特种作业操作证",
         ["学历证书", "职称证书", "健康证明"], "《安全生产法》。"),
        ("设备检修前必须执行停电、验电、（　）、悬挂标示牌和装设遮栏。", "装设接地线",
         ["通知调度", "清点工具", "填写日志"], "电气安全技术措施。"),
    ], ("生产现场“三违”是指（　）。", ["违章指挥", "违章作业", "违反劳动纪律", "违反交通规则"], "ABC")),
]

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "内容类别", "难度",
          "标签", "编码"]


def main():
    out = csv.writer(sys.stdout)
    out.writerow(HEADER)
    for c, (category, facts, multiple) in enumerate(BANK, start=1):
        for f, (stem, answer, distractors, explanation) in enumerate(facts, start=1):
            code = f"DEMO-{c}-{f}"
            difficulty = str(1 + (c + f) % 5)
            out.writerow(["填空", stem, "", "", "", "", answer, explanation, category, difficulty,
                          "演示题库", code + "-T"])
            options = [answer] + distractors
            turn = (c + f) % 4
            options = options[turn:] + options[:turn]
            letter = "ABCD"[options.index(answer)]
            out.writerow(["单选", stem] + options + [letter, explanation, category, difficulty,
                                                    "演示题库", code + "-S"])
            wrong = f % 2 == 0
            statement = stem.replace("（　）", distractors[0] if wrong else answer)
            out.writerow(["判断", statement, "", "", "", "", "错" if wrong else "对", explanation,
                          category, difficulty, "演示题库", code + "-J"])
        stem, options, letters = multiple
        out.writerow(["多选", stem] + options + [letters, "", category, "3", "演示题库",
                                                f"DEMO-{c}-M"])
    # A second multiple-choice question per category, on the same options in another order,
    # so random papers have enough of each type.
    for c, (category, _, multiple) in enumerate(BANK, start=1):
        stem, options, letters = multiple
        reordered = options[::-1]
        new_letters = "".join(sorted("ABCD"[3 - "ABCD".index(l)] for l in letters))
        out.writerow(["多选", "（复习）" + stem] + reordered + [new_letters, "", category, "4",
                                                         "演示题库", f"DEMO-{c}-M2"])


if __name__ == "__main__":
    main()

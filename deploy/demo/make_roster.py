#!/usr/bin/python3
"""Writes a realistic demo roster CSV for `lms-admin import` (deterministic for a seed).

    /usr/bin/python3 deploy/demo/make_roster.py > var/demo_roster.csv            # ~500 members
    /usr/bin/python3 deploy/demo/make_roster.py --members 100000 > /tmp/big.csv  # benchmark

The tree: 公司党委 (ROOT, created by deploy/site/root_organization.sql) -> 4 general branches -> 20 branches ->
2 Party groups each (more branches for large rosters). Members 10001 (branch secretary of
一车间党支部, SC-01) and 10002 (王建国, a member there) are the demo accounts.
"""
import argparse
import csv
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰建国志文斌海波宁辉鹏飞云峰燕雪梅琳晶亮成浩宇婷丹晨阳欣怡子轩梓涵一诺"
GENERAL_BRANCHES = [("JG", "机关党总支"), ("SC", "生产运行党总支"), ("JX", "检修维护党总支"),
                    ("LT", "离退休党总支")]
BRANCH_NAMES = {
    "JG": ["机关第一党支部", "机关第二党支部", "财务资产党支部", "人力资源党支部", "党群工作党支部"],
    "SC": ["一车间党支部", "二车间党支部", "三车间党支部", "调度中心党支部", "质检中心党支部",
           "储运车间党支部"],
    "JX": ["电气检修党支部", "机械检修党支部", "仪表自动化党支部", "设备管理党支部"],
    "LT": ["离休干部党支部", "退休职工第一党支部", "退休职工第二党支部", "退休职工第三党支部",
           "退休职工第四党支部"],
}
HEADER = ["type", "code", "name", "kind", "parent_code", "member_number", "phone",
          "organization_code", "categories", "join_date", "status"]


def branches(count):
    """(code, name, general branch code) for `count` branches, the named ones first."""
    named = [(f"{gb}-{i + 1:02d}", name, gb) for gb, _ in GENERAL_BRANCHES
             for i, name in enumerate(BRANCH_NAMES[gb])]
    extra = [(f"SC-{i + 1:02d}", f"生产{i + 1}号党支部", "SC") for i in range(len(named), count)]
    return (named + extra)[:max(count, len(named))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(HEADER)
    for code, name in GENERAL_BRANCHES:
        out.writerow(["organization", code, name, "general_branch", "ROOT"] + [""] * 6)
    branch_list = branches(max(20, args.members // 50))
    groups = []
    for code, name, parent in branch_list:
        out.writerow(["organization", code, name, "branch", parent] + [""] * 6)
        for g in (1, 2):
            groups.append((f"{code}-G{g}", parent))
            out.writerow(["organization", f"{code}-G{g}", f"{name}第{g}党小组", "group", code]
                         + [""] * 6)
    out.writerow(["member", "", "李书记", "", "", "10001", "13800010001", "SC-01",
                  "ordinary;branch_secretary", "2003-07-01", ""])
    out.writerow(["member", "", "王建国", "", "", "10002", "13800010002", "SC-01-G1", "ordinary",
                  "2012-07-01", ""])
    secretaries = {"SC-01"}  # 10001 is its secretary
    for i in range(args.members - 2):
        number = str(20001 + i)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        group, general = rng.choice(groups)
        branch = group.rsplit("-G", 1)[0]
        categories = ["ordinary"]
        if general == "LT":
            categories = ["retired"]
        elif rng.random() < 0.08:
            categories = ["probationary"]
        if branch not in secretaries and general != "LT":
            secretaries.add(branch)
            categories.append("branch_secretary")
        if rng.random() < 0.05 and general != "LT":
            categories.append("leading_cadre")
        if rng.random() < 0.05:
            categories.append("mobile")
        year = rng.randint(1965, 2000) if general == "LT" else rng.randint(1995, 2025)
        join = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"139{i:08d}" if rng.random() < 0.9 else ""
        out.writerow(["member", "", name, "", "", number, phone, group, ";".join(categories),
                      join, ""])


if __name__ == "__main__":
    main()

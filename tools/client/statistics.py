#!/usr/bin/python3
"""Statistics on the demo site through the real gRPC API: first the year's offline
training the committee records by hand (the Party school's sessions and the spring and
autumn study camps, 2 to 12 hours at a time, for most members, some more than others), so
the figures have something to count; then what the committee's and the branch's admins
see: the organisation figures with drill-down and categories, the ranking of general
branches, the members falling behind, the escalation view, the monthly trend, course
and test figures, and last month's frozen snapshot when there is one.

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/statistics.py            # after deploy/run.sh
    /usr/bin/python3 tools/client/statistics.py --report   # the figures only

Request ids are derived from the member and the session, so running it twice credits
nothing twice.
"""
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_client import parse_args, sign_in  # noqa: E402

import grpc  # noqa: E402
from lms.v1 import common_pb2, organization_pb2, organization_pb2_grpc  # noqa: E402
from lms.v1 import progress_pb2, progress_pb2_grpc, statistics_pb2  # noqa: E402
from lms.v1 import statistics_pb2_grpc  # noqa: E402

CHINA = datetime.timezone(datetime.timedelta(hours=8))
S = statistics_pb2


def hours(h):
    return f"{h.hundredths / 100:.1f} h"


def permille(p):
    return f"{p / 10:.1f}%"


def all_members(organizations, metadata, root_id):
    ids, token = [], ""
    while True:
        page = organizations.ListMembers(organization_pb2.ListMembersRequest(
            organization_id=root_id, page_size=100, page_token=token),
            metadata=metadata, timeout=30)
        ids += [m.id for m in page.members if m.status == organization_pb2.MEMBER_STATUS_ACTIVE]
        token = page.next_page_token
        if not token:
            return ids


def record_offline_training(channel, metadata, root_id, today):
    """The year's offline sessions, credited by hand: 2-12 h each, up to today."""
    organizations = organization_pb2_grpc.OrganizationServiceStub(channel)
    progress = progress_pb2_grpc.ProgressServiceStub(channel)
    rng = random.Random(2026)
    sessions = [(3, 15, "党校春季轮训"), (5, 20, "“学党章守党规”专题学习"),
                (7, 1, "“七一”专题党课"), (9, 18, "党校秋季轮训"), (11, 10, "形势政策报告会")]
    granted = 0
    for member_id in all_members(organizations, metadata, root_id):
        # Some keep up, some fall behind, a few have nothing recorded yet.
        diligence = rng.random()
        for month, day, title in sessions:
            when = datetime.date(today.year, month, day)
            if when > today or rng.random() > diligence:
                continue
            request = progress_pb2.GrantHoursCreditRequest(
                request_id=f"demo-offline-{member_id}-{month}", member_id=member_id,
                hours=common_pb2.StudyHours(hundredths=rng.choice([200, 400, 600, 800, 1200])),
                happen_date=common_pb2.Date(year=when.year, month=when.month, day=when.day),
                content_category=common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY, title=title,
                reason="线下集中培训，据签到表补录")
            progress.GrantHoursCredit(request, metadata=metadata, timeout=30)
            granted += 1
    return granted


def print_figures(report, label):
    stamp = report.stamp
    print(f"\n{label}: as of {stamp.as_of.year}-{stamp.as_of.month:02d}-{stamp.as_of.day:02d}, "
          f"source {S.ReportStamp.Source.Name(stamp.source)}, lag {stamp.rollup_lag_ms} ms, "
          f"hash {stamp.figures_hash[:16]}…")
    rows = [report.organization] + list(report.children)
    print(f"  {'organisation':<16} {'members':>7} {'coverage':>9} {'on track':>9} "
          f"{'completion':>10} {'hours':>18} {'no study':>8}")
    for row in rows:
        f = row.categories[0]
        print(f"  {row.name:<16} {f.members:>7} {permille(f.coverage_permille):>9} "
              f"{permille(f.on_track_permille):>9} {permille(f.completion_permille):>10} "
              f"{hours(f.hours_credited):>8} / {hours(f.hours_required):>8} "
              f"{f.members_without_study:>8}")
    for f in report.organization.categories[1:]:
        print(f"    {common_pb2.MemberCategory.Name(f.category):<34} {f.members:>5} members, "
              f"coverage {permille(f.coverage_permille)}")


def print_behind(behind, where):
    print(f"\n{behind.total} members behind {where}, the furthest first:")
    for m in behind.members:
        print(f"  {m.name:<6} {m.member_number:<7} {m.organization_name:<12} "
              f"{S.BehindReason.Name(m.reason):<32} {hours(m.hours_credited)} of "
              f"{hours(m.hours_expected)} expected by now (short {hours(m.shortfall)})")


def report(channel, metadata, root_id, branch_id, branch_metadata, today):
    stats = statistics_pb2_grpc.StatisticsServiceStub(channel)
    year = today.year

    def scope(organization_id):
        return S.StatisticsScope(organization_id=organization_id, year=year)

    print_figures(stats.GetOrganizationStatistics(
        S.GetOrganizationStatisticsRequest(scope=scope(root_id)), metadata=metadata, timeout=60),
        "公司党委")
    ranking = stats.RankChildOrganizations(
        S.RankChildOrganizationsRequest(scope=scope(root_id), count=3), metadata=metadata,
        timeout=60)
    print("\n红黑榜 (coverage, then completion): best "
          + ", ".join(f"{r.rank}. {r.name} {permille(r.coverage_permille)}" for r in ranking.best)
          + "; worst " + ", ".join(f"{r.rank}. {r.name} {permille(r.coverage_permille)}"
                                   for r in ranking.worst))
    escalation = stats.GetEscalation(S.GetEscalationRequest(scope=scope(root_id)),
                                     metadata=metadata, timeout=60)
    print("\nWho must chase whom:")
    for row in escalation.rows:
        admins = "、".join(row.admin_names) or "(no admin)"
        print(f"  {row.name:<16} {row.members_behind:>4} behind, {row.members_overdue:>4} overdue"
              f" — {admins}")
    print_behind(stats.ListMembersBehind(
        S.ListMembersBehindRequest(scope=scope(root_id), page_size=5), metadata=metadata,
        timeout=60), "in the committee")
    trend = stats.GetMonthlyTrend(S.GetMonthlyTrendRequest(scope=scope(root_id)),
                                  metadata=metadata, timeout=60)
    print("\nMonth by month: " + "  ".join(
        f"{m.month}月 {hours(m.hours_credited)}/{m.active_members}人" for m in trend.months))
    courses = stats.ListCourseStatistics(
        S.ListCourseStatisticsRequest(scope=scope(root_id), page_size=5), metadata=metadata,
        timeout=60)
    print("\nCourses, most enrolled first:")
    for c in courses.courses:
        drop = f", most stop at 《{c.drop_off_lesson_title}》" if c.drop_off_lesson_id else ""
        print(f"  {c.title}: {c.enrolled} enrolled, {c.started} started, {c.completed} completed"
              f"{drop}")
    tests = stats.GetAssessmentStatistics(S.GetAssessmentStatisticsRequest(scope=scope(root_id)),
                                          metadata=metadata, timeout=60)
    print(f"\nTests: {tests.attempts} attempts by {tests.members_attempted} members, "
          f"{permille(tests.pass_permille)} passed")

    print_figures(stats.GetOrganizationStatistics(
        S.GetOrganizationStatisticsRequest(scope=scope(branch_id)), metadata=branch_metadata,
        timeout=60), "一车间党支部 (its own admin)")
    print_behind(stats.ListMembersBehind(
        S.ListMembersBehindRequest(scope=scope(branch_id), page_size=5),
        metadata=branch_metadata, timeout=60), "in the branch")
    last = (today.replace(day=1) - datetime.timedelta(days=1))
    try:
        snapshot = stats.GetMonthSnapshot(
            S.GetMonthSnapshotRequest(organization_id=root_id, year=last.year, month=last.month),
            metadata=metadata, timeout=60)
        print_figures(snapshot, f"公司党委, the frozen snapshot of {last.year}-{last.month:02d}")
    except grpc.RpcError as error:
        print(f"\nSnapshot of {last.year}-{last.month:02d}: {error.details()}")


def main():
    report_only = "--report" in sys.argv
    if report_only:
        sys.argv.remove("--report")
    args = parse_args(__doc__)
    today = datetime.datetime.now(CHINA).date()
    with grpc.insecure_channel(args.address) as channel:
        _, metadata = sign_in(channel, args.admin, args.password, common_pb2.ROLE_SYSTEM_ADMIN)
        organizations = organization_pb2_grpc.OrganizationServiceStub(channel)
        listing = organizations.ListOrganizations(
            organization_pb2.ListOrganizationsRequest(recursive=True, page_size=100),
            metadata=metadata, timeout=30)
        by_code = {o.code: o for o in listing.organizations}
        root_id, branch_id = by_code["JG"].parent_id, by_code["SC-01"].id
        if not report_only:
            granted = record_offline_training(channel, metadata, root_id, today)
            print(f"recorded {granted} offline training sessions; the statistics job picks "
                  "them up within seconds")
            time.sleep(7)
        _, branch_metadata = sign_in(channel, "10001", "Branch-2026-demo",
                                     common_pb2.ROLE_ORG_ADMIN)
        report(channel, metadata, root_id, branch_id, branch_metadata, today)


if __name__ == "__main__":
    main()

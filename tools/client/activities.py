#!/usr/bin/python3
"""Puts a year of organisational life (三会一课) into the demo site through the real gRPC
API, as the branch's admin would: for 一车间党支部 and its two Party groups, the last twelve
months of theme Party days, committee and group meetings, quarterly general meetings and
Party lectures (one quarter's lecture missed, so the branch shows behind), and the year's
organisational life meeting; each with its attendance taken from the paper sign-in sheet
(the demo member 王建国 at most of them) and closed, which credits the hours. Then the
coming week's theme Party day, and a training class whose seats run out (a waitlist).

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/activities.py      # after deploy/run.sh imported the roster

Request ids are derived from what is created, so running it twice creates nothing twice.
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_client import parse_args, sign_in  # noqa: E402

import grpc  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402
from lms.v1 import activity_pb2, activity_pb2_grpc, common_pb2  # noqa: E402
from lms.v1 import organization_pb2  # noqa: E402
from lms.v1 import organization_pb2_grpc, progress_pb2, progress_pb2_grpc  # noqa: E402

CHINA = datetime.timezone(datetime.timedelta(hours=8))
A = activity_pb2


def stamp(when):
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when.astimezone(datetime.timezone.utc))
    return ts


def members_of(organizations, metadata, organization_id):
    ids, token = [], ""
    while True:
        page = organizations.ListMembers(organization_pb2.ListMembersRequest(
            organization_id=organization_id, page_size=100, page_token=token),
            metadata=metadata, timeout=10)
        ids += [m.id for m in page.members]
        token = page.next_page_token
        if not token:
            return ids


def month_start(today, months_back):
    year, month = today.year, today.month - months_back
    while month <= 0:
        year, month = year - 1, month + 12
    return year, month


def main():
    args = parse_args()
    with grpc.insecure_channel(args.address) as channel:
        _, admin = sign_in(channel, args.admin, args.password, common_pb2.ROLE_SYSTEM_ADMIN)
        member_session, _ = sign_in(channel, "10002", "Member-2026-demo")
        demo_member = member_session.caller.member_id
        organizations = organization_pb2_grpc.OrganizationServiceStub(channel)
        activities = activity_pb2_grpc.ActivityServiceStub(channel)
        group = organizations.GetOrganization(organization_pb2.GetOrganizationRequest(
            organization_id=member_session.caller.organization_id), metadata=admin, timeout=10)
        branch = group.parent_id
        groups = [o.id for o in organizations.ListOrganizations(
            organization_pb2.ListOrganizationsRequest(parent_id=branch, page_size=100),
            metadata=admin, timeout=10).organizations]
        everyone = members_of(organizations, admin, branch)
        committee = [m.id for m in organizations.ListMembers(organization_pb2.ListMembersRequest(
            organization_id=branch, category=common_pb2.MEMBER_CATEGORY_BRANCH_SECRETARY,
            page_size=100), metadata=admin, timeout=10).members]
        group_members = {g: members_of(organizations, admin, g) for g in groups}

        def hold(key, organization, kind, title, category, start, hours=2, makeup=0,
                 categories=(), present=None, excused=()):
            activity = A.Activity(
                organization_id=organization, kind=kind, title=title, content_category=category,
                location="一车间三楼党员活动室", start_time=stamp(start),
                end_time=stamp(start + datetime.timedelta(hours=hours)),
                makeup_course_id=makeup,
                targets=A.ActivityTargets(member_categories=list(categories)))
            created = activities.CreateActivity(A.CreateActivityRequest(
                request_id=f"demo-activity-{key}", activity=activity), metadata=admin, timeout=10)
            if created.state == A.ACTIVITY_STATE_CLOSED:
                return created
            if present:
                activities.RecordAttendance(A.RecordAttendanceRequest(
                    request_id=f"demo-present-{key}", activity_id=created.id,
                    member_ids=present, status=A.ATTENDANCE_STATUS_PRESENT,
                    reason="纸质签到表补录"), metadata=admin, timeout=30)
            if excused:
                activities.RecordAttendance(A.RecordAttendanceRequest(
                    request_id=f"demo-excused-{key}", activity_id=created.id,
                    member_ids=list(excused), status=A.ATTENDANCE_STATUS_EXCUSED,
                    reason="倒班请假"), metadata=admin, timeout=30)
            return activities.CloseActivity(A.CloseActivityRequest(
                request_id=f"demo-close-{key}", activity_id=created.id,
                expected_version=created.version), metadata=admin, timeout=60)

        today = datetime.datetime.now(CHINA)
        held = 0
        for back in range(12, 0, -1):
            year, month = month_start(today, back)
            at = lambda day, hour: datetime.datetime(year, month, day, hour, tzinfo=CHINA)  # noqa
            # Most of the branch comes; one in ten works the shift and is excused.
            here = [m for i, m in enumerate(everyone) if (i + month) % 10 != 0]
            away = [m for m in everyone if m not in here and m != demo_member][:2]
            if demo_member not in here:
                here.append(demo_member)
            hold(f"theme-{year}-{month}", branch, A.ACTIVITY_KIND_THEME_PARTY_DAY,
                 f"{month}月主题党日：重温入党誓词", common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION,
                 at(8, 14), present=here, excused=away)
            hold(f"committee-{year}-{month}", branch, A.ACTIVITY_KIND_BRANCH_COMMITTEE_MEETING,
                 f"{month}月支委会", common_pb2.CONTENT_CATEGORY_POLITICAL_EDUCATION, at(5, 16),
                 hours=1, categories=[common_pb2.MEMBER_CATEGORY_BRANCH_SECRETARY],
                 present=committee)
            for g, people in group_members.items():
                if people:
                    hold(f"group-{g}-{year}-{month}", g, A.ACTIVITY_KIND_GROUP_MEETING,
                         f"{month}月党小组学习会", common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY,
                         at(15, 17), hours=1, present=people)
            if month % 3 == 0:
                hold(f"general-{year}-{month}", branch, A.ACTIVITY_KIND_BRANCH_GENERAL_MEETING,
                     f"第{month // 3}季度支部党员大会", common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION,
                     at(20, 14), present=here, excused=away)
                # One quarter's Party lecture was missed: the report shows the branch behind.
                if back > 3:
                    hold(f"lecture-{year}-{month}", branch, A.ACTIVITY_KIND_PARTY_LECTURE,
                         f"书记讲党课：{year}年第{month // 3}季度",
                         common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY, at(22, 9), hours=4,
                         makeup=1, present=here, excused=away)
            held += 1
        year, month = month_start(today, 2)
        hold(f"life-{year}", branch, A.ACTIVITY_KIND_ORGANIZATIONAL_LIFE_MEETING,
             f"{year}年度组织生活会", common_pb2.CONTENT_CATEGORY_RULES_AND_DISCIPLINE,
             datetime.datetime(year, month, 25, 14, tzinfo=CHINA), hours=3, present=everyone)

        # Next week's theme Party day, open for sign-in with the rotating code then.
        next_week = (today + datetime.timedelta(days=7)).replace(hour=14, minute=0, second=0,
                                                                  microsecond=0)
        activities.CreateActivity(A.CreateActivityRequest(
            request_id=f"demo-activity-next-{next_week:%Y%m%d}", activity=A.Activity(
                organization_id=branch, kind=A.ACTIVITY_KIND_THEME_PARTY_DAY,
                title="主题党日：学习新修订的《纪律处分条例》",
                content_category=common_pb2.CONTENT_CATEGORY_RULES_AND_DISCIPLINE,
                location="一车间三楼党员活动室", start_time=stamp(next_week),
                end_time=stamp(next_week + datetime.timedelta(hours=2)))),
            metadata=admin, timeout=10)
        # A two-day class with five seats and seven sign-ups: two wait in line.
        class_start = (today + datetime.timedelta(days=14)).replace(hour=8, minute=30, second=0,
                                                                     microsecond=0)
        training = activities.CreateActivity(A.CreateActivityRequest(
            request_id=f"demo-class-{class_start:%Y%m%d}", activity=A.Activity(
                organization_id=branch, kind=A.ACTIVITY_KIND_TRAINING_CLASS,
                title="入党积极分子及发展对象培训班",
                content_category=common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION,
                location="公司党校一号教室", start_time=stamp(class_start),
                end_time=stamp(class_start + datetime.timedelta(days=1, hours=9)),
                targets=A.ActivityTargets(include_subtree=True),
                training_class=A.TrainingClass(capacity=5))),
            metadata=admin, timeout=10)
        for n, member in enumerate(everyone[:7]):
            activities.SignUpForClass(A.SignUpForClassRequest(
                request_id=f"demo-seat-{training.id}-{member}", activity_id=training.id,
                member_id=member), metadata=admin, timeout=10)
        seats = activities.ListClassSeats(A.ListClassSeatsRequest(activity_id=training.id),
                                          metadata=admin, timeout=10)

        summary = progress_pb2_grpc.ProgressServiceStub(channel).GetHoursSummary(
            progress_pb2.GetHoursSummaryRequest(member_id=demo_member), metadata=admin,
            timeout=10)
        attendance = sum(s.hours.hundredths for s in summary.by_source
                         if s.source == progress_pb2.CREDIT_SOURCE_ATTENDANCE)
        print(f"activities: {held} months of organisational life for branch {branch}; "
              f"class {training.id}: {seats.seated_count} seated, {seats.waiting_count} waiting; "
              f"member 10002 this year: {summary.earned.hundredths / 100:.2f} h earned, "
              f"{attendance / 100:.2f} h from attendance")


if __name__ == "__main__":
    main()

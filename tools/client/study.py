#!/usr/bin/python3
"""Studies a course through the real gRPC API, as a phone would: one-minute heartbeats
(RecordProgress) lesson by lesson, spread over the last few days' shift breaks, then shows
the server's view: each lesson's coverage and credited time, completion, and the year's
hours (GetHoursSummary).

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/study.py --course 1               # demo member 10002
    /usr/bin/python3 tools/client/study.py --course 2 --lessons 2 --days-ago 2
                                                  # the first two lessons, on another day

Sending the same study twice changes nothing: event ids are derived from the member, the
lesson and the position, so a repeat comes back as duplicates.
"""
import argparse
import datetime
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))

import grpc  # noqa: E402
from google.protobuf import timestamp_pb2  # noqa: E402
from lms.v1 import course_pb2, course_pb2_grpc, identity_pb2, identity_pb2_grpc  # noqa: E402
from lms.v1 import progress_pb2, progress_pb2_grpc  # noqa: E402

HEARTBEAT = 60  # seconds of study per event


def stamp(when):
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(when)
    return ts


def segments(lesson):
    """(from, to, active seconds) stretches covering the whole lesson at a normal pace."""
    kind = lesson.WhichOneof("kind")
    if kind in ("video", "audio"):
        length = getattr(lesson, kind).duration_seconds
        return [(p, min(p + HEARTBEAT, length), min(HEARTBEAT, length - p))
                for p in range(0, length, HEARTBEAT)]
    if kind == "document":
        return [(page, page, 30) for page in range(1, lesson.document.page_count + 1)]
    # An article: in quarters, a minute each (enough for its reading time).
    return [(q * 250, (q + 1) * 250, HEARTBEAT) for q in range(4)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--login", default="10002", help="member number or phone")
    parser.add_argument("--password", default="Member-2026-demo")
    parser.add_argument("--course", type=int, required=True)
    parser.add_argument("--lessons", type=int, default=0, help="how many lessons (0: all)")
    parser.add_argument("--device", default="phone-demo")
    parser.add_argument("--days-ago", type=float, default=3,
                        help="when the study began (two courses at the same time count once)")
    args = parser.parse_args()
    with grpc.insecure_channel(args.address) as channel:
        session = identity_pb2_grpc.IdentityServiceStub(channel).SignIn(
            identity_pb2.SignInRequest(login=args.login, password=args.password), timeout=10)
        member = session.caller.member_id
        metadata = [("authorization", "Bearer " + session.access_token)]
        course = course_pb2_grpc.CourseServiceStub(channel).GetCourse(
            course_pb2.GetCourseRequest(course_id=args.course), metadata=metadata,
            timeout=5).course
        lessons = course.lessons[:args.lessons] if args.lessons else course.lessons
        # Shift breaks of the last days, by the device's clock (UTC here).
        now = datetime.datetime.now(datetime.timezone.utc)
        at = now - datetime.timedelta(days=args.days_ago)
        events = []
        for lesson in lessons:
            for n, (start, end, active) in enumerate(segments(lesson)):
                at += datetime.timedelta(seconds=active)
                events.append(progress_pb2.ProgressEvent(
                    event_id=f"demo-{member}-{lesson.id}-{n}", lesson_id=lesson.id,
                    occur_time=stamp(at), sent_time=stamp(now), from_position=start,
                    to_position=end, active_seconds=active, device_id=args.device,
                    sequence=lesson.id * 10000 + n + 1))
            at += datetime.timedelta(hours=7)  # the next break
        progress = progress_pb2_grpc.ProgressServiceStub(channel)
        reply = progress.RecordProgress(progress_pb2.RecordProgressRequest(events=events),
                                        metadata=metadata, timeout=30)
        outcomes = {}
        for result in reply.results:
            name = progress_pb2.EventOutcome.Name(result.outcome)
            outcomes[name] = outcomes.get(name, 0) + 1
        print(f"member {member}, course {course.id} {course.title}: {len(events)} events "
              f"{outcomes}")
        view = progress.GetCourseProgress(
            progress_pb2.GetCourseProgressRequest(course_id=course.id), metadata=metadata,
            timeout=5)
        for lesson in view.lessons:
            print(f"  lesson {lesson.lesson_id}: {lesson.covered_permille / 10:g}% covered, "
                  f"{lesson.credited_seconds // 60} min credited"
                  f"{', complete' if lesson.completed else ''}")
        print(f"  course {'complete' if view.completed else 'in progress'}, "
              f"{view.credited_hours.hundredths / 100:g} h credited")
        summary = progress.GetHoursSummary(progress_pb2.GetHoursSummaryRequest(),
                                           metadata=metadata, timeout=5)
        print(f"hours {summary.year}: {summary.earned.hundredths / 100:g} of "
              f"{summary.required.hundredths / 100:g} h, "
              f"{summary.effective_study_seconds // 60} min of study credited")


if __name__ == "__main__":
    main()

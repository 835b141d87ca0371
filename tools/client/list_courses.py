#!/usr/bin/python3
"""Lists the catalogue through the real gRPC API.

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/list_courses.py --query 党章      # signs in as demo member 10002
    /usr/bin/python3 tools/client/list_courses.py --login 10000 --password Admin-2026-demo
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))

import grpc  # noqa: E402
from lms.v1 import course_pb2, course_pb2_grpc, identity_pb2, identity_pb2_grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--login", default="10002", help="member number or phone")
    parser.add_argument("--password", default="Member-2026-demo")
    parser.add_argument("--token-file", help="use this access token instead of signing in")
    parser.add_argument("--query", default="")
    parser.add_argument("--page-size", type=int, default=5)
    args = parser.parse_args()
    with grpc.insecure_channel(args.address) as channel:
        if args.token_file:
            token = open(args.token_file).read().strip()
        else:
            session = identity_pb2_grpc.IdentityServiceStub(channel).SignIn(
                identity_pb2.SignInRequest(login=args.login, password=args.password), timeout=10)
            token = session.access_token
            print(f"signed in as {session.caller.display_name} (member {session.caller.member_id})")
        stub = course_pb2_grpc.CourseServiceStub(channel)
        metadata = [("authorization", "Bearer " + token)]
        page = stub.ListCourses(
            course_pb2.ListCoursesRequest(query=args.query, page_size=args.page_size),
            metadata=metadata, timeout=5)
        for course in page.courses:
            print(f"{course.id:4d}  {course.title}  ({course.study_hours.hundredths / 100:g} 学时, "
                  f"{course.lesson_count} lessons)")
        if page.courses:
            full = stub.GetCourse(course_pb2.GetCourseRequest(course_id=page.courses[0].id),
                                  metadata=metadata, timeout=5)
            for lesson in full.course.lessons:
                print(f"      - {lesson.title} [{lesson.WhichOneof('kind')}]")
        print("next_page_token:", page.next_page_token or "(last page)")


if __name__ == "__main__":
    main()

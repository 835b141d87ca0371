#!/usr/bin/python3
"""Shows "my learning" through the real gRPC API: open courses by urgency, and the year's
hours requirement with the plan that set it, and the hours earned so far.

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/my_learning.py                 # signs in as demo member 10002
    /usr/bin/python3 tools/client/my_learning.py --login 10000 --password Admin-2026-demo \\
        --member-id 3                                            # an admin looks at a member
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))

import grpc  # noqa: E402
from lms.v1 import enrollment_pb2, enrollment_pb2_grpc, identity_pb2, identity_pb2_grpc  # noqa: E402

STATES = {1: "not started", 2: "in progress", 3: "completed", 4: "OVERDUE"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--login", default="10002", help="member number or phone")
    parser.add_argument("--password", default="Member-2026-demo")
    parser.add_argument("--member-id", type=int, default=0, help="0: yourself")
    args = parser.parse_args()
    with grpc.insecure_channel(args.address) as channel:
        session = identity_pb2_grpc.IdentityServiceStub(channel).SignIn(
            identity_pb2.SignInRequest(login=args.login, password=args.password), timeout=10)
        metadata = [("authorization", "Bearer " + session.access_token)]
        learning = enrollment_pb2_grpc.EnrollmentServiceStub(channel).GetMyLearning(
            enrollment_pb2.GetMyLearningRequest(member_id=args.member_id), metadata=metadata,
            timeout=5)
    hours = learning.hours
    source = f"plan {hours.plan_id}" if hours.plan_id else "the settings' default"
    print(f"member {learning.member_id}: {hours.required_hours.hundredths / 100:g} h owed in "
          f"{hours.year} ({source}{', pro rata' if hours.pro_rata else ''}); "
          f"{learning.earned_hours.hundredths / 100:g} h earned so far, "
          f"{learning.effective_study_seconds // 60} min of study credited")
    for item in learning.items:
        due = (f"due {item.due_date.year}-{item.due_date.month:02d}-{item.due_date.day:02d}"
               if item.due_date.year else "no due date")
        kind = "required" if item.required else "elective"
        print(f"  {item.title} ({item.study_hours.hundredths / 100:g} h, {kind}, {due}, "
              f"{STATES.get(item.state, item.state)})")
    for course in learning.recommended:
        print(f"  recommended: {course.title} ({course.study_hours.hundredths / 100:g} h, "
              f"plan {course.plan_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

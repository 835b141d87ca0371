#!/usr/bin/python3
"""Puts the demo site's tests in through the real gRPC API, as the committee's and the
branch's admins would, after deploy/run.sh imported the demo bank (112 questions over the
eight content categories, `lms-admin import-questions`):

- a final test (结业测试) of course 1 drawn from the bank's political-theory questions;
- a periodic test (阶段测试) of 一车间党支部's plan, timed, drawn across the categories;
- a practice quiz (练习) of ten random questions, with instant feedback;

then the demo member 王建国 practises once and passes the final test (0.5 学时).

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/assessment.py      # after deploy/run.sh

Papers are found by title before they are created: running it twice creates nothing twice.
"""
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_client import parse_args, sign_in  # noqa: E402

import grpc  # noqa: E402
from lms.v1 import assessment_pb2 as T, assessment_pb2_grpc, common_pb2  # noqa: E402
from lms.v1 import enrollment_pb2, enrollment_pb2_grpc  # noqa: E402


def points(*pairs):
    return [T.TypePoints(type=t, points=p) for t, p in pairs]


def published(stub, admin, paper):
    """The published paper of this title in its organisation, created if missing."""
    page = stub.ListPapers(T.ListPapersRequest(organization_id=paper.organization_id,
                                               page_size=100), metadata=admin, timeout=10)
    for existing in page.papers:
        if existing.title == paper.title and existing.state == T.PAPER_STATE_PUBLISHED:
            return existing
    draft = stub.CreatePaper(T.CreatePaperRequest(request_id=str(uuid.uuid4()), paper=paper),
                             metadata=admin, timeout=10)
    return stub.PublishPaper(T.PublishPaperRequest(request_id=str(uuid.uuid4()),
                                                   paper_id=draft.id,
                                                   expected_version=draft.version),
                             metadata=admin, timeout=10)


def keys_of(stub, admin, attempt):
    """The admin's view of the drawn questions' keys (the demo member answers rightly)."""
    keys = {}
    for q in attempt.questions:
        keys[q.question_id] = stub.GetQuestion(T.GetQuestionRequest(
            question_id=q.question_id, version=q.question_version), metadata=admin,
            timeout=10).key
    return keys


def right_answer(question, key):
    answer = T.Answer(question_id=question.question_id)
    answer.option_ids.extend(key.correct_option_ids)
    answer.truth = key.correct_truth
    answer.blanks.extend(blank.accepted[0] for blank in key.blanks)
    return answer


def main():
    args = parse_args()
    with grpc.insecure_channel(args.address) as channel:
        admin_session, admin = sign_in(channel, args.admin, args.password,
                                       common_pb2.ROLE_SYSTEM_ADMIN)
        member_session, member = sign_in(channel, "10002", "Member-2026-demo")
        stub = assessment_pb2_grpc.AssessmentServiceStub(channel)
        root = admin_session.caller.organization_id
        plan = enrollment_pb2_grpc.EnrollmentServiceStub(channel).GetPlan(
            enrollment_pb2.GetPlanRequest(plan_id=2), metadata=admin, timeout=10)

        final = published(stub, admin, T.Paper(
            organization_id=root, kind=T.PAPER_KIND_FINAL_TEST, course_id=1,
            title="《深入学习习近平新时代中国特色社会主义思想》结业测试",
            description="单选、判断、填空共10题，80分及格，限时20分钟，可考3次。",
            draw_rules=[
                T.DrawRule(type=T.QUESTION_TYPE_SINGLE_CHOICE,
                           content_category=common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY, count=4),
                T.DrawRule(type=T.QUESTION_TYPE_TRUE_FALSE,
                           content_category=common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY, count=4),
                T.DrawRule(type=T.QUESTION_TYPE_FILL_IN_BLANK,
                           content_category=common_pb2.CONTENT_CATEGORY_POLITICAL_THEORY, count=2)],
            type_points=points((T.QUESTION_TYPE_SINGLE_CHOICE, 10),
                               (T.QUESTION_TYPE_TRUE_FALSE, 10),
                               (T.QUESTION_TYPE_FILL_IN_BLANK, 10)),
            pass_points=80, time_limit_seconds=1200, max_attempts=3))
        periodic = published(stub, admin, T.Paper(
            organization_id=plan.organization_id, kind=T.PAPER_KIND_PERIODIC_TEST,
            plan_id=plan.id, title="一车间党支部第二季度应知应会测试",
            content_category=common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION,
            description="全体党员参加，限时30分钟，可考2次，成绩取最高分。",
            draw_rules=[
                T.DrawRule(type=T.QUESTION_TYPE_SINGLE_CHOICE, count=8),
                T.DrawRule(type=T.QUESTION_TYPE_MULTIPLE_CHOICE, count=4),
                T.DrawRule(type=T.QUESTION_TYPE_TRUE_FALSE, count=8)],
            type_points=points((T.QUESTION_TYPE_SINGLE_CHOICE, 5),
                               (T.QUESTION_TYPE_MULTIPLE_CHOICE, 5),
                               (T.QUESTION_TYPE_TRUE_FALSE, 5)),
            partial_credit=True, pass_points=60, time_limit_seconds=1800, max_attempts=2,
            review_policy=T.REVIEW_POLICY_AFTER_CLOSE))
        practice = published(stub, admin, T.Paper(
            organization_id=root, kind=T.PAPER_KIND_PRACTICE_QUIZ, title="每日一练：党章党规",
            description="随机10题，答一题即见解析，不限次数。",
            draw_rules=[
                T.DrawRule(type=T.QUESTION_TYPE_TRUE_FALSE,
                           content_category=common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION, count=4),
                T.DrawRule(type=T.QUESTION_TYPE_SINGLE_CHOICE,
                           content_category=common_pb2.CONTENT_CATEGORY_RULES_AND_DISCIPLINE,
                           count=4),
                T.DrawRule(type=T.QUESTION_TYPE_FILL_IN_BLANK,
                           content_category=common_pb2.CONTENT_CATEGORY_PARTY_CONSTITUTION, count=2)],
            type_points=points((T.QUESTION_TYPE_SINGLE_CHOICE, 10),
                               (T.QUESTION_TYPE_TRUE_FALSE, 10),
                               (T.QUESTION_TYPE_FILL_IN_BLANK, 10)),
            pass_points=60))

        # The demo member practises (answering as they go, each answer shown its key), then
        # passes the final test.
        standing = stub.GetPaper(T.GetPaperRequest(paper_id=final.id), metadata=member,
                                 timeout=10).standing
        if not standing.passed:
            attempt = stub.StartAttempt(T.StartAttemptRequest(
                request_id=str(uuid.uuid4()), paper_id=practice.id), metadata=member, timeout=10)
            keys = keys_of(stub, admin, attempt)
            for n, question in enumerate(attempt.questions, start=1):
                answer = right_answer(question, keys[question.question_id])
                if n % 4 == 0:  # a few wrong, as anyone practising
                    answer.ClearField("option_ids")
                    answer.truth = (T.TRUTH_TRUE if answer.truth == T.TRUTH_FALSE
                                    else T.TRUTH_FALSE) if answer.truth else answer.truth
                stub.SaveAnswers(T.SaveAnswersRequest(attempt_id=attempt.id, sequence=n,
                                                      answers=[answer]),
                                 metadata=member, timeout=10)
            stub.SubmitAttempt(T.SubmitAttemptRequest(request_id=str(uuid.uuid4()),
                                                      attempt_id=attempt.id),
                               metadata=member, timeout=10)
            attempt = stub.StartAttempt(T.StartAttemptRequest(
                request_id=str(uuid.uuid4()), paper_id=final.id), metadata=member, timeout=10)
            keys = keys_of(stub, admin, attempt)
            result = stub.SubmitAttempt(T.SubmitAttemptRequest(
                request_id=str(uuid.uuid4()), attempt_id=attempt.id, sequence=1,
                answers=[right_answer(q, keys[q.question_id]) for q in attempt.questions]),
                metadata=member, timeout=10)
            print(f"final test: {result.points}/{result.total_points}, "
                  f"{'passed' if result.passed else 'failed'}, "
                  f"{result.hours_credited.hundredths / 100:g} h credited")
        print(f"papers: final {final.id}, periodic {periodic.id}, practice {practice.id}")


if __name__ == "__main__":
    main()

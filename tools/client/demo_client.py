"""What the demo scripts share: the generated stubs on the path, signing in, and the
command line every one of them takes (the server and the system admin's account)."""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))

from lms.v1 import common_pb2, identity_pb2, identity_pb2_grpc  # noqa: E402


def sign_in(channel, login, password, role=common_pb2.ROLE_UNSPECIFIED):
    """The session and the call metadata carrying its access token."""
    session = identity_pb2_grpc.IdentityServiceStub(channel).SignIn(
        identity_pb2.SignInRequest(login=login, password=password, role=role), timeout=30)
    return session, [("authorization", "Bearer " + session.access_token)]


def parse_args(description=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--admin", default="10000")
    parser.add_argument("--password", default="Admin-2026-demo")
    return parser.parse_args()

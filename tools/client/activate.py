#!/usr/bin/python3
"""A member's first sign-in (or one after an admin reset) with an activation code, through
the real gRPC API: sets the password and prints who signed in. The password is read
from the terminal (or LMS_NEW_PASSWORD), never from the command line.

    tools/client/gen_python.sh
    /usr/bin/python3 tools/client/activate.py --login 10000 --code F5W6-46N8-E2PJ
"""
import argparse
import getpass
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))

import grpc  # noqa: E402
from lms.v1 import identity_pb2, identity_pb2_grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1:50051")
    parser.add_argument("--login", required=True, help="member number or phone")
    parser.add_argument("--code", required=True, help="the activation code")
    args = parser.parse_args()
    password = os.environ.get("LMS_NEW_PASSWORD") or getpass.getpass("new password: ")
    with grpc.insecure_channel(args.address) as channel:
        identity = identity_pb2_grpc.IdentityServiceStub(channel)
        try:
            session = identity.Activate(identity_pb2.ActivateRequest(
                login=args.login, activation_code=args.code, new_password=password), timeout=10)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            return 1
        print(f"signed in as member {session.caller.member_id} ({session.caller.display_name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

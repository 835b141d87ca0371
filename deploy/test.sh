#!/usr/bin/env bash
# The whole suite on a fresh Debian 12 machine: installs what is missing, builds, starts
# the private MariaDB (and stops it again if it was not running before), runs ctest.
#
#   deploy/test.sh [ctest args]             the normal build, in build/
#   deploy/test.sh --sanitize [ctest args]  the same suite built with AddressSanitizer and
#                                           UndefinedBehaviorSanitizer, in build-asan/;
#                                           any report fails the test that caused it
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  export LMS_SANITIZE=ON
  LMS_BUILD_DIR="${LMS_ASAN_BUILD_DIR:-$LMS_ROOT/build-asan}"
  export LMS_BUILD_DIR
  # Every report is fatal; leaks are checked at exit, with the third-party suppressions
  # (one line each, with its reason) in deploy/sanitizers/lsan.supp.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$LMS_ROOT/deploy/sanitizers/lsan.supp:print_suppressions=0"
fi

"$LMS_ROOT/deploy/build.sh"

started_db=0
if ! "$LMS_ROOT/deploy/mariadb.sh" status >/dev/null 2>&1; then started_db=1; fi
"$LMS_ROOT/deploy/mariadb.sh" start
if [[ $started_db == 1 ]]; then
  trap '"$LMS_ROOT/deploy/mariadb.sh" stop' EXIT
fi

# The site's own schema too: a test checks what the servers' user may do in it.
migrate_site_schema

export LMS_TEST_DB_SOCKET="$LMS_DB_SOCKET"
export LMS_TEST_DB_PORT="$LMS_DB_PORT"
# Tests make their databases as lms_test, which owns the t_* schemas and nothing else.
export LMS_TEST_DB_USER="$LMS_DB_TEST_USER"
export LMS_TEST_DB_NAME="$LMS_DB_TEST_ADMIN_DB"
export LMS_TEST_DB_PASSWORD_FILE="$LMS_DB_TEST_PASSWORD_FILE"
# The servers' own user, for the test that checks it holds no more than it needs.
export LMS_TEST_APP_DB_USER="$LMS_DB_USER"
export LMS_TEST_APP_DB_NAME="$LMS_DB_NAME"
export LMS_TEST_APP_DB_PASSWORD_FILE="$LMS_DB_PASSWORD_FILE"
export LMS_ROOT

cd "$LMS_BUILD_DIR"
ctest --output-on-failure -j "${LMS_TEST_JOBS:-2}" "$@"

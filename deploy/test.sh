#!/usr/bin/env bash
# The whole suite on a fresh Debian 12 machine: installs what is missing, builds, starts
# the private MariaDB (and stops it again if it was not running before), runs ctest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$LMS_ROOT/deploy/build.sh"

started_db=0
if ! "$LMS_ROOT/deploy/mariadb.sh" status >/dev/null 2>&1; then started_db=1; fi
"$LMS_ROOT/deploy/mariadb.sh" start
if [[ $started_db == 1 ]]; then
  trap '"$LMS_ROOT/deploy/mariadb.sh" stop' EXIT
fi

export LMS_TEST_DB_SOCKET="$LMS_DB_SOCKET"
export LMS_TEST_DB_PORT="$LMS_DB_PORT"
export LMS_TEST_DB_USER="$LMS_DB_USER"
export LMS_TEST_DB_NAME="$LMS_DB_NAME"
export LMS_TEST_DB_PASSWORD_FILE="$LMS_DB_PASSWORD_FILE"
export LMS_ROOT

cd "$LMS_BUILD_DIR"
ctest --output-on-failure -j "${LMS_TEST_JOBS:-2}" "$@"

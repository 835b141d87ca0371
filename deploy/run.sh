#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a serving API on 127.0.0.1:50051:
# installs what is missing, builds, starts the private MariaDB, migrates, loads the demo
# catalogue, organisations, members and accounts, and serves in the foreground. Ctrl-C or SIGTERM stops the server and the
# database it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LISTEN="${LMS_LISTEN:-127.0.0.1:50051}"
KEYS_DIR="$LMS_VAR_DIR/keys"

"$LMS_ROOT/deploy/build.sh"

started_db=0
if ! "$LMS_ROOT/deploy/mariadb.sh" status >/dev/null 2>&1; then started_db=1; fi
"$LMS_ROOT/deploy/mariadb.sh" start

mkdir -p "$KEYS_DIR"
chmod 700 "$KEYS_DIR"
if [[ ! -s "$KEYS_DIR/token.key" ]]; then
  "$LMS_BUILD_DIR/tools/lms-token" keygen \
    --public_key "$KEYS_DIR/token.pub" --secret_key "$KEYS_DIR/token.key"
fi

DB_FLAGS=(--db_socket "$LMS_DB_SOCKET" --db_user "$LMS_DB_USER" --db_name "$LMS_DB_NAME"
          --db_password_file "$LMS_DB_PASSWORD_FILE")

log "migrating"
"$LMS_BUILD_DIR/services/all_in_one/lms-server" "${DB_FLAGS[@]}" --migrate_only

log "loading demo catalogue"
"$LMS_ROOT/deploy/mariadb.sh" sql "$LMS_DB_NAME" <"$LMS_ROOT/deploy/demo/catalogue.sql"
log "loading the demo committee and its system admin"
"$LMS_ROOT/deploy/mariadb.sh" sql "$LMS_DB_NAME" <"$LMS_ROOT/deploy/demo/bootstrap.sql"

"$LMS_BUILD_DIR/services/all_in_one/lms-server" "${DB_FLAGS[@]}" \
  --listen "$LISTEN" --token_public_key "$KEYS_DIR/token.pub" \
  --token_secret_key "$KEYS_DIR/token.key" "$@" &
server_pid=$!

stop() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  if [[ $started_db == 1 ]]; then "$LMS_ROOT/deploy/mariadb.sh" stop; fi
}
trap stop INT TERM EXIT

# The rest of the demo goes in through the API, as an admin would put it in.
host="${LISTEN%:*}"
port="${LISTEN##*:}"
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "the server exited"
  sleep 0.1
done
# With --tls_cert the import must trust that certificate.
admin_tls=()
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --tls_cert=*) admin_tls=(--tls-ca "${args[$i]#--tls_cert=}") ;;
    --tls_cert) admin_tls=(--tls-ca "${args[$((i + 1))]}") ;;
  esac
done
log "importing the demo organisations and members with lms-admin"
/usr/bin/python3 "$LMS_ROOT/deploy/demo/make_roster.py" >"$LMS_VAR_DIR/demo_roster.csv"
LMS_ADMIN_PASSWORD='Admin-2026-demo' "$LMS_BUILD_DIR/tools/lms-admin" --server "$LISTEN" \
  "${admin_tls[@]}" --login 10000 import "$LMS_VAR_DIR/demo_roster.csv" </dev/null
"$LMS_ROOT/deploy/mariadb.sh" sql "$LMS_DB_NAME" <"$LMS_ROOT/deploy/demo/accounts.sql"
log "demo accounts (README: Demo accounts): system admin 10000 / Admin-2026-demo," \
  "branch admin 10001 / Branch-2026-demo, member 10002 / Member-2026-demo (kiosk PIN 2468)"

log "serving on $LISTEN (Ctrl-C to stop)"
wait "$server_pid"

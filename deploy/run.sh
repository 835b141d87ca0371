#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a serving API on 127.0.0.1:50051:
# installs what is missing, builds, starts the private MariaDB, migrates, loads the demo
# catalogue, and serves in the foreground. Ctrl-C or SIGTERM stops the server and the
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

# Development tokens until sign-in exists (identity service): an admin and a member.
issue() {
  "$LMS_BUILD_DIR/tools/lms-token" issue --public_key "$KEYS_DIR/token.pub" \
    --secret_key "$KEYS_DIR/token.key" --ttl 12h "$@"
}
(umask 077
 issue --role system_admin --member 1 --organization 1 >"$KEYS_DIR/admin.token"
 issue --role member --member 2 --organization 1 >"$KEYS_DIR/member.token")
log "development tokens: $KEYS_DIR/admin.token and $KEYS_DIR/member.token (valid 12 h)"

"$LMS_BUILD_DIR/services/all_in_one/lms-server" "${DB_FLAGS[@]}" \
  --listen "$LISTEN" --token_public_key "$KEYS_DIR/token.pub" "$@" &
server_pid=$!

stop() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  if [[ $started_db == 1 ]]; then "$LMS_ROOT/deploy/mariadb.sh" stop; fi
}
trap stop INT TERM EXIT
log "serving on $LISTEN (Ctrl-C to stop)"
wait "$server_pid"

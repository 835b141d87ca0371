#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a serving API on 127.0.0.1:50051:
# installs what is missing, builds, starts the private MariaDB, migrates and serves in the
# foreground. Ctrl-C or SIGTERM stops the server and the database it started.
#
# Demo data (catalogue, organisations, members, accounts with published passwords) is
# loaded only when this script initialises its own private database, and never again:
# a restart keeps whatever admins changed or dismissed.
#   deploy/run.sh [server flags]            first run: the demo site
#   deploy/run.sh --no-demo [server flags]  first run: an empty site, the root organisation
#                                           and a first system admin (member number
#                                           LMS_FIRST_ADMIN, 10000) with a one-time
#                                           activation code printed here
# On an address other than loopback (LMS_LISTEN) it refuses to serve without TLS
# (--tls_cert, --tls_key) or while a demo account still works.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LISTEN="${LMS_LISTEN:-127.0.0.1:50051}"
KEYS_DIR="$LMS_VAR_DIR/keys"
demo=1
if [[ "${1:-}" == "--no-demo" ]]; then
  demo=0
  shift
fi
host="${LISTEN%:*}"
port="${LISTEN##*:}"
loopback=0
case "$host" in 127.0.0.1 | localhost | "[::1]" | ::1) loopback=1 ;; esac
tls=0
for arg in "$@"; do [[ $arg == --tls_cert* ]] && tls=1; done
if [[ $loopback == 0 && $tls == 0 ]]; then
  die "refusing to serve plaintext on $LISTEN: give --tls_cert and --tls_key, or listen on" \
    "127.0.0.1 behind the TLS proxy (README: Production)"
fi

"$LMS_ROOT/deploy/build.sh"

started_db=0
if ! "$LMS_ROOT/deploy/mariadb.sh" status >/dev/null 2>&1; then started_db=1; fi
new_site=0
[[ -d "$LMS_DB_DIR/data/mysql" ]] || new_site=1
"$LMS_ROOT/deploy/mariadb.sh" start
# Until the server runs (stop() below takes over), a failed step stops the database too.
if [[ $started_db == 1 ]]; then trap '"$LMS_ROOT/deploy/mariadb.sh" stop' EXIT; fi

mkdir -p "$KEYS_DIR"
chmod 700 "$KEYS_DIR"
if [[ ! -s "$KEYS_DIR/token.key" ]]; then
  "$LMS_BUILD_DIR/tools/lms-token" keygen \
    --public_key "$KEYS_DIR/token.pub" --secret_key "$KEYS_DIR/token.key"
fi

DB_FLAGS=(--db_socket "$LMS_DB_SOCKET" --db_user "$LMS_DB_USER" --db_name "$LMS_DB_NAME"
          --db_password_file "$LMS_DB_PASSWORD_FILE")

migrate_site_schema

app_sql() { "$LMS_ROOT/deploy/mariadb.sh" app-sql "$LMS_DB_NAME" "$@"; }

# Whether a demo account still signs in with its published secret: a password or PIN
# hash from the demo files, or the demo kiosk's credential, still in place.
demo_accounts_left() {
  local hashes kiosk
  hashes=$(grep -oh "\$argon2id\$[^']*" "$LMS_ROOT"/deploy/demo/{bootstrap,accounts}.sql |
    sed "s/.*/'&'/" | paste -sd, -)
  kiosk=$(grep -oh "credential_hash = '[0-9a-f]*'" "$LMS_ROOT/deploy/demo/accounts.sql" | head -1)
  app_sql -N -e "SELECT (SELECT COUNT(*) FROM member_credential WHERE password_hash IN ($hashes)
                   OR pin_hash IN ($hashes))
                 + (SELECT COUNT(*) FROM kiosk WHERE $kiosk AND revoked_at IS NULL)"
}

# An empty site: the root organisation and a first system admin who activates with a
# one-time code (no password is ever known to this script).
bootstrap_site() {
  local number="${LMS_FIRST_ADMIN:-10000}" code digest
  [[ $number =~ ^[A-Za-z0-9_-]{1,32}$ ]] || die "LMS_FIRST_ADMIN must be 1-32 of [A-Za-z0-9_-]"
  # Read a finite amount first: a pipe that closes early would kill tr (pipefail).
  code=$(head -c 1024 /dev/urandom | LC_ALL=C tr -dc '23456789ABCDEFGHJKMNPQRSTUVWXYZ' | cut -c1-12)
  [[ ${#code} == 12 ]] || die "could not make an activation code"
  digest=$(printf '%s' "$code" | sha256sum | cut -d' ' -f1)
  app_sql <"$LMS_ROOT/deploy/site/root_organization.sql"
  app_sql <<SQL
SET NAMES utf8mb4;
INSERT IGNORE INTO member (id, name, member_number, organization_id, category_mask, status,
                           version, create_time, update_time)
VALUES (1, '系统管理员', '$number', 1, 1 << 1, 1, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
INSERT INTO member_assignment (member_id, organization_id, valid_from)
SELECT 1, 1, UTC_DATE() FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM member_assignment WHERE member_id = 1);
INSERT IGNORE INTO admin_grant (member_id, role, organization_id) VALUES (1, 4, 1);
INSERT INTO activation_code (code_hash, member_id, issued_by, create_time, expire_time)
VALUES ('$digest', 1, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 7 DAY);
SQL
  local file="$LMS_VAR_DIR/first-admin-activation-code.txt"
  (umask 077 && set -o noclobber && printf 'member number %s\nactivation code %s\n' \
    "$number" "$code" >"$file") || die "$file exists: remove it once its code is used"
  log "first system admin: member number $number; its one-time activation code (7 days) is" \
    "in $file: activate with it, then delete the file"
}

if [[ $new_site == 1 && $demo == 1 ]]; then
  log "loading demo catalogue"
  app_sql <"$LMS_ROOT/deploy/demo/catalogue.sql"
  log "loading the demo committee and its system admin"
  app_sql <"$LMS_ROOT/deploy/site/root_organization.sql"
  app_sql <"$LMS_ROOT/deploy/demo/bootstrap.sql"
elif [[ $new_site == 1 ]]; then
  log "a new site without demo data"
  bootstrap_site
fi
if [[ $loopback == 0 && $(demo_accounts_left) != 0 ]]; then
  die "refusing to serve on $LISTEN: demo accounts with published passwords still work" \
    "(change their passwords and revoke the demo kiosk, or start on loopback)"
fi

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
if [[ $new_site == 1 && $demo == 1 ]]; then
  log "importing the demo organisations and members with lms-admin"
  /usr/bin/python3 "$LMS_ROOT/deploy/demo/make_roster.py" >"$LMS_VAR_DIR/demo_roster.csv"
  LMS_ADMIN_PASSWORD='Admin-2026-demo' "$LMS_BUILD_DIR/tools/lms-admin" --server "$LISTEN" \
    "${admin_tls[@]}" --login 10000 import "$LMS_VAR_DIR/demo_roster.csv" </dev/null
  app_sql <"$LMS_ROOT/deploy/demo/accounts.sql"
  log "publishing the demo training plans (the committee's and 一车间党支部's)"
  app_sql <"$LMS_ROOT/deploy/demo/plans.sql"
  for plan in 1 2; do
    LMS_ADMIN_PASSWORD='Admin-2026-demo' "$LMS_BUILD_DIR/tools/lms-admin" --server "$LISTEN" \
      "${admin_tls[@]}" --login 10000 publish-plan "$plan" </dev/null
  done
  log "importing the demo question bank (112 questions) into 公司党委's bank with lms-admin"
  /usr/bin/python3 "$LMS_ROOT/deploy/demo/make_questions.py" >"$LMS_VAR_DIR/demo_questions.csv"
  root_id=$(app_sql -N -e "SELECT id FROM organization WHERE code = 'ROOT'")
  LMS_ADMIN_PASSWORD='Admin-2026-demo' "$LMS_BUILD_DIR/tools/lms-admin" --server "$LISTEN" \
    "${admin_tls[@]}" --login 10000 import-questions "$LMS_VAR_DIR/demo_questions.csv" \
    --organization-id "$root_id" </dev/null
  if [[ ${#admin_tls[@]} == 0 ]]; then
    log "the demo member studies on a phone: one course through, the start of another"
    "$LMS_ROOT/tools/client/gen_python.sh" >/dev/null
    /usr/bin/python3 "$LMS_ROOT/tools/client/study.py" --address "$LISTEN" --course 1
    /usr/bin/python3 "$LMS_ROOT/tools/client/study.py" --address "$LISTEN" --course 2 --lessons 2 \
      --days-ago 2
    log "a year of 一车间党支部's organisational life (三会一课) with attendance, and a class"
    /usr/bin/python3 "$LMS_ROOT/tools/client/activities.py" --address "$LISTEN"
    log "a final test, a periodic test and a practice quiz; the demo member passes the final"
    /usr/bin/python3 "$LMS_ROOT/tools/client/assessment.py" --address "$LISTEN"
    log "the year's offline training recorded by hand; the figures the committee and a branch see"
    /usr/bin/python3 "$LMS_ROOT/tools/client/statistics.py" --address "$LISTEN"
  fi
  log "demo accounts (README: Demo accounts): system admin 10000 / Admin-2026-demo," \
    "branch admin 10001 / Branch-2026-demo, member 10002 / Member-2026-demo (kiosk PIN 2468)"
fi

log "serving on $LISTEN (Ctrl-C to stop)"
wait "$server_pid"

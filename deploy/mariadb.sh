#!/usr/bin/env bash
# A private MariaDB under the checkout: own datadir, socket and loopback port, no system
# service, no root password (root signs in through the socket as the OS user). Started by
# root, mariadbd runs as the unprivileged `mysql` user whenever that user can reach the
# checkout (it cannot under a 0700 home, say: then it runs as root, and says so).
#
# Database users, each with only what it needs (README "Database users"):
#   lms          the servers: SELECT, INSERT, UPDATE, DELETE on the `lms` schema only
#   lms_migrate  migrations and demo data: also CREATE, ALTER, INDEX, DROP, REFERENCES
#                on `lms` only
#   lms_test     tests and tools that make databases: everything on `t\_%` schemas only
# None holds a global privilege (no FILE); secure_file_priv points at an empty directory
# and local_infile is off, so no statement reads or writes server-side files.
#
#   deploy/mariadb.sh start    initialise on first use, start, create the app user and database
#   deploy/mariadb.sh stop     shut down cleanly
#   deploy/mariadb.sh status   say whether it runs, where, and on which port
#   deploy/mariadb.sh kill     kill -9 (for crash tests)
#   deploy/mariadb.sh sql ...  run the mariadb client as root over the socket (admin only)
#   deploy/mariadb.sh app-sql ...      the same as the app user lms
#   deploy/mariadb.sh migrate-sql ...  the same as lms_migrate
#
# LMS_DB_DIR and LMS_DB_PORT choose the instance, so tests can run a second one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CNF="$LMS_DB_DIR/my.cnf"
PID_FILE="$LMS_DB_DIR/mariadb.pid"

# The OS user mariadbd runs as: `mysql` when started by root and that user can reach the
# instance's directory, else the caller itself.
run_as_user() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
  elif id mysql >/dev/null 2>&1 && runuser -u mysql -- test -x "$LMS_DB_DIR" 2>/dev/null; then
    echo mysql
  else
    echo root
  fi
}

write_config() {
  local run_as="" user
  user=$(run_as_user)
  [[ $(id -u) -eq 0 ]] && run_as="user=$user"
  if [[ $user == root && $(id -u) -eq 0 ]]; then
    log "note: mariadbd runs as root: the mysql user cannot reach $LMS_DB_DIR"
  fi
  mkdir -p "$LMS_DB_DIR/files"
  chmod 700 "$LMS_DB_DIR/files"
  cat >"$CNF" <<CNF
[mariadbd]
datadir=$LMS_DB_DIR/data
socket=$LMS_DB_SOCKET
port=$LMS_DB_PORT
bind-address=127.0.0.1
pid-file=$PID_FILE
log-error=$LMS_DB_DIR/error.log
$run_as
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_520_ci
# Durable: an acknowledged commit survives a crash. The servers refuse anything less.
innodb_flush_log_at_trx_commit=1
sync_binlog=1
innodb_buffer_pool_size=${LMS_DB_BUFFER_POOL:-512M}
innodb_log_file_size=256M
max_connections=1000
# Each connection prepares a statement once and keeps it (common/db/connection.h): a
# server's 32 connections hold a few hundred shapes each (multi-row writes of up to 32
# rows have a shape per count), and several servers share one database. The default
# (16,382 in all) leaves too little room; a prepared statement costs a few KiB.
max_prepared_stmt_count=262144
# A pool of threads (one group per core), not a thread per connection: with the servers'
# 32 connections each on 2 cores, MariaDB's tail latency fell from ~14x to ~3x the median
# and its throughput rose by a third (lms-bench my_learning, README "Benchmarks").
thread_handling=${LMS_DB_THREAD_HANDLING:-pool-of-threads}
skip-name-resolve
# No statement reads or writes files on the server: an empty directory nobody writes to.
secure_file_priv=$LMS_DB_DIR/files
local_infile=0
CNF
}

# Hands the instance's files to the user mariadbd runs as (the password files stay the
# caller's, readable by it alone).
own_files() {
  local user
  user=$(run_as_user)
  [[ $(id -u) -eq 0 && $user != root ]] || return 0
  if [[ $(stat -c %U "$LMS_DB_DIR/data" 2>/dev/null) != "$user" ]]; then
    chown -R "$user:" "$LMS_DB_DIR/data"
  fi
  chown "$user:" "$LMS_DB_DIR" "$LMS_DB_DIR/files"
  for f in error.log stdout.log mariadb.pid; do
    [[ -e "$LMS_DB_DIR/$f" ]] && chown "$user:" "$LMS_DB_DIR/$f"
  done
  return 0
}

is_running() {
  [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

root_sql() {
  mariadb --no-defaults --socket="$LMS_DB_SOCKET" -uroot "$@"
}

initialise() {
  mkdir -p "$LMS_DB_DIR"
  write_config
  if [[ ! -d "$LMS_DB_DIR/data/mysql" ]]; then
    log "initialising MariaDB in $LMS_DB_DIR/data"
    mkdir -p "$LMS_DB_DIR/data"
    own_files
    mariadb-install-db --defaults-file="$CNF" --auth-root-authentication-method=socket \
      --skip-test-db >"$LMS_DB_DIR/install.log" 2>&1 || {
      cat "$LMS_DB_DIR/install.log" >&2
      die "mariadb-install-db failed"
    }
  fi
  for file in "$LMS_DB_PASSWORD_FILE" "$LMS_DB_MIGRATE_PASSWORD_FILE" "$LMS_DB_TEST_PASSWORD_FILE"; do
    if [[ ! -s "$file" ]]; then
      (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$file")
    fi
  done
  own_files
}

wait_until_up() {
  for _ in $(seq 1 600); do
    if mariadb-admin --no-defaults --socket="$LMS_DB_SOCKET" -uroot ping >/dev/null 2>&1; then
      return 0
    fi
    is_running || { tail -n 30 "$LMS_DB_DIR/error.log" >&2; die "mariadbd exited during start"; }
    sleep 0.1
  done
  die "mariadbd did not answer within 60 s"
}

# Creates (or narrows) the three users and the schemas they own. Re-run on every start, so
# an instance made by an older checkout (whose app user held ALL ON *.*) is narrowed too.
create_users() {
  local app migrate test_pw
  app=$(cat "$LMS_DB_PASSWORD_FILE")
  migrate=$(cat "$LMS_DB_MIGRATE_PASSWORD_FILE")
  test_pw=$(cat "$LMS_DB_TEST_PASSWORD_FILE")
  local sql="CREATE DATABASE IF NOT EXISTS \`$LMS_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;
CREATE DATABASE IF NOT EXISTS \`$LMS_DB_TEST_ADMIN_DB\`;"
  local host
  for host in 127.0.0.1 localhost; do
    sql+="
CREATE USER IF NOT EXISTS '$LMS_DB_USER'@'$host' IDENTIFIED BY '$app';
CREATE USER IF NOT EXISTS '$LMS_DB_MIGRATE_USER'@'$host' IDENTIFIED BY '$migrate';
CREATE USER IF NOT EXISTS '$LMS_DB_TEST_USER'@'$host' IDENTIFIED BY '$test_pw';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '$LMS_DB_USER'@'$host', '$LMS_DB_MIGRATE_USER'@'$host', '$LMS_DB_TEST_USER'@'$host';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`$LMS_DB_NAME\`.* TO '$LMS_DB_USER'@'$host';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES
  ON \`$LMS_DB_NAME\`.* TO '$LMS_DB_MIGRATE_USER'@'$host';
GRANT ALL PRIVILEGES ON \`t\\_%\`.* TO '$LMS_DB_TEST_USER'@'$host';"
  done
  root_sql <<<"$sql"
}

# The mariadb client as `user` (lms or lms_migrate), its password in a private option
# file rather than on the command line.
user_sql() {
  local user=$1 password_file=$2
  shift 2
  local options
  options=$(mktemp)
  chmod 600 "$options"
  printf '[client]\npassword=%s\n' "$(cat "$password_file")" >"$options"
  mariadb --defaults-extra-file="$options" --socket="$LMS_DB_SOCKET" -u"$user" "$@"
  local status=$?
  rm -f "$options"
  return $status
}

start() {
  initialise
  if is_running; then
    log "MariaDB already running (pid $(cat "$PID_FILE"), port $LMS_DB_PORT)"
  else
    log "starting MariaDB on 127.0.0.1:$LMS_DB_PORT"
    rm -f "$PID_FILE"  # left behind by a crash (kill -9): it names a dead process
    own_files
    setsid mariadbd --defaults-file="$CNF" >>"$LMS_DB_DIR/stdout.log" 2>&1 </dev/null &
    for _ in $(seq 1 100); do [[ -f "$PID_FILE" ]] && break; sleep 0.1; done
  fi
  wait_until_up
  create_users
}

stop() {
  if ! is_running; then
    log "MariaDB not running"
    return 0
  fi
  local pid
  pid=$(cat "$PID_FILE")
  mariadb-admin --no-defaults --socket="$LMS_DB_SOCKET" -uroot shutdown 2>/dev/null || kill "$pid"
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || { log "MariaDB stopped"; return 0; }; sleep 0.1; done
  die "mariadbd (pid $pid) did not stop within 60 s"
}

# Simulates a crash: kill -9, and return only once the process is gone.
kill_hard() {
  is_running || return 0
  local pid
  pid=$(cat "$PID_FILE")
  kill -9 "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  die "mariadbd (pid $pid) survived kill -9"
}

status() {
  if is_running; then
    echo "running pid=$(cat "$PID_FILE") port=$LMS_DB_PORT socket=$LMS_DB_SOCKET dir=$LMS_DB_DIR"
  else
    echo "stopped dir=$LMS_DB_DIR"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_hard ;;
  sql) shift; root_sql "$@" ;;
  app-sql) shift; user_sql "$LMS_DB_USER" "$LMS_DB_PASSWORD_FILE" "$@" ;;
  migrate-sql) shift; user_sql "$LMS_DB_MIGRATE_USER" "$LMS_DB_MIGRATE_PASSWORD_FILE" "$@" ;;
  *) echo "usage: $0 start|stop|status|kill|sql|app-sql|migrate-sql" >&2; exit 2 ;;
esac

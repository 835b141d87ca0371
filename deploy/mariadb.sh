#!/usr/bin/env bash
# A private MariaDB under the checkout: own datadir, socket and loopback port, no system
# service, no root password (root signs in through the socket as the OS user).
#
#   deploy/mariadb.sh start    initialise on first use, start, create the app user and database
#   deploy/mariadb.sh stop     shut down cleanly
#   deploy/mariadb.sh status   say whether it runs, where, and on which port
#   deploy/mariadb.sh kill     kill -9 (for crash tests)
#   deploy/mariadb.sh sql ...  run the mariadb client as root over the socket
#
# LMS_DB_DIR and LMS_DB_PORT choose the instance, so tests can run a second one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CNF="$LMS_DB_DIR/my.cnf"
PID_FILE="$LMS_DB_DIR/mariadb.pid"

write_config() {
  local run_as=""
  [[ $(id -u) -eq 0 ]] && run_as="user=root"
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
thread_handling=one-thread-per-connection
skip-name-resolve
CNF
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
    mariadb-install-db --defaults-file="$CNF" --auth-root-authentication-method=socket \
      --skip-test-db >"$LMS_DB_DIR/install.log" 2>&1 || {
      cat "$LMS_DB_DIR/install.log" >&2
      die "mariadb-install-db failed"
    }
  fi
  if [[ ! -s "$LMS_DB_PASSWORD_FILE" ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$LMS_DB_PASSWORD_FILE")
  fi
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

create_app_user() {
  local pw
  pw=$(cat "$LMS_DB_PASSWORD_FILE")
  # The app user may create databases: each test suite makes a fresh one.
  root_sql <<SQL
CREATE USER IF NOT EXISTS '$LMS_DB_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS '$LMS_DB_USER'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO '$LMS_DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$LMS_DB_USER'@'localhost';
CREATE DATABASE IF NOT EXISTS \`$LMS_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;
SQL
}

start() {
  initialise
  if is_running; then
    log "MariaDB already running (pid $(cat "$PID_FILE"), port $LMS_DB_PORT)"
  else
    log "starting MariaDB on 127.0.0.1:$LMS_DB_PORT"
    rm -f "$PID_FILE"  # left behind by a crash (kill -9): it names a dead process
    setsid mariadbd --defaults-file="$CNF" >>"$LMS_DB_DIR/stdout.log" 2>&1 </dev/null &
    for _ in $(seq 1 100); do [[ -f "$PID_FILE" ]] && break; sleep 0.1; done
  fi
  wait_until_up
  create_app_user
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
  *) echo "usage: $0 start|stop|status|kill|sql" >&2; exit 2 ;;
esac

# Shared settings for the deploy scripts. Sourced, never run.
# Every path is under the checkout, so two checkouts never share a database or a build.

LMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LMS_VAR_DIR="${LMS_VAR_DIR:-$LMS_ROOT/var}"
LMS_BUILD_DIR="${LMS_BUILD_DIR:-$LMS_ROOT/build}"
LMS_DB_DIR="${LMS_DB_DIR:-$LMS_VAR_DIR/mariadb}"
LMS_DB_PORT="${LMS_DB_PORT:-3307}"
LMS_DB_NAME="${LMS_DB_NAME:-lms}"
LMS_DB_USER="${LMS_DB_USER:-lms}"
LMS_DB_SOCKET="$LMS_DB_DIR/mariadb.sock"
LMS_DB_PASSWORD_FILE="$LMS_DB_DIR/lms.password"
# Migrations and demo data; tests and tools that make databases (schemas t_*, connecting
# first to t_admin). See deploy/mariadb.sh.
LMS_DB_MIGRATE_USER="${LMS_DB_MIGRATE_USER:-lms_migrate}"
LMS_DB_MIGRATE_PASSWORD_FILE="$LMS_DB_DIR/lms_migrate.password"
LMS_DB_TEST_USER="${LMS_DB_TEST_USER:-lms_test}"
LMS_DB_TEST_PASSWORD_FILE="$LMS_DB_DIR/lms_test.password"
LMS_DB_TEST_ADMIN_DB=t_admin

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Brings the site's schema up to date, as the migrations user (the servers' own user may
# not change the schema). Needs the private MariaDB running and lms-server built.
migrate_site_schema() {
  log "migrating $LMS_DB_NAME (as $LMS_DB_MIGRATE_USER)"
  "$LMS_BUILD_DIR/services/all_in_one/lms-server" --db_socket "$LMS_DB_SOCKET" \
    --db_user "$LMS_DB_MIGRATE_USER" --db_name "$LMS_DB_NAME" \
    --db_password_file "$LMS_DB_MIGRATE_PASSWORD_FILE" --migrate_only
}

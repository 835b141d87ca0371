// lms-generate: builds a large site for statistics tests and benchmarks (README
// "Statistics"): a fresh database, migrated, filled with multi-row INSERTs, then the
// rollups and the latest month's snapshot built by the statistics service's own code.
//
//   build/tools/lms-generate --db_socket var/mariadb/mariadb.sock --db_user lms_test
//     --db_password_file var/mariadb/lms_test.password --db_name t_large_site --replace
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/db/connection_pool.h"
#include "common/db/migration.h"
#include "common/db/migrator.h"
#include "common/time/china_time.h"
#include "common/time/clock.h"
#include "services/server/server_config.h"
#include "services/statistics/month_snapshots.h"
#include "services/statistics/standings_rollup.h"
#include "tools/generate/site_generator.h"

ABSL_FLAG(std::string, admin_db, "t_admin",
          "an existing database to connect to while creating --db_name");
ABSL_FLAG(bool, replace, false, "drop --db_name first if it exists");
ABSL_FLAG(int64_t, members, 200'000, "members");
ABSL_FLAG(int64_t, organizations, 5'000, "organisations");
ABSL_FLAG(int64_t, courses, 2'000, "courses (five lessons each)");
ABSL_FLAG(int64_t, enrollments, 1'000'000, "enrolments (about)");
ABSL_FLAG(int64_t, events, 20'000'000, "progress events (about)");
ABSL_FLAG(int64_t, attempts, 500'000, "graded test attempts");
ABSL_FLAG(uint32_t, seed, 20261201, "random seed: the same seed, the same site");

namespace lms {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

int Main() {
  const server::ServerConfig config = server::ConfigFromFlags();
  db::DbConfig target = config.db;
  target.max_statement_time = absl::Minutes(10);
  if (!ValidName(target.database)) {
    std::cerr << "--db_name must be 1-64 of [A-Za-z0-9_]\n";
    return 2;
  }
  const absl::Time started = absl::Now();
  {
    db::DbConfig admin = target;
    admin.database = absl::GetFlag(FLAGS_admin_db);
    db::ConnectionPool pool(admin);
    absl::StatusOr<db::Transaction> tx = pool.Begin(absl::Now() + absl::Minutes(5));
    if (!tx.ok()) {
      std::cerr << "cannot connect: " << tx.status() << "\n";
      return 1;
    }
    // Identifiers cannot be bound parameters; the name is checked above.
    if (absl::GetFlag(FLAGS_replace)) {
      (void)tx->Execute(absl::StrCat("DROP DATABASE IF EXISTS `", target.database, "`"), {});
    }
    const absl::Status created =
        tx->Execute(absl::StrCat("CREATE DATABASE `", target.database,
                                 "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"),
                    {})
            .status();
    if (!created.ok()) {
      std::cerr << "cannot create " << target.database
                << " (use --replace to start over): " << created << "\n";
      return 1;
    }
  }
  db::ConnectionPool pool(target);
  if (const auto applied =
          db::Migrator(pool).Apply(db::EmbeddedMigrations(), absl::Now() + absl::Minutes(5));
      !applied.ok()) {
    std::cerr << "cannot migrate: " << applied.status() << "\n";
    return 1;
  }
  generate::SiteOptions options;
  options.members = absl::GetFlag(FLAGS_members);
  options.organizations = absl::GetFlag(FLAGS_organizations);
  options.courses = absl::GetFlag(FLAGS_courses);
  options.enrollments = absl::GetFlag(FLAGS_enrollments);
  options.progress_events = absl::GetFlag(FLAGS_events);
  options.attempts = absl::GetFlag(FLAGS_attempts);
  options.seed = absl::GetFlag(FLAGS_seed);
  absl::Time stage_start = absl::Now();
  std::string stage;
  const auto report = [&](const std::string& next) {
    const absl::Time now = absl::Now();
    if (!stage.empty()) {
      std::cout << absl::StrFormat("  %-34s %8.1f s\n", stage,
                                   absl::ToDoubleSeconds(now - stage_start))
                << std::flush;
    }
    stage = next;
    stage_start = now;
  };
  std::cout << "generating " << target.database << "\n";
  const absl::StatusOr<generate::SiteCounts> counts = generate::GenerateSite(pool, options, report);
  if (!counts.ok()) {
    std::cerr << "cannot generate: " << counts.status() << "\n";
    return 1;
  }
  const RealClock clock;
  report("rollups (the statistics job)");
  const absl::StatusOr<int64_t> rolled =
      statistics::StandingsRollup(pool, clock).RunOnce(absl::Now() + absl::Hours(1));
  if (!rolled.ok()) {
    std::cerr << "cannot build the rollups: " << rolled.status() << "\n";
    return 1;
  }
  // The months already due, as the snapshot task would freeze them; then last month,
  // before its grace has passed, so a benchmark has a snapshot to read.
  const statistics::MonthSnapshots snapshots(pool, clock);
  report("snapshots of the months due");
  const absl::StatusOr<int> due = snapshots.FreezeDue(absl::Now() + absl::Hours(2));
  if (!due.ok()) {
    std::cerr << "cannot freeze the months due: " << due.status() << "\n";
    return 1;
  }
  const absl::CivilMonth last_month = absl::CivilMonth(TodayInChina(absl::Now())) - 1;
  report(absl::StrCat("snapshot of ", absl::FormatCivilTime(last_month)));
  if (const absl::Status frozen = snapshots.FreezeMonth(last_month, absl::Now() + absl::Hours(1));
      !frozen.ok() && !absl::IsAlreadyExists(frozen)) {
    std::cerr << "cannot freeze " << absl::FormatCivilTime(last_month) << ": " << frozen << "\n";
    return 1;
  }
  report("");
  const generate::SiteCounts& c = *counts;
  std::cout << absl::StrFormat(
      "done in %.1f s: %d organisations, %d members, %d courses, %d lessons, %d enrolments, "
      "%d progress events, %d completions, %d credits, %d attempts, %d activities, %d "
      "attendance rows; %d standings rolled up, %d months frozen\n",
      absl::ToDoubleSeconds(absl::Now() - started), c.organizations, c.members, c.courses,
      c.lessons, c.enrollments, c.progress_events, c.completions, c.credits, c.attempts,
      c.activities, c.attendance, *rolled, *due + 1);
  return 0;
}

}  // namespace
}  // namespace lms

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lms::Main();
}

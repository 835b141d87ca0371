#include "tools/bench/export_scenarios.h"

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/export/csv_writer.h"
#include "common/time/china_time.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tools/admin/report_command.h"
#include "tools/bench/statistics_scenarios.h"

namespace lms::bench {
namespace {

// The raw rows of the member export: the standings with names and codes, and the
// credits by source pivoted, in the export's organisation-then-member order.
constexpr char kRawMembers[] =
    "SELECT o.code, o.name, m.member_number, m.name, s.category_mask, s.in_plan,"
    " s.required_hundredths, s.expected_hundredths, s.credited_hundredths,"
    " COALESCE(SUM(CASE WHEN h.summary_source = 1 THEN h.hundredths END), 0),"
    " COALESCE(SUM(CASE WHEN h.summary_source = 2 THEN h.hundredths END), 0),"
    " COALESCE(SUM(CASE WHEN h.summary_source = 3 THEN h.hundredths END), 0),"
    " COALESCE(SUM(CASE WHEN h.summary_source = 4 THEN h.hundredths END), 0),"
    " COALESCE(SUM(CASE WHEN h.summary_source = 5 THEN h.hundredths END), 0),"
    " COALESCE(SUM(CASE WHEN h.summary_source = 7 THEN h.hundredths END), 0),"
    " s.required_courses, s.completed_courses, s.overdue_courses, s.study_ms,"
    " DATE_FORMAT(s.last_study, '%Y-%m-%d'), s.behind"
    " FROM statistics_member_standing s JOIN member m ON m.id = s.member_id"
    " JOIN organization o ON o.id = s.organization_id"
    " LEFT JOIN hours_credit h ON h.member_id = s.member_id AND h.year = ?"
    " GROUP BY s.member_id ORDER BY s.organization_id, s.member_id";

// This process's resident memory, in bytes (Linux /proc).
int64_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kb = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(6, line.size() - 9)), &kb)) {
        return kb * 1024;
      }
    }
  }
  return 0;
}

// Samples the resident memory every 20 ms while alive; the peak above the start.
class MemoryWatch {
 public:
  MemoryWatch() : start_(ResidentBytes()), peak_(start_) {
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        const int64_t now = ResidentBytes();
        int64_t peak = peak_.load();
        while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  ~MemoryWatch() { Stop(); }
  int64_t Stop() {
    if (thread_.joinable()) {
      stop_ = true;
      thread_.join();
    }
    return peak_.load() - start_;
  }

 private:
  const int64_t start_;
  std::atomic<int64_t> peak_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Run {
  bool ok = false;
  int64_t rows = 0;
  int64_t bytes = 0;
  absl::Duration time;
  int64_t memory_growth = 0;
};

double Mb(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

}  // namespace

int RunExportScenarios(db::ConnectionPool& pool, const auth::TokenKeys& keys, const Clock& clock,
                       absl::Duration token_lifetime, const ExportBenchOptions& options) {
  const int year = static_cast<int>(TodayInChina(clock.Now()).year());
  const std::string authorization = SystemAdminAuthorization(keys, clock, token_lifetime);
  auto stub = v1::StatisticsService::NewStub(
      grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
  const std::string path = absl::StrCat(options.directory, "/lms-bench-export-", ::getpid());

  // S: the server's export streamed into a file.
  const auto server_export = [&](v1::ExportTable table, v1::ExportFormat format) {
    Run run;
    MemoryWatch memory;
    const absl::Time start = absl::Now();
    v1::ExportStatisticsRequest request;
    request.mutable_scope()->set_organization_id(1);
    request.mutable_scope()->set_year(year);
    request.set_table(table);
    request.set_format(format);
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    auto reader = stub->ExportStatistics(&context, request);
    v1::ExportChunk chunk;
    bool rollup = false;
    while (reader->Read(&chunk)) {
      if (chunk.has_header()) {
        rollup = chunk.header().stamp().source() == v1::ReportStamp::SOURCE_ROLLUP;
      }
      out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
      run.bytes += static_cast<int64_t>(chunk.data().size());
      if (chunk.has_trailer()) run.rows = chunk.trailer().rows();
    }
    const grpc::Status status = reader->Finish();
    out.close();
    run.time = absl::Now() - start;
    run.memory_growth = memory.Stop();
    run.ok = status.ok() && rollup;
    if (!status.ok()) std::cerr << "export: " << status.error_message() << "\n";
    if (status.ok() && !rollup) std::cerr << "export: not from the rollups; wait for them\n";
    return run;
  };
  // R: the raw query streamed to a file with the same CSV writer.
  const auto raw_export = [&] {
    Run run;
    const absl::Time start = absl::Now();
    absl::StatusOr<db::Transaction> tx = pool.Begin(absl::Now() + absl::Minutes(10));
    if (!tx.ok()) return run;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::string buffer;
    export_file::CsvWriter writer(&buffer);
    writer.ByteOrderMark();
    const absl::Status queried = tx->Query(kRawMembers, {year}, [&](const db::Row& row) {
      std::vector<export_file::Cell> cells = {row.String(1), row.String(2), row.String(3),
                                              row.String(4), row.Int64(5),  row.Int64(6)};
      for (int column = 7; column <= 15; ++column) {
        cells.emplace_back(export_file::Decimal{row.Int64(column), 2});
      }
      for (int column = 16; column <= 18; ++column) cells.emplace_back(row.Int64(column));
      cells.emplace_back(export_file::Decimal{row.Int64(19) / 36000, 2});
      cells.emplace_back(row.IsNull(20) ? std::string() : row.String(20));
      cells.emplace_back(row.Int64(21));
      writer.Row(cells);
      ++run.rows;
      if (buffer.size() > (1 << 20)) {
        out << buffer;
        run.bytes += static_cast<int64_t>(buffer.size());
        buffer.clear();
      }
    });
    out << buffer;
    run.bytes += static_cast<int64_t>(buffer.size());
    out.close();
    run.time = absl::Now() - start;
    run.ok = queried.ok();
    if (!queried.ok()) std::cerr << "export raw: " << queried << "\n";
    return run;
  };

  std::vector<double> ratios;
  int64_t worst_growth = 0;
  absl::Duration worst_time;
  for (int round = 1; round <= options.rounds; ++round) {
    const Run s = server_export(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV);
    const Run r = raw_export();
    if (!s.ok || !r.ok || s.rows == 0) return 1;
    const double s_rate = static_cast<double>(s.rows) / absl::ToDoubleSeconds(s.time);
    const double r_rate = static_cast<double>(r.rows) / absl::ToDoubleSeconds(r.time);
    ratios.push_back(s_rate / r_rate);
    worst_growth = std::max(worst_growth, s.memory_growth);
    worst_time = std::max(worst_time, s.time);
    std::cout << absl::StrFormat(
        "export members csv round %d: S %d rows %.1f MB in %.2f s (%.0f rows/s, memory +%.1f "
        "MB) | R %d rows %.1f MB in %.2f s (%.0f rows/s) | S/R %.2f\n",
        round, s.rows, Mb(s.bytes), absl::ToDoubleSeconds(s.time), s_rate, Mb(s.memory_growth),
        r.rows, Mb(r.bytes), absl::ToDoubleSeconds(r.time), r_rate, s_rate / r_rate);
  }
  std::sort(ratios.begin(), ratios.end());
  std::cout << absl::StrFormat(
      "export members csv: median S/R %.2f (target >= 0.5), slowest S %.2f s (target <= 20), "
      "largest memory growth %.1f MB (target < 100)\n",
      ratios[ratios.size() / 2], absl::ToDoubleSeconds(worst_time), Mb(worst_growth));
  const Run xlsx = server_export(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_XLSX);
  const Run organizations = server_export(v1::EXPORT_TABLE_ORGANIZATIONS, v1::EXPORT_FORMAT_XLSX);
  std::remove(path.c_str());
  if (!xlsx.ok || !organizations.ok) return 1;

  // The inspection report of the whole tree, as lms-admin report makes it (HTML only).
  {
    auto organization_stub = v1::OrganizationService::NewStub(
        grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()));
    admin::ReportOptions report;
    report.organization_id = 1;
    report.output = path + ".html";
    std::ostringstream progress;
    const absl::Time start = absl::Now();
    const absl::StatusOr<admin::ReportResult> written =
        admin::RunReport(*organization_stub, *stub, authorization.substr(7), report, progress);
    const absl::Duration took = absl::Now() - start;
    std::remove(report.output.c_str());
    if (!written.ok()) {
      std::cerr << "report: " << written.status() << "\n";
      return 1;
    }
    std::cout << absl::StrFormat("report whole tree (%d members, html): %.2f s\n", written->members,
                                 absl::ToDoubleSeconds(took));
    std::cout << progress.str();
  }
  std::cout << absl::StrFormat(
      "export members xlsx: %d rows %.1f MB in %.2f s (memory +%.1f MB)\n"
      "export organizations xlsx: %d rows %.1f MB in %.2f s\n",
      xlsx.rows, Mb(xlsx.bytes), absl::ToDoubleSeconds(xlsx.time), Mb(xlsx.memory_growth),
      organizations.rows, Mb(organizations.bytes), absl::ToDoubleSeconds(organizations.time));
  return 0;
}

}  // namespace lms::bench

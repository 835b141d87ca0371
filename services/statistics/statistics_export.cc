#include "services/statistics/statistics_export.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log/log.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"
#include "services/statistics/member_statistics.h"
#include "services/statistics/report_directory.h"

namespace lms::statistics {
namespace {

// The most bytes one message carries (under gRPC's 4 MiB): a batch of CSV rows (a few
// hundred kilobytes) goes whole; an XLSX, once whole, in pieces of this size.
constexpr size_t kFilePiece = size_t{3} << 20;

const char* SourceName(FiguresSource source) {
  switch (source) {
    case FiguresSource::kRollup:
      return "实时汇总 (rollup)";
    case FiguresSource::kSnapshot:
      return "月度快照 (snapshot)";
    case FiguresSource::kRecount:
      return "重新统计 (recount)";
    case FiguresSource::kUnspecified:
      break;
  }
  return "";
}

// The stamp as the workbook's second sheet states it.
std::vector<export_file::Note> StampNotes(const ReportStamp& stamp, const std::string& organization,
                                          const ExportInput& input, const ExportResult& result) {
  std::vector<std::string> settings;
  for (const int64_t id : stamp.rules.setting_change_ids) settings.push_back(absl::StrCat(id));
  std::vector<std::string> plans;
  for (const auto& [plan, version] : stamp.rules.plan_versions) {
    plans.push_back(absl::StrCat(plan, "v", version));
  }
  return {
      {"统计组织", organization},
      {"统计口径", input.scope.plan_id != 0 ? absl::StrCat("培训计划 ", input.scope.plan_id)
                                            : absl::StrCat(stamp.as_of.year(), " 年度")},
      {"截至日期", absl::FormatCivilTime(stamp.as_of)},
      {"数据接收截至", FormatChinaTime(stamp.received_by)},
      {"生成时间", FormatChinaTime(stamp.generate_time)},
      {"数据来源", SourceName(stamp.source)},
      {"汇总延迟(毫秒)", absl::StrCat(stamp.rollup_lag_ms)},
      {"设置版本", absl::StrJoin(settings, ", ")},
      {"计划版本", absl::StrJoin(plans, ", ")},
      {"行数", absl::StrCat(result.rows)},
      {"数据指纹 (SHA-256)", stamp.figures_hash},
  };
}

ExportOutcome OutcomeOf(const absl::Status& status) {
  if (status.ok()) return ExportOutcome::kComplete;
  if (status.code() == absl::StatusCode::kCancelled) return ExportOutcome::kCancelled;
  return ExportOutcome::kFailed;
}

}  // namespace

absl::StatusOr<ExportHeaderInfo> StatisticsExport::Open(const call::CallContext& call,
                                                        const ExportInput& input) {
  status::FieldErrors errors;
  const int table = static_cast<int>(input.table);
  if (table < 1 || table > 3) {
    errors.Add(
        "table",
        absl::StrCat("must be EXPORT_TABLE_MEMBERS, _COURSES or _ORGANIZATIONS (got ", table, ")"));
  }
  const int format = static_cast<int>(input.format);
  if (format < 1 || format > 2) {
    errors.Add("format",
               absl::StrCat("must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_XLSX (got ", format, ")"));
  }
  if (const absl::Status category = CheckMemberCategory(input.category); !category.ok()) {
    errors.Add("category", std::string(category.message()));
  } else if (input.category != 0 && input.table != ExportTable::kMembers) {
    errors.Add("category", "filters members only: leave it unset for this table");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  input_ = input;

  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(call.deadline));
  snapshot_.emplace(std::move(tx));
  ASSIGN_OR_RETURN(table_,
                   OpenExportTable(*snapshot_, input.table, input.scope, input.category, now));
  ASSIGN_OR_RETURN(const auto labels,
                   ReportDirectory().Organizations(*snapshot_, {input.scope.organization_id}));
  std::string code;
  if (const auto found = labels.find(input.scope.organization_id); found != labels.end()) {
    code = found->second.code;
    organization_label_ = absl::StrCat(found->second.name, " (", code, ")");
  }
  if (input.format == ExportFormat::kXlsx) {
    ASSIGN_OR_RETURN(file_, export_file::NewXlsxTableFile(table_->sheet()));
  } else {
    file_ = export_file::NewCsvTableFile();
  }
  RETURN_IF_ERROR(file_->Header(table_->columns()));
  figures_hash_.Update(absl::StrCat(table_->canonical_tag(), "\n"));

  // Personal data is about to leave: recorded, and committed, before the first byte.
  const ReportStamp& stamp = table_->stamp();
  ExportAuditEntry entry;
  entry.caller = call.caller;
  entry.table = table;
  entry.format = format;
  entry.organization_id = input.scope.organization_id;
  entry.year = input.scope.year;
  entry.plan_id = input.scope.plan_id;
  entry.as_of = stamp.as_of;
  entry.received_by = stamp.received_by;
  entry.category = input.category;
  entry.start_time = now;
  {
    ASSIGN_OR_RETURN(db::Transaction audit, pool_.Begin(call.deadline));
    ASSIGN_OR_RETURN(audit_id_, audit_.Begin(audit, entry));
    RETURN_IF_ERROR(audit.Commit());
  }
  log::Info("export_started", {{"export", audit_id_},
                               {"actor", call.caller.member_id},
                               {"table", table},
                               {"organization", input.scope.organization_id},
                               {"expected_rows", table_->expected_rows()}});

  ExportHeaderInfo header;
  header.stamp = stamp;
  header.file_name = absl::StrCat(table_->file_stem(), "-",
                                  code.empty() ? absl::StrCat(input.scope.organization_id) : code,
                                  "-", absl::FormatCivilTime(stamp.as_of),
                                  input.format == ExportFormat::kXlsx ? ".xlsx" : ".csv");
  header.content_type = input.format == ExportFormat::kXlsx
                            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            : "text/csv; charset=utf-8";
  header.expected_rows = table_->expected_rows();
  return header;
}

absl::StatusOr<std::optional<ExportPiece>> StatisticsExport::Next() {
  ExportPiece piece;
  if (!rows_done_) {
    std::string canonical;
    ASSIGN_OR_RETURN(const auto rows, table_->Next(*snapshot_, &canonical));
    figures_hash_.Update(canonical);
    for (const std::vector<export_file::Cell>& row : rows) RETURN_IF_ERROR(file_->Row(row));
    result_.rows += static_cast<int64_t>(rows.size());
    if (rows.empty()) {
      rows_done_ = true;
      result_.stamp = table_->stamp();
      result_.stamp.figures_hash = figures_hash_.HexDigest();
      RETURN_IF_ERROR(
          file_->Finish(StampNotes(result_.stamp, organization_label_, input_, result_)));
    }
    ASSIGN_OR_RETURN(piece.data, file_->Take(kFilePiece));
    if (!rows_done_ || !piece.data.empty()) {
      file_hash_.Update(piece.data);
      result_.bytes += static_cast<int64_t>(piece.data.size());
      piece.rows_written = result_.rows;
      return piece;
    }
  }
  ASSIGN_OR_RETURN(piece.data, file_->Take(kFilePiece));
  if (piece.data.empty()) {
    if (result_.file_sha256.empty()) result_.file_sha256 = file_hash_.HexDigest();
    return std::nullopt;
  }
  file_hash_.Update(piece.data);
  result_.bytes += static_cast<int64_t>(piece.data.size());
  piece.rows_written = result_.rows;
  return piece;
}

void StatisticsExport::Close(const absl::Status& outcome) {
  snapshot_.reset();  // rolls back: the export only read
  if (audit_id_ == 0) return;
  const absl::Status recorded = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(db::Transaction tx, pool_.Begin(absl::Now() + absl::Seconds(10)));
    RETURN_IF_ERROR(audit_.Finish(tx, audit_id_, clock_.Now(), result_.rows, OutcomeOf(outcome),
                                  result_.file_sha256));
    return tx.Commit();
  }();
  log::Info("export_finished", {{"export", audit_id_},
                                {"rows", result_.rows},
                                {"bytes", result_.bytes},
                                {"outcome", static_cast<int64_t>(OutcomeOf(outcome))}});
  if (!recorded.ok()) {
    log::Warn("export_audit_not_completed",
              {{"export", audit_id_}, {"error", std::string(recorded.message())}});
  }
}

}  // namespace lms::statistics

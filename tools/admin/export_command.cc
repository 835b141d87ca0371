#include "tools/admin/export_command.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/export/sha256_stream.h"
#include "tools/admin/progress_bar.h"

namespace lms::admin {
namespace {

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

absl::StatusOr<v1::StatisticsScope> ScopeOf(const ExportOptions& options, int64_t organization) {
  v1::StatisticsScope scope;
  scope.set_organization_id(organization);
  if (options.plan_id != 0) {
    scope.set_plan_id(options.plan_id);
  } else {
    scope.set_year(options.year != 0
                       ? options.year
                       : static_cast<int>(
                             absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(8 * 3600)).year()));
  }
  if (!options.as_of.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(options.as_of, &day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--as-of must be YYYY-MM-DD (got ", options.as_of, ")"));
    }
    v1::Date* as_of = scope.mutable_as_of();
    as_of->set_year(static_cast<int>(day.year()));
    as_of->set_month(day.month());
    as_of->set_day(day.day());
  }
  if (!options.received_by.empty()) {
    absl::Time time;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, options.received_by, &time, &error)) {
      return absl::InvalidArgumentError(absl::StrCat("--received-by must be an RFC 3339 time (got ",
                                                     options.received_by, "): ", error));
    }
    const int64_t micros = absl::ToUnixMicros(time);
    scope.mutable_received_by()->set_seconds(micros / 1000000);
    scope.mutable_received_by()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  }
  return scope;
}

absl::StatusOr<v1::ExportTable> TableOf(const std::string& name) {
  if (name == "members") return v1::EXPORT_TABLE_MEMBERS;
  if (name == "courses") return v1::EXPORT_TABLE_COURSES;
  if (name == "organizations") return v1::EXPORT_TABLE_ORGANIZATIONS;
  return absl::InvalidArgumentError(
      absl::StrCat("the table is members, courses or organizations (got ", name, ")"));
}

absl::StatusOr<v1::ExportFormat> FormatOf(const ExportOptions& options) {
  std::string format = absl::AsciiStrToLower(options.format);
  if (format.empty()) format = absl::EndsWithIgnoreCase(options.output, ".xlsx") ? "xlsx" : "csv";
  if (format == "csv") return v1::EXPORT_FORMAT_CSV;
  if (format == "xlsx") return v1::EXPORT_FORMAT_XLSX;
  return absl::InvalidArgumentError(absl::StrCat("--format is csv or xlsx (got ", format, ")"));
}

absl::StatusOr<v1::MemberCategory> CategoryOf(const std::string& name) {
  static const std::map<std::string, v1::MemberCategory> kCategories = {
      {"", v1::MEMBER_CATEGORY_UNSPECIFIED},
      {"ordinary", v1::MEMBER_CATEGORY_ORDINARY},
      {"probationary", v1::MEMBER_CATEGORY_PROBATIONARY},
      {"branch_secretary", v1::MEMBER_CATEGORY_BRANCH_SECRETARY},
      {"leading_cadre", v1::MEMBER_CATEGORY_LEADING_CADRE},
      {"retired", v1::MEMBER_CATEGORY_RETIRED},
      {"mobile", v1::MEMBER_CATEGORY_MOBILE}};
  const auto found = kCategories.find(name);
  if (found == kCategories.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--category is ordinary, probationary, branch_secretary, leading_cadre, retired or "
        "mobile (got ",
        name, ")"));
  }
  return found->second;
}

std::string SourceName(v1::ReportStamp::Source source) {
  switch (source) {
    case v1::ReportStamp::SOURCE_ROLLUP:
      return "rollup";
    case v1::ReportStamp::SOURCE_SNAPSHOT:
      return "snapshot";
    case v1::ReportStamp::SOURCE_RECOUNT:
      return "recount";
    default:
      return "unspecified";
  }
}

}  // namespace

absl::StatusOr<int64_t> ResolveOrganization(v1::OrganizationService::Stub& organizations,
                                            const std::string& access_token,
                                            const std::string& code, int64_t id) {
  if (code.empty()) {
    if (id > 0) return id;
    return absl::InvalidArgumentError("name the organisation: --organization CODE (or its id)");
  }
  v1::ListOrganizationsRequest request;
  request.set_code(code);
  request.set_include_closed(true);
  v1::ListOrganizationsResponse response;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + access_token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const grpc::Status status = organizations.ListOrganizations(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "looking up the organisation");
  if (response.organizations().empty()) {
    return absl::NotFoundError(
        absl::StrCat("no organisation with code ", code, " within your organisation"));
  }
  return response.organizations(0).id();
}

absl::StatusOr<ExportReport> RunExport(v1::OrganizationService::Stub& organizations,
                                       v1::StatisticsService::Stub& statistics,
                                       const std::string& access_token,
                                       const ExportOptions& options, std::ostream& progress) {
  v1::ExportStatisticsRequest request;
  {
    const absl::StatusOr<v1::ExportTable> table = TableOf(options.table);
    if (!table.ok()) return table.status();
    const absl::StatusOr<v1::ExportFormat> format = FormatOf(options);
    if (!format.ok()) return format.status();
    const absl::StatusOr<v1::MemberCategory> category = CategoryOf(options.category);
    if (!category.ok()) return category.status();
    const absl::StatusOr<int64_t> organization = ResolveOrganization(
        organizations, access_token, options.organization_code, options.organization_id);
    if (!organization.ok()) return organization.status();
    absl::StatusOr<v1::StatisticsScope> scope = ScopeOf(options, *organization);
    if (!scope.ok()) return scope.status();
    *request.mutable_scope() = *std::move(scope);
    request.set_table(*table);
    request.set_format(*format);
    request.set_category(*category);
  }

  ExportReport report;
  report.path = options.output;
  const std::string part = options.output + ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) return absl::FailedPreconditionError(absl::StrCat("cannot write ", part));

  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + access_token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
  std::unique_ptr<grpc::ClientReader<v1::ExportChunk>> reader =
      statistics.ExportStatistics(&context, request);
  export_file::Sha256Stream hash;
  int64_t bytes = 0;
  bool trailer_seen = false;
  v1::ExportChunk chunk;
  while (reader->Read(&chunk)) {
    if (chunk.has_header()) report.header = chunk.header();
    if (!chunk.data().empty()) {
      out.write(chunk.data().data(), static_cast<std::streamsize>(chunk.data().size()));
      hash.Update(chunk.data());
      bytes += static_cast<int64_t>(chunk.data().size());
    }
    if (chunk.has_trailer()) {
      report.trailer = chunk.trailer();
      trailer_seen = true;
    }
    if (options.show_progress) {
      DrawProgress(progress, static_cast<size_t>(chunk.rows_written()),
                   static_cast<size_t>(
                       std::max<int64_t>(report.header.expected_rows(), chunk.rows_written())),
                   "rows");
    }
  }
  const grpc::Status status = reader->Finish();
  if (options.show_progress) progress << "\n";
  out.close();
  const auto discard = [&](absl::Status why) {
    std::remove(part.c_str());
    return why;
  };
  if (!status.ok()) return discard(FromGrpc(status, "export"));
  if (!out) return discard(absl::DataLossError(absl::StrCat("cannot write ", part)));
  if (!trailer_seen || bytes != report.trailer.bytes() ||
      hash.HexDigest() != report.trailer.sha256()) {
    return discard(absl::DataLossError("the file received differs from the one the server sent"));
  }
  if (std::rename(part.c_str(), options.output.c_str()) != 0) {
    return discard(absl::FailedPreconditionError(absl::StrCat("cannot rename ", part)));
  }
  return report;
}

std::string Summarize(const ExportReport& report) {
  const v1::ReportStamp& stamp = report.trailer.stamp();
  const auto day = [](const v1::Date& d) {
    return absl::StrCat(d.year(), "-", d.month() < 10 ? "0" : "", d.month(), "-",
                        d.day() < 10 ? "0" : "", d.day());
  };
  const absl::Time received = absl::FromUnixSeconds(stamp.received_by().seconds()) +
                              absl::Nanoseconds(stamp.received_by().nanos());
  return absl::StrCat(report.trailer.rows(), " rows, ", report.trailer.bytes(),
                      " bytes written to ", report.path, "\n  sha256 ", report.trailer.sha256(),
                      "\n  as of ", day(stamp.as_of()), ", received by ",
                      absl::FormatTime(absl::RFC3339_full, received, absl::UTCTimeZone()),
                      ", source ", SourceName(stamp.source()), ", rollup lag ",
                      stamp.rollup_lag_ms(), " ms\n  figures hash ", stamp.figures_hash(), "\n");
}

}  // namespace lms::admin

// Exports through a real gRPC stream against a real database, on the statistics tests'
// hand-made site: the member file equals the member listing (ListMemberStatistics, every
// page) and the figures the other RPCs show; CSV quoting of names with commas, quotes and
// line breaks, and no name turned into a formula; the XLSX read back equal to the CSV;
// courses and organisations; the trailer's size and SHA-256 equal to the bytes; every
// export recorded in the audit trail; the listing's pages and filters; bad input with
// exact codes.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/export/sha256_stream.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/statistics.grpc.pb.h"
#include "tests/statistics/statistics_seed.h"
#include "tests/testing/test_server.h"
#include "tools/admin/spreadsheet.h"

namespace lms {
namespace {

using auth::Role;

constexpr int64_t kRoot = 1;
constexpr int64_t kBranchA = 2;

// What a test reads back from one export stream.
struct Received {
  grpc::Status status;
  v1::ExportHeader header;
  v1::ExportTrailer trailer;
  std::string bytes;
  int chunks = 0;
  int64_t last_rows_written = 0;
};

class StatisticsExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("statistics_export");
    testing::SeedKnownStatisticsSite(server_->database());
    // A name a careless CSV would break (comma, quotes, a line break) and one a spreadsheet
    // would run as a formula.
    testing::SeedMemberSince(server_->database(), 504, kBranchA, 2, "2020-01-01");
    server_->database().Execute("UPDATE member SET name = '王,\"五\"\n二' WHERE id = 504");
    testing::SeedMemberSince(server_->database(), 505, kBranchA, 2, "2020-01-01");
    server_->database().Execute("UPDATE member SET name = '=HYPERLINK(1)' WHERE id = 505");
  }
  static void TearDownTestSuite() { delete server_; }

  static std::string Admin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }

  static v1::StatisticsScope Scope(int64_t organization = kRoot) {
    v1::StatisticsScope scope;
    scope.set_organization_id(organization);
    scope.set_year(2026);
    grpc_util::SetDate(absl::CivilDay(2026, 7, 2), scope.mutable_as_of());
    return scope;
  }

  static Received Export(const v1::ExportStatisticsRequest& request,
                         const std::string& token = Admin()) {
    Received received;
    auto context = server_->Context(token);
    std::unique_ptr<grpc::ClientReader<v1::ExportChunk>> reader =
        server_->statistics().ExportStatistics(context.get(), request);
    v1::ExportChunk chunk;
    while (reader->Read(&chunk)) {
      ++received.chunks;
      if (chunk.has_header()) received.header = chunk.header();
      if (chunk.has_trailer()) received.trailer = chunk.trailer();
      received.bytes += chunk.data();
      EXPECT_GE(chunk.rows_written(), received.last_rows_written);
      received.last_rows_written = chunk.rows_written();
    }
    received.status = reader->Finish();
    return received;
  }
  static v1::ExportStatisticsRequest Request(v1::ExportTable table, v1::ExportFormat format,
                                             int64_t organization = kRoot) {
    v1::ExportStatisticsRequest request;
    *request.mutable_scope() = Scope(organization);
    request.set_table(table);
    request.set_format(format);
    return request;
  }
  // The file's rows as the admin tool's own reader reads them (header first).
  static std::vector<admin::SheetRow> ReadBack(const std::string& bytes, const std::string& ext) {
    const std::string path =
        absl::StrCat(::testing::TempDir(), "/export-", ::getpid(), "-", ++files_, ext);
    std::ofstream(path, std::ios::binary) << bytes;
    absl::StatusOr<std::vector<admin::SheetRow>> rows = admin::ReadSpreadsheet(path);
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::remove(path.c_str());
    return rows.ok() ? *rows : std::vector<admin::SheetRow>{};
  }
  static std::vector<v1::MemberStatistics> Listing(
      int page_size, v1::MemberCategory category = v1::MEMBER_CATEGORY_UNSPECIFIED) {
    std::vector<v1::MemberStatistics> members;
    v1::ListMemberStatisticsRequest request;
    *request.mutable_scope() = Scope();
    request.set_page_size(page_size);
    request.set_category(category);
    for (int pages = 0; pages < 20; ++pages) {
      v1::ListMemberStatisticsResponse response;
      const grpc::Status status = server_->statistics().ListMemberStatistics(
          server_->Context(Admin()).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      members.insert(members.end(), response.members().begin(), response.members().end());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return members;
  }

  static testing::TestServer* server_;
  static int files_;
};
testing::TestServer* StatisticsExportTest::server_ = nullptr;
int StatisticsExportTest::files_ = 0;

std::string HoursText(int64_t hundredths) {
  return absl::StrCat(hundredths / 100, ".", hundredths % 100 < 10 ? "0" : "", hundredths % 100);
}

int64_t SourceHours(const v1::MemberStatistics& member, v1::CreditSource source) {
  for (const v1::HoursBySource& by_source : member.hours_by_source()) {
    if (by_source.source() == source) return by_source.hours().hundredths();
  }
  return 0;
}

TEST_F(StatisticsExportTest, TheMemberFileSaysWhatTheListingSays) {
  const std::vector<v1::MemberStatistics> listing = Listing(2);
  // Depth-first by organisation, then member id: A's four, then B's one.
  ASSERT_EQ(listing.size(), 5u);
  EXPECT_EQ(listing[0].member_id(), 501);
  EXPECT_EQ(listing[3].member_id(), 505);
  EXPECT_EQ(listing[4].member_id(), 503);
  EXPECT_EQ(listing[0].organization_code(), "A");
  EXPECT_EQ(listing[0].hours_credited().hundredths(), 3300);
  EXPECT_EQ(SourceHours(listing[0], v1::CREDIT_SOURCE_MANUAL), 3300);
  EXPECT_TRUE(listing[0].meets_requirement());
  EXPECT_EQ(listing[0].completed_courses(), 1);
  EXPECT_EQ(listing[1].overdue_courses(), 1);
  EXPECT_EQ(listing[1].behind_reason(), v1::BEHIND_REASON_HOURS_AND_OVERDUE);
  EXPECT_EQ(listing[4].hours_required().hundredths(), 4000);
  EXPECT_EQ(listing[4].categories_size(), 2);

  const Received csv = Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV));
  ASSERT_TRUE(csv.status.ok()) << csv.status.error_message();
  EXPECT_EQ(csv.header.expected_rows(), 5);
  EXPECT_EQ(csv.header.file_name(), "members-ROOT-2026-07-02.csv");
  EXPECT_EQ(csv.header.stamp().source(), v1::ReportStamp::SOURCE_RECOUNT);
  EXPECT_EQ(csv.trailer.rows(), 5);
  EXPECT_EQ(csv.trailer.bytes(), static_cast<int64_t>(csv.bytes.size()));
  export_file::Sha256Stream hash;
  hash.Update(csv.bytes);
  EXPECT_EQ(csv.trailer.sha256(), hash.HexDigest());
  EXPECT_EQ(csv.bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_FALSE(csv.trailer.stamp().figures_hash().empty());

  const std::vector<admin::SheetRow> rows = ReadBack(csv.bytes, ".csv");
  ASSERT_EQ(rows.size(), 6u);
  const std::vector<std::string>& heading = rows[0].cells;
  ASSERT_EQ(heading.size(), 22u);
  EXPECT_EQ(heading[0], "组织编码");
  EXPECT_EQ(heading[3], "姓名");
  EXPECT_EQ(heading[8], "已获学时");
  EXPECT_EQ(heading[13], "认定学时");
  for (size_t i = 0; i < listing.size(); ++i) {
    const v1::MemberStatistics& m = listing[i];
    const std::vector<std::string>& cells = rows[i + 1].cells;
    SCOPED_TRACE(m.member_id());
    ASSERT_EQ(cells.size(), 22u);
    EXPECT_EQ(cells[0], m.organization_code());
    EXPECT_EQ(cells[1], m.organization_name());
    EXPECT_EQ(cells[2], m.member_number());
    EXPECT_EQ(cells[5], m.in_plan() ? "是" : "否");
    EXPECT_EQ(cells[6], HoursText(m.hours_required().hundredths()));
    EXPECT_EQ(cells[7], HoursText(m.hours_expected().hundredths()));
    EXPECT_EQ(cells[8], HoursText(m.hours_credited().hundredths()));
    EXPECT_EQ(cells[13], HoursText(SourceHours(m, v1::CREDIT_SOURCE_MANUAL)));
    EXPECT_EQ(cells[15], absl::StrCat(m.required_courses()));
    EXPECT_EQ(cells[16], absl::StrCat(m.completed_courses()));
    EXPECT_EQ(cells[17], absl::StrCat(m.overdue_courses()));
    EXPECT_EQ(cells[20], m.meets_requirement() ? "是" : "否");
    if (m.member_id() == 505) {
      // Never a formula in the admin's spreadsheet.
      EXPECT_EQ(cells[3], "'=HYPERLINK(1)");
    } else {
      EXPECT_EQ(cells[3], m.name());
    }
  }
  // Quoted as RFC 4180 says: the comma, the doubled quotes and the line break survive.
  EXPECT_EQ(rows[3].cells[3], "王,\"五\"\n二");
  EXPECT_EQ(rows[1].cells[19], "2026-04-01");
  EXPECT_EQ(rows[5].cells[19], "");
  EXPECT_EQ(rows[5].cells[4], "普通党员、支部书记/支委");

  // Asked again, the same figures: the same hash and the same bytes.
  const Received again = Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV));
  EXPECT_EQ(again.trailer.stamp().figures_hash(), csv.trailer.stamp().figures_hash());
  EXPECT_EQ(again.bytes, csv.bytes);
}

TEST_F(StatisticsExportTest, TheWorkbookReadsBackAsTheCsv) {
  const Received csv = Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV));
  const Received xlsx = Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_XLSX));
  ASSERT_TRUE(xlsx.status.ok()) << xlsx.status.error_message();
  EXPECT_EQ(xlsx.header.content_type(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.bytes.substr(0, 2), "PK");
  EXPECT_EQ(xlsx.trailer.rows(), 5);
  EXPECT_EQ(xlsx.trailer.stamp().figures_hash(), csv.trailer.stamp().figures_hash());
  const std::vector<admin::SheetRow> from_csv = ReadBack(csv.bytes, ".csv");
  const std::vector<admin::SheetRow> from_xlsx = ReadBack(xlsx.bytes, ".xlsx");
  ASSERT_EQ(from_xlsx.size(), from_csv.size());
  for (size_t r = 0; r < from_csv.size(); ++r) {
    SCOPED_TRACE(r);
    const std::vector<std::string>& a = from_csv[r].cells;
    std::vector<std::string> b = from_xlsx[r].cells;
    b.resize(a.size());  // a sheet row ends at its last written cell
    for (size_t c = 0; c < a.size(); ++c) {
      SCOPED_TRACE(c);
      double x = 0;
      double y = 0;
      if (c == 19 && r > 0 && !a[c].empty()) {
        // A date cell reads back as its serial number (days since 1899-12-30).
        absl::CivilDay day;
        ASSERT_TRUE(absl::ParseCivilTime(a[c], &day));
        EXPECT_EQ(b[c], absl::StrCat(day - absl::CivilDay(1899, 12, 30)));
      } else if (r > 0 && absl::SimpleAtod(a[c], &x) && absl::SimpleAtod(b[c], &y)) {
        // Typed numbers in the workbook, not text.
        EXPECT_NEAR(x, y, 1e-9);
      } else if (a[c].rfind('\'', 0) == 0) {
        // The CSV's apostrophe guards a formula; the workbook stores the text as text.
        EXPECT_EQ(a[c].substr(1), b[c]);
      } else {
        EXPECT_EQ(a[c], b[c]);
      }
    }
  }
}

TEST_F(StatisticsExportTest, CoursesAndOrganisationsEqualTheirRpcs) {
  const Received courses = Export(Request(v1::EXPORT_TABLE_COURSES, v1::EXPORT_FORMAT_CSV));
  ASSERT_TRUE(courses.status.ok()) << courses.status.error_message();
  v1::ListCourseStatisticsRequest list;
  *list.mutable_scope() = Scope();
  v1::ListCourseStatisticsResponse listed;
  ASSERT_TRUE(server_->statistics()
                  .ListCourseStatistics(server_->Context(Admin()).get(), list, &listed)
                  .ok());
  EXPECT_EQ(courses.trailer.stamp().figures_hash(), listed.stamp().figures_hash());
  const std::vector<admin::SheetRow> course_rows = ReadBack(courses.bytes, ".csv");
  ASSERT_EQ(course_rows.size(), static_cast<size_t>(listed.courses_size()) + 1);
  EXPECT_EQ(course_rows[1].cells[0], absl::StrCat(listed.courses(0).course_id()));
  EXPECT_EQ(course_rows[1].cells[1], listed.courses(0).title());
  EXPECT_EQ(course_rows[1].cells[2], absl::StrCat(listed.courses(0).enrolled()));
  EXPECT_EQ(course_rows[1].cells[4], absl::StrCat(listed.courses(0).completed()));

  const Received organizations =
      Export(Request(v1::EXPORT_TABLE_ORGANIZATIONS, v1::EXPORT_FORMAT_CSV));
  ASSERT_TRUE(organizations.status.ok()) << organizations.status.error_message();
  v1::GetOrganizationStatisticsRequest get;
  *get.mutable_scope() = Scope();
  v1::OrganizationStatistics figures;
  ASSERT_TRUE(server_->statistics()
                  .GetOrganizationStatistics(server_->Context(Admin()).get(), get, &figures)
                  .ok());
  const std::vector<admin::SheetRow> rows = ReadBack(organizations.bytes, ".csv");
  // Each organisation's rows, its whole subtree counted, as the RPC counts the root and
  // each child.
  std::map<std::string, std::vector<std::string>> all_members;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].cells[4] == "全体党员") all_members[rows[r].cells[0]] = rows[r].cells;
  }
  ASSERT_EQ(all_members.size(), 3u);
  const auto check = [&](const std::string& code, const v1::OrganizationFigures& expected) {
    SCOPED_TRACE(code);
    const std::vector<std::string>& cells = all_members[code];
    const v1::CategoryFigures& all = expected.categories(0);
    EXPECT_EQ(cells[1], expected.name());
    EXPECT_EQ(cells[5], absl::StrCat(all.members()));
    EXPECT_EQ(cells[10], HoursText(all.hours_credited().hundredths()));
    EXPECT_EQ(cells[11], HoursText(all.hours_required().hundredths()));
    EXPECT_EQ(cells[12], absl::StrCat(all.members_meeting_requirement()));
    EXPECT_EQ(cells[13],
              absl::StrCat(all.coverage_permille() / 10, ".", all.coverage_permille() % 10));
  };
  check("ROOT", figures.organization());
  check("A", figures.children(0));
  check("B", figures.children(1));
  EXPECT_EQ(all_members["A"][2], "ROOT");
  EXPECT_EQ(all_members["A"][3], "2");
}

TEST(StatisticsExportBatchTest, ALargeExportComesInBatchesNeverWhole) {
  // 2,500 members in a branch of their own (MariaDB's sequence engine makes the rows), on
  // a site of its own.
  testing::TestServer server("statistics_export_batches");
  auto& db = server.database();
  testing::SeedRootAndTwoBranches(db);
  testing::SeedTreeHistory(db);
  db.Execute(
      "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
      " update_time) VALUES (4, 1, '大支部', 'BIG', 3, 1, NOW(), NOW())");
  db.Execute(
      "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES (4, 4, 0),"
      " (1, 4, 1)");
  db.Execute(
      "INSERT INTO organization_parent_history (organization_id, parent_id, valid_from,"
      " changed_by) VALUES (4, 1, '2020-01-01', 1)");
  db.Execute(
      "INSERT INTO member (id, name, member_number, organization_id, category_mask, join_date,"
      " status, version, create_time, update_time) SELECT 10000 + seq, CONCAT('党员', seq),"
      " CONCAT('BIG', seq), 4, 2, '2010-07-01', 1, 1, NOW(), NOW() FROM seq_1_to_2500");
  db.Execute(
      "INSERT INTO member_assignment (member_id, organization_id, valid_from) SELECT 10000 + seq,"
      " 4, '2020-01-01' FROM seq_1_to_2500");
  db.Execute(
      "INSERT INTO member_status_history (member_id, status, valid_from) SELECT 10000 + seq, 1,"
      " '2020-01-01' FROM seq_1_to_2500");
  db.Execute(
      "INSERT INTO member_category_history (member_id, category, valid_from) SELECT 10000 + seq,"
      " 1, '2020-01-01' FROM seq_1_to_2500");

  v1::ExportStatisticsRequest request;
  request.mutable_scope()->set_organization_id(4);
  request.mutable_scope()->set_year(2026);
  grpc_util::SetDate(absl::CivilDay(2026, 7, 2), request.mutable_scope()->mutable_as_of());
  request.set_table(v1::EXPORT_TABLE_MEMBERS);
  request.set_format(v1::EXPORT_FORMAT_CSV);
  auto context = server.Context(server.Token(Role::kSystemAdmin, 1, kRoot));
  std::unique_ptr<grpc::ClientReader<v1::ExportChunk>> reader =
      server.statistics().ExportStatistics(context.get(), request);
  v1::ExportChunk chunk;
  std::vector<int64_t> rows_after_each;
  size_t largest = 0;
  int64_t expected = 0;
  while (reader->Read(&chunk)) {
    if (chunk.has_header()) expected = chunk.header().expected_rows();
    if (!chunk.data().empty()) rows_after_each.push_back(chunk.rows_written());
    largest = std::max(largest, chunk.data().size());
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(expected, 2500);
  // A batch of at most 1,000 rows a message: the file is made as it is sent, one batch
  // held at a time.
  ASSERT_GE(rows_after_each.size(), 3u);
  int64_t before = 0;
  for (const int64_t rows : rows_after_each) {
    EXPECT_GT(rows, before);
    EXPECT_LE(rows - before, 1000);
    before = rows;
  }
  EXPECT_EQ(before, 2500);
  EXPECT_LT(largest, size_t{1} << 20);
}

TEST_F(StatisticsExportTest, EveryExportIsInTheAuditTrail) {
  const int64_t before = server_->database().QueryInt("SELECT COUNT(*) FROM data_export_audit");
  const std::string branch_admin = server_->Token(Role::kOrgAdmin, 501, kBranchA);
  const Received csv =
      Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV, kBranchA), branch_admin);
  ASSERT_TRUE(csv.status.ok()) << csv.status.error_message();
  EXPECT_EQ(csv.trailer.rows(), 4);
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM data_export_audit"), before + 1);
  EXPECT_EQ(server_->database().QueryString(
                "SELECT CONCAT_WS(',', actor_member_id, actor_role, export_table, export_format,"
                " organization_id, year, as_of, exported_rows, outcome, file_sha256)"
                " FROM data_export_audit ORDER BY id DESC LIMIT 1"),
            absl::StrCat("501,3,1,1,2,2026,2026-07-02,4,1,", csv.trailer.sha256()));
}

TEST_F(StatisticsExportTest, TheListingPagesAndFilters) {
  const std::vector<v1::MemberStatistics> one_by_one = Listing(1);
  const std::vector<v1::MemberStatistics> all_at_once = Listing(100);
  ASSERT_EQ(one_by_one.size(), 5u);
  ASSERT_EQ(all_at_once.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(one_by_one[i].member_id(), all_at_once[i].member_id());
  const std::vector<v1::MemberStatistics> secretaries =
      Listing(10, v1::MEMBER_CATEGORY_BRANCH_SECRETARY);
  ASSERT_EQ(secretaries.size(), 1u);
  EXPECT_EQ(secretaries[0].member_id(), 503);

  v1::ListMemberStatisticsRequest request;
  *request.mutable_scope() = Scope();
  request.set_page_token("not-a-token");
  v1::ListMemberStatisticsResponse response;
  grpc::Status status = server_->statistics().ListMemberStatistics(server_->Context(Admin()).get(),
                                                                   request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
  request.clear_page_token();
  request.set_category(static_cast<v1::MemberCategory>(9));
  request.set_page_size(500);
  status = server_->statistics().ListMemberStatistics(server_->Context(Admin()).get(), request,
                                                      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("category"), std::string::npos);
  EXPECT_NE(status.error_message().find("page_size"), std::string::npos);
}

TEST_F(StatisticsExportTest, BadExportsAreRefusedWithExactCodes) {
  const int64_t before = server_->database().QueryInt("SELECT COUNT(*) FROM data_export_audit");
  const auto refused = [](const Received& received, grpc::StatusCode code,
                          const std::string& names) {
    EXPECT_EQ(received.status.error_code(), code) << received.status.error_message();
    EXPECT_NE(received.status.error_message().find(names), std::string::npos)
        << received.status.error_message();
    EXPECT_TRUE(received.bytes.empty());
  };
  refused(Export(Request(v1::EXPORT_TABLE_UNSPECIFIED, v1::EXPORT_FORMAT_CSV)),
          grpc::StatusCode::INVALID_ARGUMENT, "table");
  refused(Export(Request(v1::EXPORT_TABLE_MEMBERS, static_cast<v1::ExportFormat>(7))),
          grpc::StatusCode::INVALID_ARGUMENT, "format");
  v1::ExportStatisticsRequest courses_by_category =
      Request(v1::EXPORT_TABLE_COURSES, v1::EXPORT_FORMAT_CSV);
  courses_by_category.set_category(v1::MEMBER_CATEGORY_RETIRED);
  refused(Export(courses_by_category), grpc::StatusCode::INVALID_ARGUMENT, "category");
  v1::ExportStatisticsRequest future = Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV);
  grpc_util::SetDate(absl::CivilDay(2099, 1, 1), future.mutable_scope()->mutable_as_of());
  refused(Export(future), grpc::StatusCode::INVALID_ARGUMENT, "as_of");
  // A branch's admin asking for the whole committee, or for an unknown organisation.
  const std::string branch_admin = server_->Token(Role::kOrgAdmin, 501, kBranchA);
  refused(Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV, kRoot), branch_admin),
          grpc::StatusCode::PERMISSION_DENIED, "");
  refused(Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV, 999)),
          grpc::StatusCode::NOT_FOUND, "");
  // A member, and no credentials at all.
  refused(Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV),
                 server_->Token(Role::kMember, 501, kBranchA)),
          grpc::StatusCode::PERMISSION_DENIED, "");
  refused(Export(Request(v1::EXPORT_TABLE_MEMBERS, v1::EXPORT_FORMAT_CSV), ""),
          grpc::StatusCode::UNAUTHENTICATED, "");
  // Nothing refused was recorded as an export.
  EXPECT_EQ(server_->database().QueryInt("SELECT COUNT(*) FROM data_export_audit"), before);
}

}  // namespace
}  // namespace lms

// lms-admin: the administrators' command line. It talks gRPC to a server like any client
// and signs in as an admin first.
//
//   lms-admin --server 127.0.0.1:50051 --login 10001 --password-file pw.txt
//       import roster.xlsx [--valid-rows-only] [--dry-run]
//       import-questions bank.xlsx --organization-id N [--valid-rows-only] [--dry-run]
//       export members|courses|organizations --organization CODE --output FILE.csv|.xlsx
//       report --organization CODE --output FILE.html [--pdf] [--from D --to D] [--as-of D]
#include <grpcpp/grpcpp.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/organization.grpc.pb.h"
#include "tools/admin/activation_codes_command.h"
#include "tools/admin/export_command.h"
#include "tools/admin/import_command.h"
#include "tools/admin/publish_plan_command.h"
#include "tools/admin/question_import_command.h"
#include "tools/admin/report_command.h"

namespace lms::admin {
namespace {

struct Connection {
  std::string server = "127.0.0.1:50051";
  std::string tls_ca;
  std::string login;
  std::string password_file;
  std::string role = "auto";
};

// The password from a file, $LMS_ADMIN_PASSWORD, or typed without echo.
std::string ReadPassword(const Connection& c) {
  if (!c.password_file.empty()) {
    std::ifstream in(c.password_file);
    std::string password;
    std::getline(in, password);
    return password;
  }
  if (const char* env = std::getenv("LMS_ADMIN_PASSWORD"); env != nullptr) return env;
  std::cerr << "password for " << c.login << ": " << std::flush;
  termios old_mode{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::cerr << "\n";
  return password;
}

std::shared_ptr<grpc::Channel> Open(const Connection& c) {
  if (c.tls_ca.empty()) return grpc::CreateChannel(c.server, grpc::InsecureChannelCredentials());
  std::ifstream in(c.tls_ca);
  grpc::SslCredentialsOptions options;
  options.pem_root_certs.assign(std::istreambuf_iterator<char>(in), {});
  return grpc::CreateChannel(c.server, grpc::SslCredentials(options));
}

// Signs in as an admin: the system admin role when granted, else organisation admin.
absl::StatusOr<std::string> SignIn(const std::shared_ptr<grpc::Channel>& channel,
                                   const Connection& c) {
  auto identity = v1::IdentityService::NewStub(channel);
  const std::string password = ReadPassword(c);
  std::vector<v1::Role> roles;
  if (c.role == "system_admin" || c.role == "auto") roles.push_back(v1::ROLE_SYSTEM_ADMIN);
  if (c.role == "org_admin" || c.role == "auto") roles.push_back(v1::ROLE_ORG_ADMIN);
  grpc::Status status;
  for (const v1::Role role : roles) {
    v1::SignInRequest request;
    request.set_login(c.login);
    request.set_password(password);
    request.set_role(role);
    v1::Session session;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    status = identity->SignIn(&context, request, &session);
    if (status.ok() && session.password_change_required()) {
      return absl::FailedPreconditionError("the password must be changed first (Activate)");
    }
    if (status.ok()) return session.access_token();
    if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) break;
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("sign-in failed: ", status.error_message()));
}

// A signed-in admin's channel and access token.
struct AdminSession {
  std::shared_ptr<grpc::Channel> channel;
  std::string access_token;
};

absl::StatusOr<AdminSession> Connect(const Connection& c) {
  AdminSession session{Open(c), ""};
  absl::StatusOr<std::string> token = SignIn(session.channel, c);
  if (!token.ok()) return token.status();
  session.access_token = *std::move(token);
  return session;
}

// Signs in and runs `command` with the session (exit code 2 when signing in fails).
template <typename Command>
int AsAdmin(const Connection& c, const Command& command) {
  const absl::StatusOr<AdminSession> admin = Connect(c);
  if (!admin.ok()) {
    std::cerr << admin.status().message() << "\n";
    return 2;
  }
  return command(*admin);
}

int Import(const Connection& c, ImportOptions options) {
  const absl::StatusOr<AdminSession> admin = Connect(c);
  if (!admin.ok()) {
    std::cerr << admin.status().message() << "\n";
    return 2;
  }
  options.show_progress = isatty(STDERR_FILENO);
  auto organizations = v1::OrganizationService::NewStub(admin->channel);
  const absl::StatusOr<ImportReport> report =
      RunImport(*organizations, admin->access_token, options, std::cerr);
  if (!report.ok()) {
    std::cerr << "import failed: " << report.status().message() << "\n";
    return 2;
  }
  std::cout << Summarize(*report);
  return report->errors.empty() ? 0 : 1;
}

int ImportQuestions(const Connection& c, QuestionImportOptions options) {
  const absl::StatusOr<AdminSession> admin = Connect(c);
  if (!admin.ok()) {
    std::cerr << admin.status().message() << "\n";
    return 2;
  }
  options.show_progress = isatty(STDERR_FILENO);
  auto assessment = v1::AssessmentService::NewStub(admin->channel);
  const absl::StatusOr<QuestionImportReport> report =
      RunQuestionImport(*assessment, admin->access_token, options, std::cerr);
  if (!report.ok()) {
    std::cerr << "import-questions failed: " << report.status().message() << "\n";
    return 2;
  }
  std::cout << Summarize(*report);
  return report->errors.empty() ? 0 : 1;
}

int ActivationCodes(const Connection& c, ActivationCodesOptions options) {
  const absl::StatusOr<AdminSession> admin = Connect(c);
  if (!admin.ok()) {
    std::cerr << admin.status().message() << "\n";
    return 2;
  }
  options.show_progress = isatty(STDERR_FILENO);
  auto organizations = v1::OrganizationService::NewStub(admin->channel);
  auto identity = v1::IdentityService::NewStub(admin->channel);
  const absl::StatusOr<ActivationCodesReport> report =
      RunActivationCodes(*organizations, *identity, admin->access_token, options, std::cerr);
  if (!report.ok()) {
    std::cerr << "activation codes failed: " << report.status().message() << "\n";
    return 2;
  }
  std::cout << report->codes_issued << " activation codes for " << report->members_seen
            << " active members written to " << options.out_path << " (owner-only)\n";
  return 0;
}

int PublishPlan(const Connection& c, PublishPlanOptions options) {
  const absl::StatusOr<AdminSession> admin = Connect(c);
  if (!admin.ok()) {
    std::cerr << admin.status().message() << "\n";
    return 2;
  }
  options.show_progress = isatty(STDERR_FILENO);
  auto enrollment = v1::EnrollmentService::NewStub(admin->channel);
  const absl::StatusOr<v1::TrainingPlan> plan =
      RunPublishPlan(*enrollment, admin->access_token, options, std::cerr);
  if (!plan.ok()) {
    std::cerr << "publish-plan failed: " << plan.status().message() << "\n";
    return 2;
  }
  std::cout << "plan " << plan->id() << " published (version " << plan->published_version()
            << "): " << plan->assignment().members_assigned() << "/"
            << plan->assignment().members_targeted() << " members assigned, "
            << plan->assignment().enrollments_created() << " enrolments created"
            << (plan->assignment().state() == v1::PlanAssignment::STATE_DONE
                    ? ""
                    : " so far (still assigning)")
            << "\n";
  return 0;
}

int Export(const Connection& c, ExportOptions options) {
  return AsAdmin(c, [&](const AdminSession& admin) {
    options.show_progress = isatty(STDERR_FILENO);
    auto organizations = v1::OrganizationService::NewStub(admin.channel);
    auto statistics = v1::StatisticsService::NewStub(admin.channel);
    const absl::StatusOr<ExportReport> report =
        RunExport(*organizations, *statistics, admin.access_token, options, std::cerr);
    if (!report.ok()) {
      std::cerr << "export failed: " << report.status().message() << "\n";
      return 2;
    }
    std::cout << Summarize(*report);
    return 0;
  });
}

int Report(const Connection& c, ReportOptions options) {
  return AsAdmin(c, [&](const AdminSession& admin) {
    auto organizations = v1::OrganizationService::NewStub(admin.channel);
    auto statistics = v1::StatisticsService::NewStub(admin.channel);
    const absl::Time start = absl::Now();
    const absl::StatusOr<ReportResult> report =
        RunReport(*organizations, *statistics, admin.access_token, options, std::cerr);
    if (!report.ok()) {
      std::cerr << "report failed: " << report.status().message() << "\n";
      return 2;
    }
    std::cout << "report on " << report->members << " members written to " << report->html_path
              << (report->pdf_path.empty() ? "" : " and " + report->pdf_path) << " in "
              << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1)))
              << "\n  figures hash " << report->stamp.figures_hash() << "\n";
    return 0;
  });
}

}  // namespace
}  // namespace lms::admin

int main(int argc, char** argv) {
  lms::admin::Connection connection;
  lms::admin::ImportOptions import;
  CLI::App app{"lms-admin: administration of the Party-member education LMS over gRPC"};
  app.require_subcommand(1);
  app.add_option("--server", connection.server, "server address")->capture_default_str();
  app.add_option("--tls-ca", connection.tls_ca, "PEM CA certificate: connect with TLS");
  app.add_option("--login", connection.login, "admin's member number or phone")->required();
  app.add_option("--password-file", connection.password_file,
                 "file with the password (else $LMS_ADMIN_PASSWORD, else typed)");
  app.add_option("--role", connection.role, "auto, system_admin or org_admin")
      ->check(CLI::IsMember({"auto", "system_admin", "org_admin"}))
      ->capture_default_str();

  CLI::App* import_command =
      app.add_subcommand("import", "import organisations and members from CSV or XLSX");
  import_command->add_option("file", import.path, "roster file (.csv or .xlsx)")
      ->required()
      ->check(CLI::ExistingFile);
  import_command->add_flag("--valid-rows-only", import.valid_rows_only,
                           "import the valid rows and report the rest");
  import_command->add_flag("--dry-run", import.dry_run, "check everything, write nothing");
  import_command->add_option("--batch-rows", import.batch_rows, "rows per streamed message")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();

  lms::admin::QuestionImportOptions questions;
  CLI::App* questions_command = app.add_subcommand(
      "import-questions", "import questions into an organisation's bank from CSV or XLSX");
  questions_command->add_option("file", questions.path, "question file (.csv or .xlsx)")
      ->required()
      ->check(CLI::ExistingFile);
  questions_command
      ->add_option("--organization-id", questions.organization_id, "the bank's organisation")
      ->required();
  questions_command->add_flag("--valid-rows-only", questions.valid_rows_only,
                              "import the valid rows and report the rest");
  questions_command->add_flag("--dry-run", questions.dry_run, "check everything, write nothing");
  questions_command->add_option("--batch-rows", questions.batch_rows, "rows per streamed message")
      ->check(CLI::Range(1, 5000))
      ->capture_default_str();

  lms::admin::ActivationCodesOptions codes;
  CLI::App* codes_command = app.add_subcommand(
      "activation-codes", "issue first-sign-in codes for a subtree's members, as CSV");
  codes_command->add_option("--organization-id", codes.organization_id,
                            "subtree root (default: the admin's own organisation)");
  codes_command->add_flag("--include-activated", codes.include_activated,
                          "also members with a password (resets them all)");
  codes_command->add_option("--out", codes.out_path, "CSV file to write (owner-only)")->required();

  lms::admin::PublishPlanOptions publish;
  CLI::App* publish_command = app.add_subcommand(
      "publish-plan", "publish a training plan and follow its members' enrolment");
  publish_command->add_option("plan_id", publish.plan_id, "the plan's id")->required();
  publish_command->add_flag("--no-wait", publish.no_wait,
                            "return once published; the enrolment goes on in the server");
  lms::admin::ExportOptions exports;
  CLI::App* export_command = app.add_subcommand(
      "export", "export statistics (members, courses or organisations) as CSV or XLSX");
  export_command->add_option("table", exports.table, "members, courses or organizations")
      ->check(CLI::IsMember({"members", "courses", "organizations"}))
      ->capture_default_str();
  export_command->add_option("--organization", exports.organization_code,
                             "the subtree's roster code (ROOT, SC-01)");
  export_command->add_option("--organization-id", exports.organization_id, "or its id");
  export_command->add_option("--year", exports.year, "the year (default: this year)");
  export_command->add_option("--plan-id", exports.plan_id, "one training plan instead of a year");
  export_command->add_option("--as-of", exports.as_of, "YYYY-MM-DD (default: today)");
  export_command->add_option("--received-by", exports.received_by,
                             "RFC 3339: reproduce a report by its stamp");
  export_command->add_option("--category", exports.category,
                             "members of one category (ordinary, probationary, "
                             "branch_secretary, leading_cadre, retired, mobile)");
  export_command->add_option("--format", exports.format, "csv or xlsx (default: by --output)");
  export_command->add_option("--output", exports.output, "the file to write")->required();
  lms::admin::ReportOptions report;
  CLI::App* report_command = app.add_subcommand(
      "report", "write the inspection report (self-contained HTML, optionally PDF)");
  report_command->add_option("--organization", report.organization_code,
                             "the organisation's roster code (ROOT, SC-01)");
  report_command->add_option("--organization-id", report.organization_id, "or its id");
  report_command->add_option("--from", report.from, "YYYY-MM-DD (default: 1 January)");
  report_command->add_option("--to", report.to, "YYYY-MM-DD, the same year (default: today)");
  report_command->add_option("--as-of", report.as_of, "YYYY-MM-DD (default: --to)");
  report_command->add_option("--output", report.output, "the HTML file to write")->required();
  report_command->add_flag("--pdf", report.pdf, "also print FILE.pdf with headless Chromium");
  report_command->add_option("--chromium", report.chromium, "the Chromium to print with")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (import_command->parsed()) return lms::admin::Import(connection, import);
  if (questions_command->parsed()) return lms::admin::ImportQuestions(connection, questions);
  if (codes_command->parsed()) return lms::admin::ActivationCodes(connection, codes);
  if (publish_command->parsed()) return lms::admin::PublishPlan(connection, publish);
  if (export_command->parsed()) return lms::admin::Export(connection, exports);
  if (report_command->parsed()) return lms::admin::Report(connection, report);
  return 2;
}

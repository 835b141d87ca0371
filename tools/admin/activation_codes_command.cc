#include "tools/admin/activation_codes_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/time/china_time.h"

namespace lms::admin {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& access_token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", access_token));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

// A CSV field: quoted when it holds a comma, quote or line break. A value a spreadsheet
// would run as a formula (starting = + - @, or a tab or carriage return before one) gets a
// leading apostrophe: the file is opened in Excel or WPS, and a member's name must never
// execute there.
std::string CsvField(const std::string& value) {
  std::string text = value;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string::npos) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

}  // namespace

absl::StatusOr<ActivationCodesReport> RunActivationCodes(
    v1::OrganizationService::Stub& organizations, v1::IdentityService::Stub& identity,
    const std::string& access_token, const ActivationCodesOptions& options,
    std::ostream& progress) {
  // A new file only, never through a link: the codes are secrets, and an existing file or
  // a planted symlink could hand them to someone else.
  const int fd = open(options.out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("cannot create ", options.out_path, " (", std::strerror(errno),
                     "): the codes go to a new file; choose another name or remove the old file"));
  }
  std::unique_ptr<FILE, decltype(&fclose)> out(fdopen(fd, "w"), &fclose);
  if (out == nullptr) {
    close(fd);
    return absl::InternalError("cannot open the output file");
  }
  std::fputs("member_number,name,organization_id,code,expires\n", out.get());
  ActivationCodesReport report;
  v1::ListMembersRequest list;
  list.set_organization_id(options.organization_id);
  list.set_status(v1::MEMBER_STATUS_ACTIVE);
  list.set_page_size(100);
  do {
    v1::ListMembersResponse page;
    const grpc::Status listed = organizations.ListMembers(Context(access_token).get(), list, &page);
    if (!listed.ok()) return FromGrpc(listed);
    for (const v1::Member& member : page.members()) {
      ++report.members_seen;
      if (member.activated() && !options.include_activated) continue;
      v1::IssueActivationCodeRequest request;
      request.set_member_id(member.id());
      v1::ActivationCode code;
      const grpc::Status issued =
          identity.IssueActivationCode(Context(access_token).get(), request, &code);
      if (!issued.ok()) return FromGrpc(issued);
      const absl::Time expires = absl::FromUnixSeconds(code.expire_time().seconds());
      std::fputs(absl::StrCat(CsvField(member.member_number()), ",", CsvField(member.name()), ",",
                              member.organization_id(), ",", code.code(), ",",
                              absl::FormatTime("%Y-%m-%d %H:%M", expires, ChinaTimeZone()), "\n")
                     .c_str(),
                 out.get());
      ++report.codes_issued;
    }
    if (options.show_progress) {
      progress << "\r" << report.members_seen << " members seen, " << report.codes_issued
               << " codes issued" << std::flush;
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  if (options.show_progress) progress << "\n";
  if (std::fflush(out.get()) != 0) return absl::InternalError("cannot write the output file");
  return report;
}

}  // namespace lms::admin

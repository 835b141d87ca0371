#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "services/organization/roster_importer.h"

namespace lms::organization {

// Takes an import's rows as they arrive and checks what each row can be checked against
// without the store: its fields, and the rows before it (a code, number or phone
// repeated; a member number that is another row's phone, or a phone another row's
// number: either would let one login name two members). A bad row becomes a row error
// at once and is not kept, so a stream of garbage holds no memory. Not thread-safe: one
// per stream.
class RosterIntake {
 public:
  explicit RosterIntake(absl::CivilDay today) : today_(today) {}

  void AddOrganization(RosterOrganizationRow row);
  void AddMember(RosterMemberRow row);
  // Rows seen so far, kept or not.
  size_t rows_seen() const { return rows_seen_; }
  // The checked rows and the errors found so far.
  RosterImport& import() { return import_; }

 private:
  void Fail(int line, std::string field, std::string reason) {
    import_.errors.push_back({line, std::move(field), std::move(reason)});
  }

  const absl::CivilDay today_;
  RosterImport import_;
  size_t rows_seen_ = 0;
  // Line of the row that holds each code, member number and phone.
  absl::flat_hash_map<std::string, int> codes_;
  absl::flat_hash_map<std::string, int> numbers_;
  absl::flat_hash_map<std::string, int> phones_;
};

}  // namespace lms::organization

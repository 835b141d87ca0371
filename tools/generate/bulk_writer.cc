#include "tools/generate/bulk_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/db/batches.h"

namespace lms::generate {
namespace {

constexpr size_t kRowsPerStatement = 1000;
constexpr int kStatementsPerCommit = 20;

}  // namespace

BulkWriter::BulkWriter(db::ConnectionPool& pool, std::string insert, int columns)
    : pool_(pool), insert_(std::move(insert)), columns_(columns) {
  row_marks_ = absl::StrCat("(", db::BindMarks(static_cast<size_t>(columns)), ")");
  pending_.reserve(kRowsPerStatement * static_cast<size_t>(columns));
}

absl::Status BulkWriter::Add(std::initializer_list<db::Param> row) {
  if (static_cast<int>(row.size()) != columns_) {
    return absl::InternalError(
        absl::StrCat(insert_, ": a row of ", row.size(), " values, not ", columns_));
  }
  pending_.insert(pending_.end(), row.begin(), row.end());
  ++rows_;
  if (pending_.size() >= kRowsPerStatement * static_cast<size_t>(columns_)) return Flush();
  return absl::OkStatus();
}

absl::Status BulkWriter::Flush() {
  if (pending_.empty()) return absl::OkStatus();
  if (!tx_.has_value()) {
    absl::StatusOr<db::Transaction> tx = pool_.Begin(absl::Now() + absl::Minutes(10));
    if (!tx.ok()) return tx.status();
    tx_.emplace(*std::move(tx));
    // Tables are loaded in any order, each by its own writer and transaction, into an
    // empty database the generator keeps consistent: the server need not check each row's
    // references as it arrives (this session only; it is the generator's own pool).
    if (absl::Status status = tx_->Execute("SET SESSION foreign_key_checks = 0", {}).status();
        !status.ok()) {
      return status;
    }
  }
  const size_t rows = pending_.size() / static_cast<size_t>(columns_);
  const std::string sql = absl::StrCat(
      insert_, " VALUES ", absl::StrJoin(std::vector<std::string>(rows, row_marks_), ", "));
  if (absl::Status status = tx_->Execute(sql, pending_).status(); !status.ok()) return status;
  pending_.clear();
  if (++statements_in_tx_ >= kStatementsPerCommit) {
    absl::Status committed = tx_->Commit();
    tx_.reset();
    statements_in_tx_ = 0;
    return committed;
  }
  return absl::OkStatus();
}

absl::Status BulkWriter::Finish() {
  if (absl::Status status = Flush(); !status.ok()) return status;
  if (!tx_.has_value()) return absl::OkStatus();
  absl::Status committed = tx_->Commit();
  tx_.reset();
  statements_in_tx_ = 0;
  return committed;
}

}  // namespace lms::generate

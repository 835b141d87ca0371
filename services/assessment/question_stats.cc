#include "services/assessment/question_stats.h"

#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/db/run_transaction.h"
#include "common/paging/keyset_token.h"
#include "common/status/field_errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/question_codec.h"

namespace lms::assessment {
namespace {

constexpr char kStatPageKind[] = "question_stats";
// SKIP LOCKED: two servers' tasks take different attempts instead of waiting.
constexpr char kQueued[] =
    "SELECT attempt_id FROM question_stat_queue ORDER BY graded_time LIMIT ? FOR UPDATE SKIP"
    " LOCKED";
constexpr char kAnswersPrefix[] =
    "SELECT a.paper_id, q.question_id, COALESCE(q.answer_json, ''), COALESCE(q.correct, 0)"
    " FROM attempt_question q JOIN attempt a ON a.id = q.attempt_id WHERE q.attempt_id IN (";
constexpr char kFoldPrefix[] =
    "INSERT INTO question_answer_stat (paper_id, question_id, answer_hash, answer_json, correct,"
    " answer_count) VALUES ";
constexpr char kFoldSuffix[] =
    " ON DUPLICATE KEY UPDATE answer_count = answer_count + VALUES(answer_count)";
constexpr char kDequeuePrefix[] = "DELETE FROM question_stat_queue WHERE attempt_id IN (";
constexpr char kPageQuestions[] =
    "SELECT DISTINCT question_id FROM question_answer_stat WHERE paper_id = ?"
    " AND question_id > ? ORDER BY question_id LIMIT ?";
constexpr char kOldestQueued[] =
    "SELECT MIN(graded_time) FROM question_stat_queue q JOIN attempt a ON a.id = q.attempt_id"
    " WHERE a.paper_id = ?";

std::string Marks(size_t n) {
  std::vector<std::string> marks(n, "?");
  return absl::StrJoin(marks, ", ");
}

}  // namespace

absl::StatusOr<int> QuestionStats::RunOnce(absl::Time deadline, int limit) const {
  return db::RunTransactionFor<int>(
      pool_, deadline, [&](db::Transaction& tx) -> absl::StatusOr<int> {
        std::vector<int64_t> attempts;
        RETURN_IF_ERROR(tx.Query(kQueued, {limit},
                                 [&](const db::Row& row) { attempts.push_back(row.Int64(1)); }));
        if (attempts.empty()) return 0;
        // (paper, question, answer) -> (correct, count)
        std::map<std::tuple<int64_t, int64_t, std::string>, std::pair<bool, int64_t>> counts;
        RETURN_IF_ERROR(db::ForEachBatch(attempts.size(), [&](size_t begin, size_t size) {
          std::vector<db::Param> params(
              attempts.begin() + static_cast<std::ptrdiff_t>(begin),
              attempts.begin() + static_cast<std::ptrdiff_t>(begin + size));
          return tx.Query(absl::StrCat(kAnswersPrefix, Marks(size), ")"), params,
                          [&](const db::Row& row) {
                            auto& entry = counts[{row.Int64(1), row.Int64(2), row.String(3)}];
                            entry.first = row.Bool(4);
                            entry.second += 1;
                          });
        }));
        std::vector<const std::pair<const std::tuple<int64_t, int64_t, std::string>,
                                    std::pair<bool, int64_t>>*>
            rows;
        for (const auto& entry : counts) rows.push_back(&entry);
        RETURN_IF_ERROR(db::ForEachBatch(rows.size(), [&](size_t begin, size_t size) {
          std::vector<std::string> tuples(size, "(?, ?, UNHEX(SHA2(?, 256)), ?, ?, ?)");
          std::vector<db::Param> params;
          for (size_t i = begin; i < begin + size; ++i) {
            const auto& [key, value] = *rows[i];
            params.emplace_back(std::get<0>(key));
            params.emplace_back(std::get<1>(key));
            params.emplace_back(std::get<2>(key));
            params.emplace_back(std::get<2>(key));
            params.push_back(db::Param::Bool(value.first));
            params.emplace_back(value.second);
          }
          return tx
              .Execute(absl::StrCat(kFoldPrefix, absl::StrJoin(tuples, ", "), kFoldSuffix), params)
              .status();
        }));
        RETURN_IF_ERROR(db::ForEachBatch(attempts.size(), [&](size_t begin, size_t size) {
          std::vector<db::Param> params(
              attempts.begin() + static_cast<std::ptrdiff_t>(begin),
              attempts.begin() + static_cast<std::ptrdiff_t>(begin + size));
          return tx.Execute(absl::StrCat(kDequeuePrefix, Marks(size), ")"), params).status();
        }));
        return static_cast<int>(attempts.size());
      });
}

absl::StatusOr<QuestionStatPage> QuestionStats::List(const call::CallContext& call,
                                                     int64_t paper_id, int page_size,
                                                     const std::string& page_token) const {
  status::FieldErrors errors;
  const absl::StatusOr<int> size = paging::PageSize(page_size);
  if (!size.ok()) errors.Add("page_size", paging::PageSizeProblem(page_size));
  if (paper_id <= 0) errors.Add("paper_id", "must be a positive id");
  RETURN_IF_ERROR(errors.ToStatus());
  const uint64_t fingerprint = paging::StableHash(absl::StrCat(paper_id));
  int64_t after = 0;
  if (!page_token.empty()) {
    ASSIGN_OR_RETURN(const paging::KeysetCursor cursor,
                     paging::DecodeKeysetToken(kStatPageKind, page_token, 1, fingerprint));
    after = cursor.keys[0];
  }
  return db::RunTransactionFor<QuestionStatPage>(
      pool_, call.deadline, [&](db::Transaction& tx) -> absl::StatusOr<QuestionStatPage> {
        const absl::Time now = clock_.Now();
        QuestionStatPage page;
        std::vector<int64_t> ids;
        RETURN_IF_ERROR(tx.Query(kPageQuestions, {paper_id, after, *size + 1},
                                 [&](const db::Row& row) { ids.push_back(row.Int64(1)); }));
        page.next_page_token = paging::TrimToPage(ids, *size, kStatPageKind, fingerprint,
                                                  [](int64_t id) { return id; });
        std::map<int64_t, QuestionStat> by_id;
        if (!ids.empty()) {
          std::vector<db::Param> params{paper_id};
          for (const int64_t id : ids) params.emplace_back(id);
          absl::Status decoded;
          RETURN_IF_ERROR(
              tx.Query(absl::StrCat("SELECT question_id, answer_json, correct, answer_count FROM"
                                    " question_answer_stat WHERE paper_id = ? AND question_id IN (",
                                    Marks(ids.size()), ")"),
                       params, [&](const db::Row& row) {
                         QuestionStat& stat = by_id[row.Int64(1)];
                         stat.question_id = row.Int64(1);
                         const std::string answer = row.String(2);
                         const bool correct = row.Bool(3);
                         const int64_t count = row.Int64(4);
                         stat.attempts += count;
                         if (answer.empty() || answer == "{}") return;
                         stat.answered += count;
                         if (correct) {
                           stat.correct += count;
                         } else if (count > stat.most_common_wrong_count) {
                           absl::StatusOr<Answer> parsed = AnswerFromJson(answer);
                           if (!parsed.ok()) {
                             decoded = parsed.status();
                             return;
                           }
                           stat.most_common_wrong = *parsed;
                           stat.most_common_wrong_count = count;
                         }
                       }));
          RETURN_IF_ERROR(decoded);
        }
        for (auto& [id, stat] : by_id) page.questions.push_back(std::move(stat));
        page.computed_through = now;
        std::optional<absl::Time> oldest;
        RETURN_IF_ERROR(tx.Query(kOldestQueued, {paper_id}, [&](const db::Row& row) {
          if (!row.IsNull(1)) oldest = row.Time(1);
        }));
        if (oldest.has_value()) page.computed_through = *oldest;
        return page;
      });
}

}  // namespace lms::assessment

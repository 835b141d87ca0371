#include "services/progress/hours_ledger.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/batches.h"
#include "common/db/param.h"
#include "common/status/status_macros.h"
#include "common/time/china_time.h"

namespace lms::progress {
namespace {

constexpr char kInsertCredit[] =
    "INSERT INTO hours_credit (member_id, source, summary_source, source_key, source_id, title,"
    " year, hundredths, content_category, rule_version, actor_member_id, reason, happen_time,"
    " record_time, reverses_credit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kCreditColumns[] =
    "SELECT c.id, c.member_id, c.source, c.source_key, c.source_id, c.title, c.year,"
    " c.hundredths, c.content_category, c.rule_version, c.actor_member_id, c.reason,"
    " c.happen_time, c.record_time, COALESCE(c.reverses_credit_id, 0), COALESCE(r.id, 0),"
    " c.summary_source FROM hours_credit c"
    " LEFT JOIN hours_credit r ON r.reverses_credit_id = c.id ";
constexpr char kAddYearHours[] =
    "INSERT INTO member_year_hours (member_id, year, source, content_category, hundredths)"
    " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE hundredths = hundredths + VALUES(hundredths)";
constexpr char kAddYearStudyPrefix[] =
    "INSERT INTO member_year_study (member_id, year, credited_ms) VALUES ";
constexpr char kAddYearStudySuffix[] =
    " ON DUPLICATE KEY UPDATE credited_ms = credited_ms + VALUES(credited_ms)";
constexpr char kYearHours[] =
    "SELECT source, content_category, hundredths FROM member_year_hours"
    " WHERE member_id = ? AND year = ?";
constexpr char kYearStudy[] =
    "SELECT credited_ms FROM member_year_study WHERE member_id = ? AND year = ?";

HoursCredit ReadCredit(const db::Row& row) {
  HoursCredit credit;
  credit.id = row.Int64(1);
  credit.member_id = row.Int64(2);
  credit.source = static_cast<CreditSource>(row.Int64(3));
  credit.source_key = row.String(4);
  credit.source_id = row.Int64(5);
  credit.title = row.String(6);
  credit.year = static_cast<int>(row.Int64(7));
  credit.hundredths = row.Int64(8);
  credit.content_category = static_cast<ContentCategory>(row.Int64(9));
  credit.rule_version = row.Int64(10);
  credit.actor_member_id = row.Int64(11);
  credit.reason = row.String(12);
  credit.happen_time = row.Time(13);
  credit.record_time = row.Time(14);
  credit.reverses_credit_id = row.Int64(15);
  credit.reversed_by_credit_id = row.Int64(16);
  credit.summary_source = static_cast<CreditSource>(row.Int64(17));
  return credit;
}

absl::StatusOr<std::optional<HoursCredit>> QueryOne(db::Transaction& tx, const std::string& sql,
                                                    std::vector<db::Param> params) {
  std::optional<HoursCredit> found;
  RETURN_IF_ERROR(tx.Query(sql, params, [&](const db::Row& row) { found = ReadCredit(row); }));
  return found;
}

}  // namespace

absl::StatusOr<HoursCredit> HoursLedger::Credit(db::Transaction& tx, HoursCredit credit,
                                                absl::Time now, bool* created) const {
  if (created != nullptr) *created = false;
  // Under the unique key, a second credit of the same earning finds the first; the
  // caller's transaction holds the member's progress lock or the earning's own row, so
  // the look-up and the insert do not race.
  ASSIGN_OR_RETURN(std::optional<HoursCredit> prior,
                   FindBySource(tx, credit.member_id, credit.source_key));
  if (prior.has_value()) return *std::move(prior);
  credit.year = static_cast<int>(absl::ToCivilYear(credit.happen_time, ChinaTimeZone()).year());
  credit.record_time = now;
  if (credit.summary_source == CreditSource::kUnspecified) credit.summary_source = credit.source;
  ASSIGN_OR_RETURN(
      credit.id, tx.Insert(kInsertCredit,
                           {credit.member_id, static_cast<int>(credit.source),
                            static_cast<int>(credit.summary_source), credit.source_key,
                            credit.source_id, credit.title, credit.year, credit.hundredths,
                            static_cast<int>(credit.content_category), credit.rule_version,
                            credit.actor_member_id, credit.reason, credit.happen_time,
                            credit.record_time, db::Param::NullIfZero(credit.reverses_credit_id)}));
  RETURN_IF_ERROR(
      tx.Execute(kAddYearHours,
                 {credit.member_id, credit.year, static_cast<int>(credit.summary_source),
                  static_cast<int>(credit.content_category), credit.hundredths})
          .status());
  RETURN_IF_ERROR(statistics_queue_.Enqueue(tx, {credit.member_id}, now));
  if (created != nullptr) *created = true;
  return credit;
}

absl::StatusOr<HoursCredit> HoursLedger::Reverse(db::Transaction& tx, int64_t credit_id,
                                                 int64_t actor_member_id, const std::string& reason,
                                                 absl::Time now) const {
  ASSIGN_OR_RETURN(const std::optional<HoursCredit> original, Find(tx, credit_id, true));
  if (!original.has_value()) {
    return absl::NotFoundError(absl::StrCat("hours credit ", credit_id, " not found"));
  }
  if (original->source == CreditSource::kReversal) {
    return absl::FailedPreconditionError(
        absl::StrCat("hours credit ", credit_id, " is a reversal: credit the hours again instead"));
  }
  if (original->reversed_by_credit_id != 0) {
    return absl::FailedPreconditionError(absl::StrCat("hours credit ", credit_id,
                                                      " was reversed already by credit ",
                                                      original->reversed_by_credit_id));
  }
  HoursCredit reversal;
  reversal.member_id = original->member_id;
  reversal.source = CreditSource::kReversal;
  reversal.summary_source = original->summary_source;
  reversal.source_key = absl::StrCat("reversal:", credit_id);
  reversal.source_id = original->source_id;
  reversal.title = original->title;
  reversal.hundredths = -original->hundredths;
  reversal.content_category = original->content_category;
  reversal.rule_version = original->rule_version;
  reversal.actor_member_id = actor_member_id;
  reversal.reason = reason;
  // The reversal counts in the year of what it undoes, so that year's total is right.
  reversal.happen_time = original->happen_time;
  reversal.reverses_credit_id = credit_id;
  return Credit(tx, std::move(reversal), now);
}

absl::StatusOr<std::optional<HoursCredit>> HoursLedger::Find(db::Transaction& tx, int64_t credit_id,
                                                             bool lock) const {
  // The lock is on the credit row: two reversals of one credit queue behind each other,
  // and the second finds the first (the unique key would refuse it anyway).
  return QueryOne(tx, absl::StrCat(kCreditColumns, "WHERE c.id = ?", lock ? " FOR UPDATE" : ""),
                  {credit_id});
}

absl::StatusOr<std::optional<HoursCredit>> HoursLedger::FindBySource(
    db::Transaction& tx, int64_t member_id, const std::string& source_key) const {
  return QueryOne(tx, absl::StrCat(kCreditColumns, "WHERE c.member_id = ? AND c.source_key = ?"),
                  {member_id, source_key});
}

absl::StatusOr<std::vector<HoursCredit>> HoursLedger::List(db::Transaction& tx, int64_t member_id,
                                                           int year, int64_t before_id,
                                                           int limit) const {
  std::vector<HoursCredit> credits;
  RETURN_IF_ERROR(tx.Query(
      absl::StrCat(kCreditColumns,
                   "WHERE c.member_id = ? AND c.year = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?"),
      {member_id, year, before_id > 0 ? before_id : INT64_MAX, limit},
      [&](const db::Row& row) { credits.push_back(ReadCredit(row)); }));
  return credits;
}

absl::StatusOr<YearHours> HoursLedger::Year(db::Transaction& tx, int64_t member_id,
                                            int year) const {
  YearHours hours;
  std::map<CreditSource, int64_t> by_source;
  std::map<ContentCategory, int64_t> by_category;
  RETURN_IF_ERROR(tx.Query(kYearHours, {member_id, year}, [&](const db::Row& row) {
    const int64_t hundredths = row.Int64(3);
    hours.earned_hundredths += hundredths;
    by_source[static_cast<CreditSource>(row.Int64(1))] += hundredths;
    by_category[static_cast<ContentCategory>(row.Int64(2))] += hundredths;
  }));
  hours.by_source.assign(by_source.begin(), by_source.end());
  hours.by_category.assign(by_category.begin(), by_category.end());
  ASSIGN_OR_RETURN(const std::optional<int64_t> study,
                   tx.QueryInt64(kYearStudy, {member_id, year}));
  hours.effective_study_ms = study.value_or(0);
  return hours;
}

absl::Status HoursLedger::AddStudyTime(db::Transaction& tx,
                                       const std::map<std::pair<int64_t, int>, int64_t>& ms) const {
  std::vector<db::Param> params;
  size_t rows = 0;
  for (const auto& [key, delta] : ms) {
    if (delta == 0) continue;
    params.insert(params.end(), {key.first, key.second, delta});
    ++rows;
  }
  return db::ForEachExactBatch(rows, [&](size_t begin, size_t size) {
    const std::vector<db::Param> slice(
        params.begin() + static_cast<std::ptrdiff_t>(begin * 3),
        params.begin() + static_cast<std::ptrdiff_t>((begin + size) * 3));
    return tx
        .Execute(absl::StrCat(kAddYearStudyPrefix,
                              absl::StrJoin(std::vector<std::string>(size, "(?, ?, ?)"), ", "),
                              kAddYearStudySuffix),
                 slice)
        .status();
  });
}

}  // namespace lms::progress

// Settings through the API: defaults from code, overrides for a subtree (nearest wins),
// clearing, future and past effective dates, versions with optimistic checks, idempotent
// retries, history, and the same authorization as every other organisation-scoped RPC.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/time/china_time.h"
#include "lms/v1/settings.grpc.pb.h"
#include "tests/testing/test_server.h"

namespace lms::settings {
namespace {

using auth::Role;

constexpr char kOrdinary[] = "study_hours.required.ordinary";
constexpr int64_t kRoot = 1, kA = 2, kB = 3, kA1 = 4;

class SettingsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("settings_api");
    testing::SeedRootAndTwoBranches(server_->database());
    server_->database().Execute(
        "INSERT INTO organization (id, parent_id, name, code, kind, version, create_time,"
        " update_time) VALUES (4, 2, '甲一支部', 'A1', 3, 1, NOW(), NOW())");
    server_->database().Execute(
        "INSERT INTO organization_closure (ancestor_id, descendant_id, depth) VALUES"
        " (4, 4, 0), (2, 4, 1), (1, 4, 2)");
    stub_ = v1::SettingsService::NewStub(server_->channel()).release();
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }

  static std::string SystemAdmin() { return server_->Token(Role::kSystemAdmin, 1, kRoot); }
  static std::string AdminOfA() { return server_->Token(Role::kOrgAdmin, 12, kA); }

  // The effective value of `key` at `organization` (as of `day` when given).
  static v1::EffectiveSetting Effective(const std::string& token, int64_t organization,
                                        const std::string& key,
                                        std::optional<absl::CivilDay> day = std::nullopt,
                                        grpc::StatusCode expected = grpc::StatusCode::OK) {
    v1::GetSettingsRequest request;
    request.set_organization_id(organization);
    request.add_keys(key);
    if (day.has_value()) {
      request.mutable_as_of()->set_year(static_cast<int32_t>(day->year()));
      request.mutable_as_of()->set_month(day->month());
      request.mutable_as_of()->set_day(day->day());
    }
    v1::GetSettingsResponse response;
    const grpc::Status status =
        stub_->GetSettings(server_->Context(token).get(), request, &response);
    EXPECT_EQ(status.error_code(), expected) << status.error_message();
    return response.settings_size() == 1 ? response.settings(0) : v1::EffectiveSetting{};
  }

  static grpc::Status Change(const std::string& token, int64_t organization, const std::string& key,
                             int64_t value, int64_t expected_version, v1::SettingChange* change,
                             bool clear = false, std::optional<absl::CivilDay> from = std::nullopt,
                             const std::string& request_id = "") {
    v1::ChangeSettingRequest request;
    request.set_request_id(request_id);
    request.set_organization_id(organization);
    request.set_key(key);
    request.set_value(value);
    request.set_clear(clear);
    request.set_expected_version(expected_version);
    if (from.has_value()) {
      request.mutable_effective_date()->set_year(static_cast<int32_t>(from->year()));
      request.mutable_effective_date()->set_month(from->month());
      request.mutable_effective_date()->set_day(from->day());
    }
    return stub_->ChangeSetting(server_->Context(token).get(), request, change);
  }

  static absl::CivilDay Today() { return TodayInChina(server_->clock().Now()); }

  static testing::TestServer* server_;
  static v1::SettingsService::Stub* stub_;
};
testing::TestServer* SettingsApiTest::server_ = nullptr;
v1::SettingsService::Stub* SettingsApiTest::stub_ = nullptr;

TEST_F(SettingsApiTest, EverySettingHasItsDefaultUntilOverridden) {
  v1::GetSettingsRequest request;
  request.set_organization_id(kB);
  v1::GetSettingsResponse response;
  ASSERT_TRUE(stub_->GetSettings(server_->Context(SystemAdmin()).get(), request, &response).ok());
  ASSERT_GE(response.settings_size(), 15);
  bool found_secretary = false;
  for (const auto& setting : response.settings()) {
    if (setting.definition().key() != "study_hours.required.branch_secretary") continue;
    found_secretary = true;
    EXPECT_EQ(setting.definition().default_value(), 5600);  // 56 hours
  }
  EXPECT_TRUE(found_secretary);
  const v1::EffectiveSetting cap = Effective(SystemAdmin(), kB, "study_hours.self_study.daily_cap");
  EXPECT_EQ(cap.value(), cap.definition().default_value());
  EXPECT_EQ(cap.source_organization_id(), 0);
  EXPECT_EQ(cap.change_id(), 0);
}

TEST_F(SettingsApiTest, TheNearestOverrideWinsAndClearingInheritsAgain) {
  v1::SettingChange root_change;
  ASSERT_TRUE(Change(SystemAdmin(), kRoot, kOrdinary, 3600, 0, &root_change).ok());
  EXPECT_EQ(root_change.version(), 1);
  v1::SettingChange branch_change;
  ASSERT_TRUE(Change(AdminOfA(), kA, kOrdinary, 4000, 0, &branch_change).ok());

  v1::EffectiveSetting in_a1 = Effective(AdminOfA(), kA1, kOrdinary);
  EXPECT_EQ(in_a1.value(), 4000);
  EXPECT_EQ(in_a1.source_organization_id(), kA);
  EXPECT_EQ(in_a1.change_id(), branch_change.id());
  const v1::EffectiveSetting in_b = Effective(SystemAdmin(), kB, kOrdinary);
  EXPECT_EQ(in_b.value(), 3600);
  EXPECT_EQ(in_b.change_id(), root_change.id());

  v1::SettingChange cleared;
  ASSERT_TRUE(Change(AdminOfA(), kA, kOrdinary, 0, 1, &cleared, /*clear=*/true).ok());
  EXPECT_EQ(cleared.version(), 2);
  in_a1 = Effective(AdminOfA(), kA1, kOrdinary);
  EXPECT_EQ(in_a1.value(), 3600);
  EXPECT_EQ(in_a1.source_organization_id(), kRoot);
}

TEST_F(SettingsApiTest, EffectiveDatesApplyFromTheirDayOnly) {
  const std::string key = "activity.hours.party_lecture";
  const absl::CivilDay next_year(Today().year() + 1, 1, 1);
  v1::SettingChange change;
  ASSERT_TRUE(Change(AdminOfA(), kA, key, 300, 0, &change, false, next_year).ok());
  EXPECT_EQ(Effective(AdminOfA(), kA1, key).value(), 200);  // today: the default
  EXPECT_EQ(Effective(AdminOfA(), kA1, key, next_year).value(), 300);
  EXPECT_EQ(Effective(AdminOfA(), kA1, key, next_year - 1).value(), 200);
  // The figures of a past day keep the rule of that day.
  server_->clock().Advance(absl::Hours(24 * 400));
  EXPECT_EQ(Effective(AdminOfA(), kA1, key).value(), 300);
  EXPECT_EQ(Effective(AdminOfA(), kA1, key, next_year - 1).value(), 200);
  server_->clock().Advance(-absl::Hours(24 * 400));
}

TEST_F(SettingsApiTest, StaleVersionsBadValuesAndForeignSubtreesAreRefused) {
  const std::string key = "activity.cadence.party_lecture";
  v1::SettingChange change;
  ASSERT_TRUE(Change(AdminOfA(), kA1, key, 6, 0, &change).ok());
  const int64_t rows = server_->database().CountRows("setting_change");
  EXPECT_EQ(Change(AdminOfA(), kA1, key, 8, 0, &change).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Change(AdminOfA(), kA1, key, 1000, 1, &change).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Change(AdminOfA(), kA1, "no.such.setting", 1, 1, &change).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Change(AdminOfA(), kA1, key, 5, 1, &change, false, Today() - 400).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Change(AdminOfA(), kB, key, 5, 0, &change).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Change(SystemAdmin(), 999, key, 5, 0, &change).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Change(server_->Token(Role::kMember, 10, kA1), kA1, key, 5, 1, &change).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server_->database().CountRows("setting_change"), rows);
}

TEST_F(SettingsApiTest, SiteWideRulesAreSetAtTheRootOnly) {
  const std::string key = "progress.credit.lesson_daily_cap_minutes";
  v1::SettingChange change;
  EXPECT_EQ(Change(SystemAdmin(), kA, key, 45, 0, &change).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Change(SystemAdmin(), kRoot, key, 45, 0, &change).ok());
  const v1::EffectiveSetting setting = Effective(SystemAdmin(), kA1, key);
  EXPECT_TRUE(setting.definition().site_wide());
  EXPECT_EQ(setting.value(), 45);
  EXPECT_EQ(setting.source_organization_id(), kRoot);
  EXPECT_FALSE(Effective(SystemAdmin(), kA1, "study_hours.passed_test").definition().site_wide());
}

TEST_F(SettingsApiTest, TwoAdminsSavingTheFirstOverrideAtOnceCannotBothWin) {
  const std::string key = "activity.cadence.group_meeting";
  absl::Notification paused;
  absl::Notification release;
  std::atomic<bool> taken{false};
  server_->SetBeforeCommitHook([&](const call::CallContext& call) {
    if (call.method != "lms.v1.SettingsService.ChangeSetting" || taken.exchange(true)) return;
    paused.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(30));
  });
  grpc::Status first;
  std::thread first_admin([&] {
    v1::SettingChange change;
    first = Change(AdminOfA(), kA1, key, 10, 0, &change);
  });
  ASSERT_TRUE(paused.WaitForNotificationWithTimeout(absl::Seconds(10)));
  grpc::Status second;
  std::thread second_admin([&] {
    v1::SettingChange change;
    second = Change(SystemAdmin(), kA1, key, 11, 0, &change);
  });
  release.Notify();
  first_admin.join();
  second_admin.join();
  server_->SetBeforeCommitHook(nullptr);
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_EQ(second.error_code(), grpc::StatusCode::ABORTED) << second.error_message();
  EXPECT_EQ(server_->database().QueryInt(
                "SELECT COUNT(*) FROM setting_change WHERE organization_id = 4 AND setting_key = ?",
                {key}),
            1);
  EXPECT_EQ(Effective(AdminOfA(), kA1, key).value(), 10);
}

TEST_F(SettingsApiTest, ARetryReturnsTheFirstChange) {
  const std::string key = "study_hours.passed_test";
  v1::SettingChange first;
  ASSERT_TRUE(Change(AdminOfA(), kA1, key, 150, 0, &first, false, std::nullopt, "set-test-1").ok());
  const int64_t rows = server_->database().CountRows("setting_change");
  v1::SettingChange retried;
  ASSERT_TRUE(
      Change(AdminOfA(), kA1, key, 150, 0, &retried, false, std::nullopt, "set-test-1").ok());
  EXPECT_EQ(retried.id(), first.id());
  EXPECT_EQ(server_->database().CountRows("setting_change"), rows);
}

TEST_F(SettingsApiTest, HistoryListsEveryVersionNewestFirst) {
  const std::string key = "activity.hours.group_meeting";
  v1::SettingChange change;
  for (int version = 0; version < 3; ++version) {
    ASSERT_TRUE(Change(AdminOfA(), kA1, key, 100 + version, version, &change).ok());
    EXPECT_EQ(change.changed_by_member_id(), 12);
  }
  v1::ListSettingChangesRequest request;
  request.set_organization_id(kA1);
  request.set_key(key);
  request.set_page_size(2);
  std::vector<int64_t> versions;
  do {
    v1::ListSettingChangesResponse response;
    ASSERT_TRUE(
        stub_->ListSettingChanges(server_->Context(AdminOfA()).get(), request, &response).ok());
    for (const auto& c : response.changes()) versions.push_back(c.version());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(versions, (std::vector<int64_t>{3, 2, 1}));
}

TEST_F(SettingsApiTest, MembersReadTheirOwnOrganisationsSettingsOnly) {
  const std::string member = server_->Token(Role::kMember, 10, kA1);
  EXPECT_GT(Effective(member, kA1, kOrdinary).value(), 0);
  EXPECT_GT(Effective(member, kRoot, kOrdinary).value(), 0);
  Effective(member, kB, kOrdinary, std::nullopt, grpc::StatusCode::PERMISSION_DENIED);
  Effective(member, kA1, "no.such.setting", std::nullopt, grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace lms::settings

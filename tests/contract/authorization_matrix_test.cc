// The authorization matrix, generated from the service descriptors: every RPC of every
// hosted service, called by each kind of caller (nobody, a member, a member's session on
// a kiosk, a kiosk, the admin of branch A, the admin of branch B, a system admin) against
// objects in A, in B, the caller's own, another member's, and a member of A who holds a
// system admin grant (only a system admin may write to such a member). Requests name the
// target in
// every field the RPC's policy declares and leave the rest empty, so an allowed call fails
// validation (or succeeds) and a refused one is refused before any handler logic runs.
//
// Expected outcomes come from the rules written out below, not from the code under test:
//   nobody                 -> UNAUTHENTICATED (public RPCs: not refused)
//   a role not in policy   -> PERMISSION_DENIED
//   system admin           -> anything
//   admin of X             -> organisations, members and kiosks in X's subtree; no write
//                             to a member whose own grants reach beyond X's subtree
//   member (in A)          -> organisations A and above; itself
//   kiosk (in A)           -> organisations A and above; members in A
//   member on a kiosk      -> as a member, on RPCs open to kiosk sessions only

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/auth/method_policy.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;
using auth::ScopeKind;

enum class Place { kRoot, kA, kB };

// One object the matrix names, and where it lives.
struct Object {
  int64_t id = 0;
  Place place = Place::kRoot;
  // A member holding an admin grant beyond branch A (a system admin who belongs to A):
  // only a system admin may write to it.
  bool broader_grant = false;
  // For objects a member owns (an enrolment): the member.
  int64_t owner_member = 0;
};

// What a target names for each kind of scoped field.
struct Target {
  std::string name;
  Object organization;
  Object member;
  Object kiosk;
  // Objects of registered kinds: a plan (owned by its organisation) and an enrolment
  // (owned by its member).
  Object plan;
  Object enrollment;
  // An hours credit and a phone key (owned by their member).
  Object credit;
  Object device_key;
  // An activity (owned by its organisation).
  Object activity;
};

// The object a target names for an object kind.
const Object& ObjectOf(const Target& target, const std::string& kind) {
  if (kind == "plan") return target.plan;
  if (kind == "hours_credit") return target.credit;
  if (kind == "device_key") return target.device_key;
  // Questions and papers share the activities' ids (9400, 9500, 9600) and owners; attempts
  // the enrolments' (5000 plus the member).
  if (kind == "activity" || kind == "question" || kind == "paper") return target.activity;
  return target.enrollment;
}

struct CallerCase {
  std::string name;
  auth::Caller caller;  // role kNone: no credentials at all
  bool on_kiosk = false;
};

enum class Expect { kUnauthenticated, kDenied, kAllowed };

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new testing::TestServer("authz_matrix");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES"
        " (10, '甲一', 'MA1', 2, 2, 1, 1, NOW(), NOW()), (11, '甲二', 'MA2', 2, 2, 1, 1, NOW(), "
        "NOW()),"
        " (20, '乙一', 'MB1', 3, 2, 1, 1, NOW(), NOW()), (12, '甲管', 'ADMA', 2, 2, 1, 1, NOW(), "
        "NOW()),"
        " (21, '乙管', 'ADMB', 3, 2, 1, 1, NOW(), NOW()), (1, '党办', 'SYS', 1, 2, 1, 1, NOW(), "
        "NOW()), (13, '甲党办', 'MA3', 2, 2, 1, 1, NOW(), NOW())");
    // 党办 staff belong to a branch: member 13 is in A and a system admin.
    db.Execute("INSERT INTO admin_grant (member_id, role, organization_id) VALUES (13, 4, 1)");
    db.Execute(
        "INSERT INTO kiosk (id, organization_id, name, credential_hash, create_time) VALUES"
        " (100, 2, '甲活动室', REPEAT('a', 64), NOW()), (200, 3, '乙活动室', REPEAT('b', 64), "
        "NOW())");
    // Plans of the root (400), A (500) and B (600); an enrolment and an hours credit of
    // each member, ids 5000 and 7000 plus the member id.
    testing::SeedPublishedCourse(db, 900, "学习党章");
    testing::SeedDraftPlan(db, 400, 1, 2026);
    testing::SeedDraftPlan(db, 500, 2, 2026);
    testing::SeedDraftPlan(db, 600, 3, 2026);
    // Activities of the root (9400), A (9500) and B (9600).
    testing::SeedActivity(db, 9400, 1);
    testing::SeedActivity(db, 9500, 2);
    testing::SeedActivity(db, 9600, 3);
    // Questions and draft papers with the same ids and owners.
    for (const auto& [id, organization] :
         std::vector<std::pair<int64_t, int64_t>>{{9400, 1}, {9500, 2}, {9600, 3}}) {
      testing::SeedQuestion(db, id, organization);
      testing::SeedPaper(db, id, organization);
    }
    for (const auto& [member, organization] : std::vector<std::pair<int64_t, int64_t>>{
             {1, 1}, {10, 2}, {11, 2}, {12, 2}, {13, 2}, {20, 3}, {21, 3}}) {
      testing::SeedEnrollment(db, 5000 + member, member, 900, organization);
      testing::SeedHoursCredit(db, 7000 + member, member, 200);
      testing::SeedAttempt(db, 5000 + member, 9400 + (organization - 1) * 100, member);
      db.Execute(absl::StrCat(
          "INSERT INTO member_device_key (id, member_id, public_key, name,"
          " register_time) VALUES (",
          8000 + member, ", ", member, ", LPAD(HEX(", member, "), 64, '0'), '手机', NOW())"));
    }
  }
  static void TearDownTestSuite() { delete server_; }

  // Every service the test server hosts: every module of services/modules.
  static std::vector<const google::protobuf::ServiceDescriptor*> HostedServices() {
    std::vector<const google::protobuf::ServiceDescriptor*> services;
    for (const std::string& name : server_->service_names()) {
      services.push_back(
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name));
    }
    return services;
  }

  static std::vector<CallerCase> Callers() {
    const auto make = [](Role role, int64_t member, int64_t organization, int64_t kiosk) {
      auth::Caller caller;
      caller.role = role;
      caller.member_id = member;
      caller.organization_id = organization;
      caller.kiosk_id = kiosk;
      return caller;
    };
    return {{"nobody", make(Role::kNone, 0, 0, 0)},
            {"member", make(Role::kMember, 10, 2, 0)},
            {"member_on_kiosk", make(Role::kMember, 10, 2, 100), true},
            {"kiosk", make(Role::kKiosk, 0, 2, 100)},
            {"admin_of_a", make(Role::kOrgAdmin, 12, 2, 0)},
            {"admin_of_b", make(Role::kOrgAdmin, 21, 3, 0)},
            {"system_admin", make(Role::kSystemAdmin, 1, 1, 0)}};
  }

  static std::vector<Target> Targets(const CallerCase& c) {
    const Object own_member{c.caller.member_id,
                            c.caller.organization_id == 3 ? Place::kB : Place::kA};
    const Object own_org{c.caller.organization_id, c.caller.organization_id == 1   ? Place::kRoot
                                                   : c.caller.organization_id == 3 ? Place::kB
                                                                                   : Place::kA};
    const Object own_kiosk =
        c.caller.organization_id == 3 ? Object{200, Place::kB} : Object{100, Place::kA};
    const Object member = own_member.id == 0 ? Object{11, Place::kA} : own_member;
    const Object own_plan{own_org.id == 1 ? 400 : own_org.id == 3 ? 600 : 500, own_org.place};
    const Object own_activity{own_org.id == 1   ? 9400
                              : own_org.id == 3 ? 9600
                                                : 9500,
                              own_org.place};
    const Object activity_a{9500, Place::kA};
    const Object own_enrollment{5000 + member.id, member.place, false, member.id};
    const Object own_credit{7000 + member.id, member.place, false, member.id};
    const Object own_key{8000 + member.id, member.place, false, member.id};
    const Object plan_a{500, Place::kA};
    const Object enrollment_a{5011, Place::kA, false, 11};
    const Object credit_a{7011, Place::kA, false, 11};
    const Object key_a{8011, Place::kA, false, 11};
    return {{"in_a",
             {2, Place::kA},
             {11, Place::kA},
             {100, Place::kA},
             plan_a,
             enrollment_a,
             credit_a,
             key_a,
             activity_a},
            {"in_b",
             {3, Place::kB},
             {20, Place::kB},
             {200, Place::kB},
             {600, Place::kB},
             {5020, Place::kB, false, 20},
             {7020, Place::kB, false, 20},
             {8020, Place::kB, false, 20},
             {9600, Place::kB}},
            {"own", own_org, member, own_kiosk, own_plan, own_enrollment, own_credit, own_key,
             own_activity},
            {"another_member",
             {2, Place::kA},
             {11, Place::kA},
             {100, Place::kA},
             plan_a,
             enrollment_a,
             credit_a,
             key_a,
             activity_a},
            {"member_with_broader_grant",
             {2, Place::kA},
             {13, Place::kA, true},
             {100, Place::kA},
             plan_a,
             {5013, Place::kA, false, 13},
             {7013, Place::kA, false, 13},
             {8013, Place::kA, false, 13},
             activity_a}};
  }

  // May `c` name `object` of `kind`? The rules of the file comment.
  static bool InScope(const CallerCase& c, ScopeKind kind, const Object& object) {
    switch (c.caller.role) {
      case Role::kSystemAdmin:
        return true;
      case Role::kOrgAdmin: {
        const Place mine = c.caller.organization_id == 2 ? Place::kA : Place::kB;
        return object.place == mine;
      }
      case Role::kKiosk:
        if (kind == ScopeKind::kOrganization) return object.place != Place::kB;
        if (kind == ScopeKind::kMember) return object.place == Place::kA;
        return false;
      case Role::kMember:
        if (kind == ScopeKind::kOrganization) return object.place != Place::kB;
        if (kind == ScopeKind::kMember) return object.id == c.caller.member_id;
        return false;
      case Role::kNone:
        return false;
    }
    return false;
  }

  static Expect Expected(const CallerCase& c, const auth::MethodPolicy& policy,
                         const Target& target) {
    if (policy.is_public) return Expect::kAllowed;
    if (c.caller.role == Role::kNone) return Expect::kUnauthenticated;
    if (c.on_kiosk && !policy.kiosk_member_sessions) return Expect::kDenied;
    if (!policy.Allows(c.caller.role)) return Expect::kDenied;
    for (const auto& field : policy.scoped_fields) {
      if (field.kind == ScopeKind::kObject) {
        // An object is checked as its owner: a plan or an activity as its organisation, an
        // enrolment or a credit as its member.
        const bool plan = field.object_kind == "plan" || field.object_kind == "activity" ||
                          field.object_kind == "question" || field.object_kind == "paper";
        const Object& object = ObjectOf(target, field.object_kind);
        const Object owner = plan ? object : Object{object.owner_member, object.place};
        if (!InScope(c, plan ? ScopeKind::kOrganization : ScopeKind::kMember, owner)) {
          return Expect::kDenied;
        }
        continue;
      }
      const Object& object = field.kind == ScopeKind::kOrganization ? target.organization
                             : field.kind == ScopeKind::kMember     ? target.member
                                                                    : target.kiosk;
      if (!InScope(c, field.kind, object)) return Expect::kDenied;
      if (field.kind == ScopeKind::kMember && object.broader_grant && policy.writes &&
          c.caller.role == Role::kOrgAdmin) {
        return Expect::kDenied;
      }
    }
    return Expect::kAllowed;
  }

  // The request for `method` naming `target` in every scoped field, serialized.
  static std::string Request(const google::protobuf::MethodDescriptor& method,
                             const auth::MethodPolicy& policy, const Target& target) {
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> request(
        factory.GetPrototype(method.input_type())->New());
    for (const auto& field : policy.scoped_fields) {
      // Objects of other kinds need rows of their kind in A and B: a service that adds
      // a kind adds them here, with its expectations.
      if (field.kind == ScopeKind::kObject) {
        EXPECT_TRUE(field.object_kind == "plan" || field.object_kind == "enrollment" ||
                    field.object_kind == "hours_credit" || field.object_kind == "device_key" ||
                    field.object_kind == "activity" || field.object_kind == "question" ||
                    field.object_kind == "paper" || field.object_kind == "attempt")
            << method.full_name() << " names objects of kind " << field.object_kind
            << ": give the matrix objects of that kind in branch A and B";
      }
      google::protobuf::Message* message = request.get();
      for (size_t i = 0; i + 1 < field.path.size(); ++i) {
        message = message->GetReflection()->MutableMessage(message, field.path[i], &factory);
      }
      const int64_t id = field.kind == ScopeKind::kOrganization ? target.organization.id
                         : field.kind == ScopeKind::kMember     ? target.member.id
                         : field.kind == ScopeKind::kKiosk      ? target.kiosk.id
                                                           : ObjectOf(target, field.object_kind).id;
      // A repeated field names the target twice: every id is checked, not just the first.
      if (field.path.back()->is_repeated()) {
        message->GetReflection()->AddInt64(message, field.path.back(), id);
        message->GetReflection()->AddInt64(message, field.path.back(), id);
      } else {
        message->GetReflection()->SetInt64(message, field.path.back(), id);
      }
    }
    return request->SerializeAsString();
  }

  static grpc::Status Call(const std::string& path, const CallerCase& c,
                           const std::string& payload) {
    std::vector<std::pair<std::string, std::string>> metadata;
    if (c.caller.role != Role::kNone) {
      metadata.emplace_back("authorization", absl::StrCat("Bearer ", server_->TokenFor(c.caller)));
    }
    if (c.on_kiosk) {
      auth::Caller kiosk;
      kiosk.role = Role::kKiosk;
      kiosk.organization_id = c.caller.organization_id;
      kiosk.kiosk_id = c.caller.kiosk_id;
      metadata.emplace_back("lms-kiosk-authorization",
                            absl::StrCat("Bearer ", server_->TokenFor(kiosk)));
    }
    return server_->CallRaw(path, payload, metadata);
  }

  static testing::TestServer* server_;
};

testing::TestServer* AuthorizationMatrixTest::server_ = nullptr;

// Compares B's state before and after, not with fixed values: the matrix below lets
// admins of B and system admins change B, and cases run in any order.
TEST_F(AuthorizationMatrixTest, AdminOfANeitherReadsNorChangesAnythingOfB) {
  auto& db = server_->database();
  const auto state_of_b = [&db] {
    return std::vector<int64_t>{
        db.QueryInt("SELECT COUNT(*) FROM kiosk WHERE id = 200 AND revoked_at IS NULL"),
        db.QueryInt("SELECT version FROM organization WHERE id = 3"),
        db.QueryInt("SELECT version FROM member WHERE id = 20"),
        db.QueryInt("SELECT COUNT(*) FROM activation_code WHERE member_id = 20"),
        db.QueryInt("SELECT COUNT(*) FROM admin_grant WHERE organization_id = 3"),
        db.QueryInt("SELECT version FROM training_plan WHERE id = 600"),
        db.QueryInt("SELECT state FROM enrollment WHERE id = 5020"),
        db.QueryInt("SELECT COUNT(*) FROM hours_credit WHERE member_id = 20"),
        db.QueryInt("SELECT COUNT(*) FROM course_progress WHERE member_id = 20"),
        db.QueryInt("SELECT version * 10 + state FROM activity WHERE id = 9600"),
        db.QueryInt("SELECT COUNT(*) FROM activity_attendance WHERE activity_id = 9600"),
        db.QueryInt("SELECT version * 10 + state FROM question WHERE id = 9600"),
        db.QueryInt("SELECT version * 10 + state FROM paper WHERE id = 9600"),
        db.QueryInt("SELECT COUNT(*) FROM attempt WHERE member_id = 20"),
        db.QueryInt("SELECT save_sequence * 10 + state FROM attempt WHERE id = 5020")};
  };
  const std::vector<int64_t> before = state_of_b();
  const CallerCase admin_a = Callers()[4];
  ASSERT_EQ(admin_a.name, "admin_of_a");
  const Target in_b = Targets(admin_a)[1];
  int refused = 0;
  for (const auto* service : HostedServices()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const auth::MethodPolicy policy =
          auth::RequirePolicy(service->full_name(), service->method(m)->name());
      if (!policy.HasScope()) continue;
      const grpc::Status status =
          Call(absl::StrCat("/", service->full_name(), "/", service->method(m)->name()), admin_a,
               Request(*service->method(m), policy, in_b));
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << service->method(m)->full_name() << ": " << status.error_message();
      ++refused;
    }
  }
  EXPECT_GE(refused, 12);
  EXPECT_EQ(state_of_b(), before) << "admin of A changed something of B";
}

TEST_F(AuthorizationMatrixTest, EveryRpcAnswersEachCallerAsTheRulesSay) {
  const std::vector<const google::protobuf::ServiceDescriptor*> services = HostedServices();
  ASSERT_GE(services.size(), 3u);
  int checked = 0;
  int denied = 0;
  for (const auto* service : services) {
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      const absl::StatusOr<auth::MethodPolicy> policy =
          auth::PolicyFor(service->full_name(), method.name());
      ASSERT_TRUE(policy.ok()) << policy.status();
      const std::string path = absl::StrCat("/", service->full_name(), "/", method.name());
      for (const CallerCase& c : Callers()) {
        for (const Target& target : Targets(c)) {
          const Expect expect = Expected(c, *policy, target);
          const grpc::Status status = Call(path, c, Request(method, *policy, target));
          const std::string where =
              absl::StrCat(method.full_name(), " by ", c.name, " on ", target.name, ": got ",
                           status.error_code(), " ", status.error_message());
          switch (expect) {
            case Expect::kUnauthenticated:
              EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << where;
              break;
            case Expect::kDenied:
              EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << where;
              ++denied;
              break;
            case Expect::kAllowed:
              EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << where;
              EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << where;
              EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << where;
              EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << where;
              break;
          }
          ++checked;
        }
      }
    }
  }
  // 50 RPCs x 7 callers x 5 targets; a good share of them refused.
  EXPECT_GE(checked, 50 * 7 * 5);
  EXPECT_GT(denied, 150);
}

}  // namespace
}  // namespace lms

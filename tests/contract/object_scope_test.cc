// Object-level access policies: a request field naming an object of another kind (here
// "thing", owned by an organisation, and "diary", owned by a member) is resolved by the
// resolver its service registered and checked as its owner, by the same central code as
// organisations and members; repeated id fields check every id; a policy naming a kind
// nobody resolves keeps the server from starting.

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <future>

#include "common/call/write_path.h"
#include "lms/testing/scoped_objects.pb.h"
#include "tests/testing/test_server.h"

namespace lms {
namespace {

using auth::Role;
using testing::TestServer;
namespace t = ::lms::testing;

constexpr char kThingOwner[] = "SELECT organization_id FROM thing WHERE id = ?";
constexpr char kThingOwnerLocked[] =
    "SELECT organization_id FROM thing WHERE id = ? LOCK IN SHARE MODE";
constexpr char kDiaryOwner[] = "SELECT member_id FROM diary WHERE id = ?";
constexpr char kTouchThing[] = "UPDATE thing SET touched = touched + 1 WHERE id = ?";

// Registers the kinds: a thing belongs to an organisation, a diary to a member.
void RegisterKinds(auth::ScopeChecker& checker) {
  checker.RegisterObjectKind("thing",
                             [](db::Transaction& tx, int64_t id,
                                bool lock) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
                               absl::StatusOr<std::optional<int64_t>> owner =
                                   tx.QueryInt64(lock ? kThingOwnerLocked : kThingOwner, {id});
                               if (!owner.ok()) return owner.status();
                               if (!owner->has_value()) return std::nullopt;
                               return auth::ObjectOwner{auth::ScopeKind::kOrganization, **owner};
                             });
  checker.RegisterObjectKind("diary",
                             [](db::Transaction& tx, int64_t id,
                                bool) -> absl::StatusOr<std::optional<auth::ObjectOwner>> {
                               absl::StatusOr<std::optional<int64_t>> owner =
                                   tx.QueryInt64(kDiaryOwner, {id});
                               if (!owner.ok()) return owner.status();
                               if (!owner->has_value()) return std::nullopt;
                               return auth::ObjectOwner{auth::ScopeKind::kMember, **owner};
                             });
}

// The handler: touching writes through the one write path.
class ScopedObjectHandler {
 public:
  explicit ScopedObjectHandler(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status TouchThing(const call::CallContext& call, const t::TouchThingRequest& request,
                          t::TouchResponse* response) const {
    response->set_touched(request.thing_id());
    return call::RunWrite(pool_, call, [&](db::Transaction& tx) {
      return tx.Execute(kTouchThing, {request.thing_id()}).status();
    });
  }
  absl::Status TouchDiary(const call::CallContext&, const t::TouchDiaryRequest& request,
                          t::TouchResponse* response) const {
    response->set_touched(request.diary_id());
    return absl::OkStatus();
  }
  absl::Status CountMembers(const call::CallContext&, const t::CountMembersRequest& request,
                            t::CountMembersResponse* response) const {
    response->set_count(request.member_ids_size());
    return absl::OkStatus();
  }
  absl::Status Haunt(const call::CallContext&, const t::HauntRequest&, t::TouchResponse*) const {
    return absl::OkStatus();
  }

 private:
  db::ConnectionPool& pool_;
};

class TestModule final : public server::ServiceModule {
 public:
  TestModule(server::ServerRuntime& runtime, const std::string& service)
      : handler_(runtime.pool()), rpcs_(service, runtime.runner()) {
    if (service == "lms.testing.GhostService") {
      rpcs_.Blocking("Haunt", handler_, &ScopedObjectHandler::Haunt);
      return;
    }
    rpcs_.Blocking("TouchThing", handler_, &ScopedObjectHandler::TouchThing);
    rpcs_.Blocking("TouchDiary", handler_, &ScopedObjectHandler::TouchDiary);
    rpcs_.Blocking("CountMembers", handler_, &ScopedObjectHandler::CountMembers);
  }
  grpc_util::RpcService& service() override { return rpcs_; }

 private:
  const ScopedObjectHandler handler_;
  grpc_util::RpcService rpcs_;
};

class ObjectScopeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer("object_scope");
    auto& db = server_->database();
    testing::SeedRootAndTwoBranches(db);
    db.Execute(
        "INSERT INTO member (id, name, member_number, organization_id, category_mask, status,"
        " version, create_time, update_time) VALUES (10, '甲一', 'OA1', 2, 2, 1, 1, NOW(), NOW()),"
        " (20, '乙一', 'OB1', 3, 2, 1, 1, NOW(), NOW())");
    db.Execute(
        "CREATE TABLE thing (id BIGINT PRIMARY KEY, organization_id BIGINT NOT NULL,"
        " touched INT NOT NULL DEFAULT 0) ENGINE=InnoDB");
    db.Execute("CREATE TABLE diary (id BIGINT PRIMARY KEY, member_id BIGINT NOT NULL)");
    db.Execute("INSERT INTO thing (id, organization_id) VALUES (1, 2), (2, 3)");
    db.Execute("INSERT INTO diary (id, member_id) VALUES (1, 10), (2, 20)");
    RegisterKinds(server_->runtime().mutable_scope_checker());
    host_ = new server::ServerHost(server_->runtime());
    host_->Add(std::make_unique<TestModule>(server_->runtime(), "lms.testing.ScopedObjectService"));
    const absl::Status started = host_->Start();
    ASSERT_TRUE(started.ok()) << started;
    channel_ = new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", host_->port()), grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    delete channel_;
    host_->Shutdown(absl::Seconds(1));
    delete host_;
    delete server_;
  }

  // Calls `method` of ScopedObjectService as `caller`.
  static grpc::StatusCode Call(const std::string& method, const google::protobuf::Message& request,
                               const auth::Caller& caller) {
    grpc::GenericStub stub(*channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", server_->TokenFor(caller)));
    const std::string bytes = request.SerializeAsString();
    const grpc::Slice slice(bytes);
    const grpc::ByteBuffer buffer(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/lms.testing.ScopedObjectService/" + method, grpc::StubOptions(),
                   &buffer, &response, [&done](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get().error_code();
  }

  static auth::Caller Make(Role role, int64_t member, int64_t organization) {
    auth::Caller caller;
    caller.role = role;
    caller.member_id = member;
    caller.organization_id = organization;
    return caller;
  }
  static t::TouchThingRequest Thing(int64_t id) {
    t::TouchThingRequest request;
    request.set_thing_id(id);
    return request;
  }
  static t::TouchDiaryRequest Diary(int64_t id) {
    t::TouchDiaryRequest request;
    request.set_diary_id(id);
    return request;
  }
  static t::CountMembersRequest Members(std::initializer_list<int64_t> ids) {
    t::CountMembersRequest request;
    for (const int64_t id : ids) request.add_member_ids(id);
    return request;
  }

  static TestServer* server_;
  static server::ServerHost* host_;
  static std::shared_ptr<grpc::Channel>* channel_;
};
TestServer* ObjectScopeTest::server_ = nullptr;
server::ServerHost* ObjectScopeTest::host_ = nullptr;
std::shared_ptr<grpc::Channel>* ObjectScopeTest::channel_ = nullptr;

TEST_F(ObjectScopeTest, AnObjectIsCheckedAsItsOwningOrganisation) {
  const auth::Caller admin_a = Make(Role::kOrgAdmin, 12, 2);
  const int64_t touched = server_->database().QueryInt("SELECT touched FROM thing WHERE id = 1");
  EXPECT_EQ(Call("TouchThing", Thing(1), admin_a), grpc::StatusCode::OK);
  EXPECT_EQ(server_->database().QueryInt("SELECT touched FROM thing WHERE id = 1"), touched + 1);
  EXPECT_EQ(Call("TouchThing", Thing(2), admin_a), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call("TouchThing", Thing(99), admin_a), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call("TouchThing", Thing(2), Make(Role::kOrgAdmin, 21, 3)), grpc::StatusCode::OK);
  EXPECT_EQ(Call("TouchThing", Thing(2), Make(Role::kSystemAdmin, 1, 1)), grpc::StatusCode::OK);
  // A member reaches its own organisation's things and those above it only.
  EXPECT_EQ(Call("TouchThing", Thing(1), Make(Role::kMember, 10, 2)), grpc::StatusCode::OK);
  EXPECT_EQ(Call("TouchThing", Thing(2), Make(Role::kMember, 10, 2)),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ObjectScopeTest, AMembersObjectIsItsOwnAndItsAdminsOnly) {
  EXPECT_EQ(Call("TouchDiary", Diary(1), Make(Role::kMember, 10, 2)), grpc::StatusCode::OK);
  EXPECT_EQ(Call("TouchDiary", Diary(2), Make(Role::kMember, 10, 2)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call("TouchDiary", Diary(1), Make(Role::kOrgAdmin, 12, 2)), grpc::StatusCode::OK);
  EXPECT_EQ(Call("TouchDiary", Diary(2), Make(Role::kOrgAdmin, 12, 2)),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call("TouchDiary", Diary(7), Make(Role::kMember, 10, 2)), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ObjectScopeTest, EveryIdOfARepeatedFieldIsChecked) {
  const auth::Caller admin_a = Make(Role::kOrgAdmin, 12, 2);
  EXPECT_EQ(Call("CountMembers", Members({10}), admin_a), grpc::StatusCode::OK);
  EXPECT_EQ(Call("CountMembers", Members({10, 20}), admin_a), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call("CountMembers", Members({20, 10}), admin_a), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call("CountMembers", Members({10, 404}), admin_a), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call("CountMembers", Members({10, 10}), Make(Role::kMember, 10, 2)),
            grpc::StatusCode::OK);
  EXPECT_EQ(Call("CountMembers", Members({10, 20}), Make(Role::kMember, 10, 2)),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ObjectScopeTest, PoliciesCarryObjectKindsRepeatedFieldsAndTheWriteFlag) {
  const absl::StatusOr<auth::MethodPolicy> touch =
      auth::PolicyFor("lms.testing.ScopedObjectService", "TouchThing");
  ASSERT_TRUE(touch.ok()) << touch.status();
  EXPECT_TRUE(touch->writes);
  ASSERT_EQ(touch->scoped_fields.size(), 1u);
  EXPECT_EQ(touch->scoped_fields[0].kind, auth::ScopeKind::kObject);
  EXPECT_EQ(touch->scoped_fields[0].object_kind, "thing");
  const absl::StatusOr<auth::MethodPolicy> count =
      auth::PolicyFor("lms.testing.ScopedObjectService", "CountMembers");
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_FALSE(count->writes);
  const std::vector<auth::ScopedId> ids = count->ScopedIds(Members({10, 0, 20}));
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].id, 10);
  EXPECT_EQ(ids[1].id, 20);
}

TEST_F(ObjectScopeTest, AServerRefusesAKindNobodyResolves) {
  server::ServerHost host(server_->runtime());
  host.Add(std::make_unique<TestModule>(server_->runtime(), "lms.testing.GhostService"));
  const absl::Status started = host.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kInternal);
  EXPECT_NE(started.message().find("kind ghost, which no hosted service resolves"),
            std::string::npos)
      << started;
}

}  // namespace
}  // namespace lms

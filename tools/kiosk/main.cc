// lms-kiosk: a workshop kiosk's client. It keeps what members study in a local SQLite file
// and uploads it with evidence of who was there (README "Offline study: the trust model"),
// whether the network was there at the time or not.
//
//   lms-kiosk --store kiosk.db register --credential kc1_...     once, at installation
//   lms-kiosk --store kiosk.db identify --number 10002 --pin 2468 online: ticket, lessons
//   lms-kiosk --store kiosk.db study --number 10002 --lesson 3 --minutes 10   offline
//   lms-kiosk --store kiosk.db sync [--retry-for 600]             online: upload, answers
//   lms-kiosk --store kiosk.db status                             shows the kiosk's id
//   lms-kiosk --store phone.db phone-key --login 10002 --password-file pw   phone, online
//   lms-kiosk --store phone.db phone-code --kiosk 1               phone, offline: a code
//   lms-kiosk --store kiosk.db fetch --course 2                   online: lessons, as kiosk
//   lms-kiosk --store kiosk.db identify-phone --code pi1... --number 10002  kiosk, offline
//   lms-kiosk --store kiosk.db activity-code --activity 7         the rotating sign-in code
//   lms-kiosk --store kiosk.db activity-sign-in --activity 7 --number 10002 --pin 2468
//                                       online: signed in now; --offline: buffered for sync
//   lms-kiosk --store kiosk.db exam-lease --number 10002 --pin 2468 --paper 2   online
//   lms-kiosk --store kiosk.db exam-start --number 10002 --paper 2    offline: questions
//   lms-kiosk --store kiosk.db exam-answer --number 10002 --paper 2 --question 1 --option 3
//   lms-kiosk --store kiosk.db exam-submit --number 10002 --paper 2   then sync uploads it
//
// --offline cuts it from the server: network commands fail at once and nothing is lost.
#include <grpcpp/grpcpp.h>
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/phone_identification.h"
#include "common/auth/sign_in_code.h"
#include "common/grpc/proto_time.h"
#include "lms/v1/activity.grpc.pb.h"
#include "lms/v1/course.grpc.pb.h"
#include "lms/v1/enrollment.grpc.pb.h"
#include "lms/v1/identity.grpc.pb.h"
#include "lms/v1/progress.grpc.pb.h"
#include "tools/kiosk/kiosk_exam.h"
#include "tools/kiosk/kiosk_session.h"
#include "tools/kiosk/kiosk_store.h"

namespace lms::kiosk {
namespace {

constexpr int kHeartbeatSeconds = 30;
constexpr int kMaxEventsPerUpload = 5000;

struct Options {
  std::string server = "127.0.0.1:50051";
  std::string store = "kiosk.db";
  bool offline = false;
};

int SyncSignIns(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                const std::string& kiosk_token);

int Register(KioskStore& store, const std::string& credential) {
  // The device's id in events: random, never derived from the secret credential.
  std::random_device random;
  const std::string device = absl::StrCat("kiosk-", absl::Hex(random(), absl::kZeroPad8),
                                          absl::Hex(random(), absl::kZeroPad8));
  absl::Status saved = store.SetSetting("credential", credential);
  if (saved.ok() && store.Setting("device_id").value_or("").empty()) {
    saved = store.SetSetting("device_id", device);
  }
  if (!saved.ok()) return Fail("register", saved);
  std::cout << "registered; device " << store.Setting("device_id").value_or("") << "\n";
  return 0;
}

KnownLesson FromProto(int64_t course_id, const v1::Lesson& lesson) {
  KnownLesson known{lesson.id(), course_id, lesson.title(), "article", 1000};
  if (lesson.has_video())
    known = {lesson.id(), course_id, lesson.title(), "video", lesson.video().duration_seconds()};
  if (lesson.has_audio())
    known = {lesson.id(), course_id, lesson.title(), "audio", lesson.audio().duration_seconds()};
  if (lesson.has_document())
    known = {lesson.id(), course_id, lesson.title(), "document", lesson.document().page_count()};
  return known;
}

// Keeps a course's lessons in the store, printing them.
absl::Status SaveCourse(KioskStore& store, v1::CourseService::Stub& courses, int64_t course_id,
                        const std::string& token, const std::string& kiosk_token) {
  v1::GetCourseRequest request;
  request.set_course_id(course_id);
  v1::GetCourseResponse course;
  const grpc::Status got = courses.GetCourse(Context(token, kiosk_token).get(), request, &course);
  if (!got.ok()) return absl::UnavailableError(absl::StrCat("course: ", got.error_message()));
  std::cout << "  course " << course_id << " " << course.course().title() << "\n";
  for (const v1::Lesson& lesson : course.course().lessons()) {
    const KnownLesson known = FromProto(course_id, lesson);
    if (absl::Status saved = store.SaveLesson(known); !saved.ok()) return saved;
    std::cout << "    lesson " << known.lesson_id << " " << known.title << " (" << known.kind
              << ", " << known.length << ")\n";
  }
  return absl::OkStatus();
}

// Online, as the kiosk itself: a course's lessons, for any member to study offline.
// Phone mode: a fresh access token from the stored refresh token, which rotates.
absl::StatusOr<std::string> PhoneToken(KioskStore& store, v1::IdentityService::Stub& identity) {
  v1::RefreshSessionRequest request;
  request.set_refresh_token(store.Setting("refresh_token").value_or(""));
  if (request.refresh_token().empty()) {
    return absl::FailedPreconditionError("no session here: run phone-key online");
  }
  v1::Session session;
  const grpc::Status status = identity.RefreshSession(Context("").get(), request, &session);
  if (!status.ok()) {
    // As the server said: a refused credential, or no server to ask.
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  if (absl::Status saved = store.SetSetting("refresh_token", session.refresh_token());
      !saved.ok()) {
    return saved;
  }
  return session.access_token();
}

// Whether this store is a phone's (signed in as a member) rather than a kiosk's.
bool IsPhone(KioskStore& store) { return !store.Setting("refresh_token").value_or("").empty(); }

int Fetch(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel, int64_t course_id) {
  auto identity = v1::IdentityService::NewStub(channel);
  absl::StatusOr<std::string> kiosk_token =
      IsPhone(store) ? PhoneToken(store, *identity) : KioskToken(store, *identity);
  if (!kiosk_token.ok()) return Fail("sign-in", kiosk_token.status());
  const absl::Status saved =
      SaveCourse(store, *v1::CourseService::NewStub(channel), course_id, *kiosk_token, "");
  return saved.ok() ? 0 : Fail("fetch", saved);
}

int Identify(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
             const std::string& number, const std::string& pin) {
  auto identity = v1::IdentityService::NewStub(channel);
  MemberAtKiosk at;
  if (const int failed = SignInMember(store, *identity, number, pin, at); failed != 0) {
    return failed;
  }
  const KnownMember& member = at.member;
  const v1::Session& session = at.session;
  std::cout << member.name << " (" << member.member_id << ") identified; ticket until "
            << absl::FormatTime("%Y-%m-%d %H:%M %Z", member.ticket_expires,
                                absl::FixedTimeZone(8 * 3600))
            << "\n";

  // What they have to learn, and its lessons, for studying offline.
  v1::MyLearning learning;
  const grpc::Status listed = v1::EnrollmentService::NewStub(channel)->GetMyLearning(
      Context(session.access_token(), at.kiosk_token).get(), v1::GetMyLearningRequest(), &learning);
  if (!listed.ok()) return Fail("my learning", listed);
  auto courses = v1::CourseService::NewStub(channel);
  for (const v1::LearningItem& item : learning.items()) {
    if (absl::Status saved =
            SaveCourse(store, *courses, item.course_id(), session.access_token(), at.kiosk_token);
        !saved.ok()) {
      return Fail("identify", saved);
    }
  }
  if (learning.pending_progress_events() > 0) {
    std::cout << "  " << learning.pending_progress_events()
              << " offline events wait for your confirmation\n";
  }
  return 0;
}

// Heartbeats of `minutes` of study ending now, from where the member stopped.
int Study(KioskStore& store, const std::string& number, int64_t lesson_id, int minutes) {
  absl::StatusOr<std::optional<KnownMember>> member = store.MemberByNumber(number);
  if (!member.ok()) return Fail("store", member.status());
  if (!member->has_value()) {
    std::cerr << "member " << number << " was never identified here: run identify online\n";
    return 1;
  }
  absl::StatusOr<std::optional<KnownLesson>> lesson = store.Lesson(lesson_id);
  if (!lesson.ok()) return Fail("store", lesson.status());
  if (!lesson->has_value()) {
    std::cerr << "lesson " << lesson_id << " is not on this kiosk: identify online first\n";
    return 1;
  }
  absl::StatusOr<int32_t> position = store.LastPosition((*member)->member_id, lesson_id);
  if (!position.ok()) return Fail("store", position.status());
  const KnownLesson& known = **lesson;
  const bool pages = known.kind == "document";
  const int32_t step = pages ? 1 : known.kind == "article" ? 50 : kHeartbeatSeconds;
  const int32_t length = known.kind == "article" ? 1000 : known.length;
  int32_t at = *position >= length ? 0 : *position;
  const absl::Time end = absl::Now();
  // As many heartbeats as the minutes hold and the lesson has left, the last ending now.
  const int beats =
      std::min(minutes * 60 / kHeartbeatSeconds, (length - at + step - 1) / std::max(1, step));
  std::vector<BufferedEvent> events;
  for (int beat = 0; beat < beats && at < length; ++beat) {
    BufferedEvent event;
    event.member_id = (*member)->member_id;
    event.lesson_id = lesson_id;
    event.occur = end - absl::Seconds(kHeartbeatSeconds * (beats - beat - 1));
    event.from_position = pages ? std::max(1, at) : at;
    event.to_position = std::min(length, event.from_position + step - (pages ? 1 : 0));
    event.active_seconds = kHeartbeatSeconds;
    // The ticket vouches for what falls in its window; beyond it, the kiosk only claims.
    event.ticket = event.occur < (*member)->ticket_expires ? (*member)->ticket : "";
    at = event.to_position + (pages ? 1 : 0);
    events.push_back(std::move(event));
  }
  if (absl::Status buffered = store.Buffer(events); !buffered.ok()) {
    return Fail("buffer", buffered);
  }
  std::cout << "buffered " << events.size() << " events of " << known.title << " for "
            << ((*member)->name.empty() ? (*member)->member_number : (*member)->name) << "\n";
  return 0;
}

std::string OutcomeName(const v1::EventResult& result) {
  switch (result.outcome()) {
    case v1::EVENT_OUTCOME_ACCEPTED:
      return "accepted";
    case v1::EVENT_OUTCOME_DUPLICATE:
      return "duplicate";
    case v1::EVENT_OUTCOME_PENDING:
      return absl::StrCat("pending:", v1::PendingReason_Name(result.pending_reason()));
    case v1::EVENT_OUTCOME_REJECTED:
      return absl::StrCat("rejected:", v1::EventRejection_Name(result.rejection()));
    default:
      return "unknown";
  }
}

// An event as the API takes it, from this device, sent at `sent`.
void ToProto(const BufferedEvent& event, const std::string& device, absl::Time sent,
             v1::ProgressEvent* proto) {
  proto->set_event_id(event.event_id);
  proto->set_lesson_id(event.lesson_id);
  grpc_util::SetTimestamp(event.occur, proto->mutable_occur_time());
  grpc_util::SetTimestamp(sent, proto->mutable_sent_time());
  proto->set_from_position(event.from_position);
  proto->set_to_position(event.to_position);
  proto->set_active_seconds(event.active_seconds);
  proto->set_device_id(device);
  proto->set_sequence(event.sequence);
}

// Prints what became of the events (" 9 accepted 1 pending:...; +270 s credited") and
// collects each outcome for the store.
void PrintResults(const google::protobuf::RepeatedPtrField<v1::EventResult>& results,
                  std::vector<std::pair<std::string, std::string>>& outcomes) {
  std::map<std::string, int> counts;
  int credited = 0;
  for (const v1::EventResult& result : results) {
    outcomes.emplace_back(result.event_id(), OutcomeName(result));
    ++counts[OutcomeName(result)];
    credited += result.credited_seconds();
  }
  for (const auto& [outcome, count] : counts) std::cout << " " << count << " " << outcome;
  std::cout << "; +" << credited << " s credited";
}

// Phone mode: the member's own buffered study, in their own session (the session is the
// evidence, as online).
int PhoneSync(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel) {
  absl::StatusOr<std::string> token = PhoneToken(store, *v1::IdentityService::NewStub(channel));
  if (!token.ok()) return Fail("sign-in", token.status());
  const std::string device = store.Setting("device_id").value_or("phone");
  auto progress = v1::ProgressService::NewStub(channel);
  int uploaded = 0;
  for (;;) {
    absl::StatusOr<std::vector<BufferedEvent>> events = store.Unsynced(kMaxEventsPerUpload);
    if (!events.ok()) return Fail("store", events.status());
    if (events->empty()) break;
    v1::RecordProgressRequest request;
    const absl::Time sent = absl::Now();
    for (const BufferedEvent& event : *events) {
      ToProto(event, device, sent, request.add_events());
    }
    v1::RecordProgressResponse response;
    const grpc::Status status = progress->RecordProgress(Context(*token).get(), request, &response);
    if (!status.ok()) return Fail("sync (events kept for the next try)", status);
    std::vector<std::pair<std::string, std::string>> outcomes;
    PrintResults(response.results(), outcomes);
    std::cout << "\n";
    if (absl::Status marked = store.MarkSynced(outcomes); !marked.ok()) {
      return Fail("store", marked);
    }
    uploaded += static_cast<int>(outcomes.size());
  }
  std::cout << "synced " << uploaded << " events\n";
  return 0;
}

int Sync(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel) {
  if (IsPhone(store)) return PhoneSync(store, channel);
  auto identity = v1::IdentityService::NewStub(channel);
  absl::StatusOr<std::string> kiosk_token = KioskToken(store, *identity);
  if (!kiosk_token.ok()) return Fail("kiosk sign-in", kiosk_token.status());
  const std::string device = store.Setting("device_id").value_or("kiosk");
  auto progress = v1::ProgressService::NewStub(channel);
  int uploaded = 0;
  for (;;) {
    absl::StatusOr<std::vector<BufferedEvent>> events = store.Unsynced(kMaxEventsPerUpload);
    if (!events.ok()) return Fail("store", events.status());
    if (events->empty()) break;
    // One upload per member and piece of evidence.
    v1::SyncKioskProgressRequest request;
    std::map<std::pair<int64_t, std::string>, v1::MemberUpload*> uploads;
    const absl::Time sent = absl::Now();
    for (const BufferedEvent& event : *events) {
      v1::MemberUpload*& upload = uploads[{event.member_id, event.ticket}];
      if (upload == nullptr) {
        upload = request.add_uploads();
        upload->set_member_id(event.member_id);
        // The evidence text says what it is: `kt1.` a ticket, `pi1.` a phone's code.
        if (event.ticket.empty()) {
          upload->mutable_evidence()->mutable_kiosk_claim();
        } else if (event.ticket.rfind("pi1.", 0) == 0) {
          upload->mutable_evidence()->set_phone_identification(event.ticket);
        } else {
          upload->mutable_evidence()->set_kiosk_ticket(event.ticket);
        }
      }
      ToProto(event, device, sent, upload->add_events());
    }
    v1::SyncKioskProgressResponse response;
    const grpc::Status status =
        progress->SyncKioskProgress(Context(*kiosk_token).get(), request, &response);
    // Nothing acknowledged: everything stays buffered for the next sync.
    if (!status.ok()) return Fail("sync (events kept for the next try)", status);
    std::vector<std::pair<std::string, std::string>> outcomes;
    for (int u = 0; u < response.members_size(); ++u) {
      const v1::MemberSyncResult& member = response.members(u);
      std::cout << "member " << member.member_id() << ":";
      PrintResults(member.results(), outcomes);
      std::cout << "; checkpoint " << member.checkpoint() << "\n";
      for (const v1::LessonProgress& lesson : member.lessons()) {
        std::cout << "  lesson " << lesson.lesson_id() << ": " << lesson.covered_permille() / 10
                  << "% covered, " << lesson.credited_seconds() << " s"
                  << (lesson.completed() ? ", completed" : "") << "\n";
      }
      for (const int64_t course : member.completed_course_ids()) {
        std::cout << "  course " << course << " completed\n";
      }
    }
    if (absl::Status marked = store.MarkSynced(outcomes); !marked.ok()) {
      return Fail("store", marked);
    }
    uploaded += static_cast<int>(outcomes.size());
  }
  std::cout << "synced " << uploaded << " events\n";
  const int sign_ins = SyncSignIns(store, channel, *kiosk_token);
  const int exams = UploadExams(store, channel, *kiosk_token);
  return sign_ins != 0 ? sign_ins : exams;
}

// At the kiosk, offline: the member shows the code their phone signed for this kiosk. The
// kiosk cannot check the signature (the server does, at sync); it checks that the code is
// for this kiosk, and keeps it as the evidence for the member's study in its window.
int IdentifyPhone(KioskStore& store, const std::string& code, const std::string& number) {
  const std::optional<auth::PhoneIdentification> claimed = auth::PeekPhoneIdentification(code);
  if (!claimed.has_value()) {
    std::cerr << "not a phone identification code\n";
    return 1;
  }
  if (absl::StrCat(claimed->kiosk_id) != store.Setting("kiosk_id").value_or("")) {
    std::cerr << "this code was made for kiosk " << claimed->kiosk_id << "\n";
    return 1;
  }
  KnownMember member{claimed->member_id,
                     number.empty() ? absl::StrCat("#", claimed->member_id) : number, "", code,
                     claimed->expires};
  if (absl::Status saved = store.SaveMember(member); !saved.ok()) return Fail("store", saved);
  std::cout << "member " << member.member_id << " identified by phone as " << member.member_number
            << " until "
            << absl::FormatTime("%Y-%m-%d %H:%M %Z", member.ticket_expires,
                                absl::FixedTimeZone(8 * 3600))
            << "\n";
  return 0;
}

// The phone: signs in, makes its Ed25519 key and registers it (online, once).
int PhoneKey(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
             const std::string& login, const std::string& password) {
  auto identity = v1::IdentityService::NewStub(channel);
  v1::SignInRequest sign_in;
  sign_in.set_login(login);
  sign_in.set_password(password);
  v1::Session session;
  const grpc::Status signed_in = identity->SignIn(Context("").get(), sign_in, &session);
  if (!signed_in.ok()) return Fail("sign-in", signed_in);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  v1::RegisterDeviceKeyRequest request;
  request.set_public_key(std::string(reinterpret_cast<char*>(pk), sizeof(pk)));
  request.set_name("lms-kiosk phone mode");
  v1::DeviceKey key;
  const grpc::Status registered =
      identity->RegisterDeviceKey(Context(session.access_token()).get(), request, &key);
  if (!registered.ok()) return Fail("register key", registered);
  // The secret key never leaves the phone's store.
  absl::Status saved = store.SetSetting(
      "phone_secret_key",
      absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(sk), sizeof(sk))));
  if (saved.ok()) saved = store.SetSetting("phone_key_id", absl::StrCat(key.key_id()));
  if (saved.ok()) saved = store.SetSetting("phone_member_id", absl::StrCat(key.member_id()));
  // The phone's own study goes up in its member's session (RecordProgress): keep it.
  if (saved.ok()) saved = store.SetSetting("refresh_token", session.refresh_token());
  if (saved.ok() && store.Setting("device_id").value_or("").empty()) {
    std::random_device random;
    saved =
        store.SetSetting("device_id", absl::StrCat("phone-", absl::Hex(random(), absl::kZeroPad8),
                                                   absl::Hex(random(), absl::kZeroPad8)));
  }
  if (saved.ok()) {
    saved = store.SaveMember(
        {key.member_id(), login, session.caller().display_name(), "", absl::InfinitePast()});
  }
  sodium_memzero(sk, sizeof(sk));
  if (!saved.ok()) return Fail("store", saved);
  std::cout << "phone key " << key.key_id() << " registered for member " << key.member_id() << "\n";
  return 0;
}

// The phone, offline: a code for kiosk `kiosk_id`, valid `hours` from now.
int PhoneCode(KioskStore& store, int64_t kiosk_id, int hours) {
  const std::string secret = absl::HexStringToBytes(store.Setting("phone_secret_key").value_or(""));
  int64_t key_id = 0;
  int64_t member_id = 0;
  if (secret.size() != crypto_sign_SECRETKEYBYTES ||
      !absl::SimpleAtoi(store.Setting("phone_key_id").value_or(""), &key_id) ||
      !absl::SimpleAtoi(store.Setting("phone_member_id").value_or(""), &member_id)) {
    std::cerr << "no phone key here: run phone-key online first\n";
    return 1;
  }
  auth::PhoneIdentification identification;
  identification.member_id = member_id;
  identification.kiosk_id = kiosk_id;
  identification.key_id = key_id;
  identification.issued = absl::Now();
  identification.expires = identification.issued + absl::Hours(hours);
  std::cout << auth::SealPhoneIdentification(identification, secret) << "\n";
  return 0;
}

// The activity's rotating code, as the kiosk's screen shows it: the secret fetched while
// online and kept, so the code keeps turning over when the network is gone.
int ActivityCode(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                 int64_t activity_id, bool offline) {
  if (!offline) {
    auto identity = v1::IdentityService::NewStub(channel);
    absl::StatusOr<std::string> kiosk_token = KioskToken(store, *identity);
    if (!kiosk_token.ok()) return Fail("kiosk sign-in", kiosk_token.status());
    v1::GetSignInSecretRequest request;
    request.set_activity_id(activity_id);
    v1::SignInSecret secret;
    const grpc::Status fetched = v1::ActivityService::NewStub(channel)->GetSignInSecret(
        Context(*kiosk_token).get(), request, &secret);
    if (!fetched.ok()) return Fail("sign-in secret", fetched);
    v1::GetActivityRequest get;
    get.set_activity_id(activity_id);
    v1::Activity activity;
    const grpc::Status got = v1::ActivityService::NewStub(channel)->GetActivity(
        Context(*kiosk_token).get(), get, &activity);
    if (!got.ok()) return Fail("activity", got);
    const KnownActivity known{activity_id, activity.title(), secret.secret(),
                              grpc_util::TimeFromProto(secret.sign_in_open_time()),
                              grpc_util::TimeFromProto(secret.sign_in_close_time())};
    if (absl::Status saved = store.SaveActivity(known); !saved.ok()) return Fail("store", saved);
  }
  absl::StatusOr<std::optional<KnownActivity>> known = store.Activity(activity_id);
  if (!known.ok()) return Fail("store", known.status());
  if (!known->has_value()) {
    std::cerr << "activity " << activity_id << " is not on this kiosk: run it online first\n";
    return 1;
  }
  const absl::Time now = absl::Now();
  const std::vector<uint8_t> secret((*known)->secret.begin(), (*known)->secret.end());
  const int64_t left =
      auth::kSignInCodePeriodSeconds - absl::ToUnixSeconds(now) % auth::kSignInCodePeriodSeconds;
  std::cout << (*known)->title << " (" << activity_id << "): sign-in code "
            << auth::SignInCodeAt(secret, now) << ", changes in " << left << " s\n";
  if (now < (*known)->sign_in_open || now >= (*known)->sign_in_close) {
    std::cout << "  (sign-in is open "
              << absl::FormatTime("%m-%d %H:%M", (*known)->sign_in_open,
                                  absl::FixedTimeZone(8 * 3600))
              << " to "
              << absl::FormatTime("%m-%d %H:%M", (*known)->sign_in_close,
                                  absl::FixedTimeZone(8 * 3600))
              << ")\n";
  }
  return 0;
}

// A member signs in at the kiosk with their PIN: online, at once (a kiosk session needs no
// code); offline, buffered with the member's ticket if it covers now, else as the kiosk's
// claim (the kiosk cannot check a PIN offline), for the next sync.
int ActivitySignIn(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                   int64_t activity_id, const std::string& number, const std::string& pin,
                   bool sign_out, bool offline) {
  if (!offline) {
    auto identity = v1::IdentityService::NewStub(channel);
    MemberAtKiosk at;
    if (const int failed = SignInMember(store, *identity, number, pin, at); failed != 0) {
      return failed;
    }
    const KnownMember& member = at.member;
    v1::ActivitySignInRequest sign_in;
    sign_in.set_activity_id(activity_id);
    v1::Attendance attendance;
    auto activities = v1::ActivityService::NewStub(channel);
    const auto context = Context(at.session.access_token(), at.kiosk_token);
    const grpc::Status done = sign_out ? activities->SignOut(context.get(), sign_in, &attendance)
                                       : activities->SignIn(context.get(), sign_in, &attendance);
    if (!done.ok()) return Fail(sign_out ? "sign-out" : "sign-in", done);
    std::cout << (member.name.empty() ? number : member.name)
              << (sign_out ? " signed out" : " signed in") << " at activity " << activity_id
              << "\n";
    return 0;
  }
  absl::StatusOr<std::optional<KnownMember>> member = store.MemberByNumber(number);
  if (!member.ok()) return Fail("store", member.status());
  if (!member->has_value()) {
    std::cerr << "member " << number << " was never identified here: sign in online once\n";
    return 1;
  }
  BufferedSignIn buffered;
  buffered.activity_id = activity_id;
  buffered.member_id = (*member)->member_id;
  buffered.sign_out = sign_out;
  buffered.occur = absl::Now();
  buffered.ticket = buffered.occur < (*member)->ticket_expires ? (*member)->ticket : "";
  if (absl::Status saved = store.BufferSignIn(buffered); !saved.ok()) return Fail("buffer", saved);
  std::cout << "buffered " << (sign_out ? "sign-out" : "sign-in") << " of "
            << ((*member)->name.empty() ? number : (*member)->name) << " at activity "
            << activity_id
            << (buffered.ticket.empty() ? " (the kiosk's word: pending until an admin confirms)"
                                        : " (vouched for by the member's ticket)")
            << "\n";
  return 0;
}

// Uploads the buffered sign-ins; each is marked sent once the server answered for it.
int SyncSignIns(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                const std::string& kiosk_token) {
  auto activities = v1::ActivityService::NewStub(channel);
  int uploaded = 0;
  for (;;) {
    absl::StatusOr<std::vector<BufferedSignIn>> sign_ins = store.UnsyncedSignIns(500);
    if (!sign_ins.ok()) return Fail("store", sign_ins.status());
    if (sign_ins->empty()) break;
    v1::SyncKioskAttendanceRequest request;
    const absl::Time sent = absl::Now();
    for (const BufferedSignIn& sign_in : *sign_ins) {
      v1::KioskSignIn* out = request.add_sign_ins();
      out->set_sign_in_id(sign_in.sign_in_id);
      out->set_activity_id(sign_in.activity_id);
      out->set_member_id(sign_in.member_id);
      out->set_sign_out(sign_in.sign_out);
      grpc_util::SetTimestamp(sign_in.occur, out->mutable_occur_time());
      grpc_util::SetTimestamp(sent, out->mutable_sent_time());
      if (sign_in.ticket.empty()) {
        out->mutable_evidence()->mutable_kiosk_claim();
      } else {
        out->mutable_evidence()->set_kiosk_ticket(sign_in.ticket);
      }
    }
    v1::SyncKioskAttendanceResponse response;
    const grpc::Status status =
        activities->SyncKioskAttendance(Context(kiosk_token).get(), request, &response);
    if (!status.ok()) return Fail("sign-in sync (kept for the next try)", status);
    std::vector<std::pair<std::string, std::string>> outcomes;
    for (const v1::KioskSignInResult& result : response.results()) {
      std::string outcome = v1::KioskSignInOutcome_Name(result.outcome()).substr(22);
      if (result.rejection() != v1::KIOSK_SIGN_IN_REJECTION_NONE) {
        outcome = absl::StrCat(outcome, " ",
                               v1::KioskSignInRejection_Name(result.rejection()).substr(24));
      }
      std::cout << "sign-in " << result.sign_in_id() << ": " << outcome << "\n";
      outcomes.emplace_back(result.sign_in_id(), outcome);
    }
    if (absl::Status marked = store.MarkSignInsSynced(outcomes); !marked.ok()) {
      return Fail("store", marked);
    }
    uploaded += static_cast<int>(outcomes.size());
  }
  if (uploaded > 0) std::cout << "synced " << uploaded << " sign-ins\n";
  return 0;
}

int Status(KioskStore& store) {
  const absl::StatusOr<int64_t> unsynced = store.CountUnsynced();
  if (!unsynced.ok()) return Fail("store", unsynced.status());
  const absl::StatusOr<int64_t> sign_ins = store.CountUnsyncedSignIns();
  if (!sign_ins.ok()) return Fail("store", sign_ins.status());
  std::cout << "kiosk " << store.Setting("kiosk_id").value_or("") << ", device "
            << store.Setting("device_id").value_or("(not registered)") << "; " << *unsynced
            << " events and " << *sign_ins << " sign-ins waiting to sync\n";
  return ExamStatus(store);
}

}  // namespace
}  // namespace lms::kiosk

int main(int argc, char** argv) {
  using namespace lms::kiosk;
  CLI::App app{"lms-kiosk: a workshop kiosk's client, online or offline"};
  Options options;
  app.add_option("--server", options.server, "the API (host:port)");
  app.add_option("--store", options.store, "the kiosk's local SQLite file");
  app.add_flag("--offline", options.offline, "no network: network commands fail at once");
  app.require_subcommand(1);
  std::string credential, number, pin;
  int64_t lesson = 0;
  int minutes = 10;
  CLI::App* register_command = app.add_subcommand("register", "store the device credential");
  register_command->add_option("--credential", credential, "from RegisterKiosk")->required();
  CLI::App* identify = app.add_subcommand("identify", "online: a member signs in with the PIN");
  identify->add_option("--number", number, "member number")->required();
  identify->add_option("--pin", pin, "kiosk PIN")->required();
  CLI::App* study = app.add_subcommand("study", "record study (no network needed)");
  study->add_option("--number", number, "member number")->required();
  study->add_option("--lesson", lesson, "lesson id")->required();
  study->add_option("--minutes", minutes, "minutes studied, ending now");
  CLI::App* sync = app.add_subcommand("sync", "online: upload what is buffered");
  int retry_for = 0;
  sync->add_option("--retry-for", retry_for,
                   "seconds to keep trying while the server cannot be reached (0: once)");
  std::string code, login, password_file;
  int64_t kiosk_id = 0;
  int hours = 8;
  int64_t course = 0;
  CLI::App* fetch = app.add_subcommand("fetch", "online: a course's lessons, as the kiosk");
  fetch->add_option("--course", course, "course id")->required();
  CLI::App* identify_phone =
      app.add_subcommand("identify-phone", "offline: a member shows their phone's code");
  identify_phone->add_option("--code", code, "the pi1. code from phone-code")->required();
  identify_phone->add_option("--number", number, "member number to study under (optional)");
  CLI::App* phone_key = app.add_subcommand("phone-key", "phone, online: make and register a key");
  phone_key->add_option("--login", login, "member number or phone")->required();
  phone_key->add_option("--password-file", password_file, "file holding the password")->required();
  CLI::App* phone_code =
      app.add_subcommand("phone-code", "phone, offline: a code for a kiosk to scan");
  phone_code->add_option("--kiosk", kiosk_id, "the kiosk's id (its status shows it)")->required();
  phone_code->add_option("--hours", hours, "how long it vouches for you (at most 12)");
  int64_t activity = 0;
  bool sign_out = false;
  CLI::App* activity_code =
      app.add_subcommand("activity-code", "an activity's rotating sign-in code (offline too)");
  activity_code->add_option("--activity", activity, "activity id")->required();
  CLI::App* activity_sign_in = app.add_subcommand(
      "activity-sign-in", "a member signs in with the PIN: at once, or buffered offline");
  activity_sign_in->add_option("--activity", activity, "activity id")->required();
  activity_sign_in->add_option("--number", number, "member number")->required();
  activity_sign_in->add_option("--pin", pin, "kiosk PIN (checked online)");
  activity_sign_in->add_flag("--sign-out", sign_out, "sign out instead");
  int64_t paper = 0;
  GivenAnswer given;
  CLI::App* exam_lease =
      app.add_subcommand("exam-lease", "online: a member signs in and the kiosk leases an exam");
  exam_lease->add_option("--number", number, "member number")->required();
  exam_lease->add_option("--pin", pin, "kiosk PIN")->required();
  exam_lease->add_option("--paper", paper, "paper id")->required();
  CLI::App* exam_start =
      app.add_subcommand("exam-start", "offline too: the identified member begins the exam");
  exam_start->add_option("--number", number, "member number")->required();
  exam_start->add_option("--paper", paper, "paper id")->required();
  CLI::App* exam_answer = app.add_subcommand("exam-answer", "offline too: seal one answer");
  exam_answer->add_option("--number", number, "member number")->required();
  exam_answer->add_option("--paper", paper, "paper id")->required();
  exam_answer->add_option("--question", given.question, "its number in the exam")->required();
  exam_answer->add_option("--option", given.option_ids, "an option id (repeat for several)");
  exam_answer->add_option("--truth", given.truth, "true or false")
      ->check(CLI::IsMember({"true", "false"}));
  exam_answer->add_option("--blank", given.blanks, "a blank's text (repeat, in order)");
  CLI::App* exam_submit = app.add_subcommand("exam-submit", "offline too: the member submits");
  exam_submit->add_option("--number", number, "member number")->required();
  exam_submit->add_option("--paper", paper, "paper id")->required();
  app.add_subcommand("status", "what waits to sync");
  CLI11_PARSE(app, argc, argv);
  if (sodium_init() < 0) {
    std::cerr << "libsodium cannot start\n";
    return 1;
  }

  absl::StatusOr<KioskStore> store = KioskStore::Open(options.store);
  if (!store.ok()) return Fail("store", store.status());
  const bool online = identify->parsed() || sync->parsed() || phone_key->parsed() ||
                      fetch->parsed() || exam_lease->parsed();
  if (online && options.offline) {
    std::cerr << "offline: nothing sent; what is buffered stays buffered\n";
    return 2;
  }
  const auto channel = grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials());
  if (register_command->parsed()) return Register(*store, credential);
  if (identify->parsed()) return Identify(*store, channel, number, pin);
  if (study->parsed()) return Study(*store, number, lesson, minutes);
  if (sync->parsed()) {
    // A sync is safe to repeat (events are marked sent only once acknowledged; a re-sent
    // one comes back a duplicate), so a kiosk retries by itself until the server is back.
    const absl::Time give_up = absl::Now() + absl::Seconds(retry_for);
    absl::Duration pause = absl::Milliseconds(500);
    for (;;) {
      const int result = Sync(*store, channel);
      if (result == 0 || absl::Now() + pause > give_up) return result;
      std::cerr << "retrying in " << pause << "\n";
      absl::SleepFor(pause);
      pause = std::min(pause * 2, absl::Seconds(5));
    }
  }
  if (identify_phone->parsed()) return IdentifyPhone(*store, code, number);
  if (fetch->parsed()) return Fetch(*store, channel, course);
  if (phone_code->parsed()) return PhoneCode(*store, kiosk_id, hours);
  if (activity_code->parsed()) return ActivityCode(*store, channel, activity, options.offline);
  if (activity_sign_in->parsed()) {
    return ActivitySignIn(*store, channel, activity, number, pin, sign_out, options.offline);
  }
  if (exam_lease->parsed()) return LeaseExam(*store, channel, number, pin, paper);
  if (exam_start->parsed()) return StartExam(*store, number, paper);
  if (exam_answer->parsed()) return AnswerExam(*store, number, paper, given);
  if (exam_submit->parsed()) return SubmitExam(*store, number, paper);
  if (phone_key->parsed()) {
    std::ifstream in(password_file);
    std::string password;
    std::getline(in, password);
    return PhoneKey(*store, channel, login, password);
  }
  return Status(*store);
}

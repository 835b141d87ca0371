#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tools/kiosk/kiosk_store.h"

namespace lms::kiosk {

// Timed exams taken on the kiosk without network (README "Offline exams on kiosks"). Each
// returns the process's exit code.

// Online: the member signs in with the PIN and the kiosk leases the paper's exam for them,
// with a key pair it makes for this exam.
int LeaseExam(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
              const std::string& number, const std::string& pin, int64_t paper_id);
// Offline: the member, identified here (a ticket or phone code still valid), begins; the
// kiosk's monotonic clock starts and the questions are shown.
int StartExam(KioskStore& store, const std::string& number, int64_t paper_id);

// An answer as given on the kiosk's screen.
struct GivenAnswer {
  int32_t question = 0;  // its number in the exam, from 1
  std::vector<int32_t> option_ids;
  std::string truth;  // "true", "false" or ""
  std::vector<std::string> blanks;
};
// Seals one answer with its elapsed time, chained to the one before. After the time
// limit plus grace it seals the end instead and refuses the answer.
int AnswerExam(KioskStore& store, const std::string& number, int64_t paper_id,
               const GivenAnswer& given);
// The member submits: the chain's FINISH.
int SubmitExam(KioskStore& store, const std::string& number, int64_t paper_id);
// Prints each exam in the store and where it stands.
int ExamStatus(KioskStore& store);
// Online: uploads every finished exam (closing those whose time ran out), keeping what
// the server answered. 0 when nothing is left to retry.
int UploadExams(KioskStore& store, const std::shared_ptr<grpc::Channel>& channel,
                const std::string& kiosk_token);

}  // namespace lms::kiosk

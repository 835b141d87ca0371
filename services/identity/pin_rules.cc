#include "services/identity/pin_rules.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace lms::identity {
namespace {

// Keypad lines and shapes, and Chinese number-speak (520 "I love you", 1314 "for ever").
constexpr std::array<const char*, 16> kWellKnown = {
    "2580",   "0852",   "1379", "1397",    "1470",   "0741", "147258", "147258369",
    "159753", "159357", "1314", "5201314", "131452", "1004", "2000",   "123321"};

bool RepeatsABlock(const std::string& pin) {
  for (size_t block = 1; block <= pin.size() / 2; ++block) {
    if (pin.size() % block != 0) continue;
    bool repeats = true;
    for (size_t i = block; i < pin.size() && repeats; ++i) repeats = pin[i] == pin[i - block];
    if (repeats) return true;
  }
  return false;
}

// Every digit one more (or one less) than the one before, wrapping 9 to 0.
bool IsRun(const std::string& pin, int step) {
  for (size_t i = 1; i < pin.size(); ++i) {
    if ((pin[i - 1] - '0' + step + 10) % 10 != pin[i] - '0') return false;
  }
  return true;
}

bool EndsAs(const std::string& login, const std::string& pin) {
  return login.size() >= pin.size() && absl::EndsWith(login, pin);
}

}  // namespace

void CheckPinFormat(status::FieldErrors& errors, const std::string& field, const std::string& pin) {
  const bool digits = std::all_of(pin.begin(), pin.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
  if (pin.size() < 4 || pin.size() > 8 || !digits) errors.Add(field, "must be 4 to 8 digits");
}

std::string WeakPinReason(const std::string& pin, const Account& account) {
  if (RepeatsABlock(pin)) return "repeats the same digits";
  if (IsRun(pin, 1) || IsRun(pin, -1)) return "is a run of digits";
  if (std::find(kWellKnown.begin(), kWellKnown.end(), pin) != kWellKnown.end()) {
    return "is one of the commonest PINs";
  }
  if (account.birth_year > 0 && absl::StrContains(pin, absl::StrCat(account.birth_year))) {
    return "contains the birth year";
  }
  if (EndsAs(account.member_number, pin) || EndsAs(account.phone, pin)) {
    return "is the end of the member number or phone";
  }
  return "";
}

}  // namespace lms::identity

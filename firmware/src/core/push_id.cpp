#include "push_id.h"

namespace fl {

namespace {
const char kAlphabet[] = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
}

void PushIdGenerator::next(uint64_t nowMs, char out[kPushIdChars + 1]) {
  if (nowMs == lastMs_) {
    // Same millisecond: increment the random part so ids stay strictly increasing.
    int i = 11;
    while (i >= 0 && lastRandom_[i] == 63) lastRandom_[i--] = 0;
    if (i >= 0) ++lastRandom_[i];
  } else {
    lastMs_ = nowMs;
    for (int i = 0; i < 12; ++i) lastRandom_[i] = static_cast<uint8_t>(random_(ctx_) & 63);
  }
  uint64_t t = nowMs;
  for (int i = 7; i >= 0; --i) {
    out[i] = kAlphabet[t % 64];
    t /= 64;
  }
  for (int i = 0; i < 12; ++i) out[8 + i] = kAlphabet[lastRandom_[i]];
  out[kPushIdChars] = '\0';
}

}  // namespace fl

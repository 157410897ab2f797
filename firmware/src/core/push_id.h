// Client-generated push ids, the shape of the SDK's push() keys (8 characters of millisecond time,
// then 12 random ones, in an alphabet sorted like ASCII): keys sort by creation time and a retried
// write lands on the same key. Shape: firebase-js-sdk packages/database/src/core/util/NextPushId.ts.
#pragma once
#include <stdint.h>

namespace fl {

constexpr int kPushIdChars = 20;

class PushIdGenerator {
 public:
  /** `random` supplies 32 random bits per call (esp_random() on the board). */
  explicit PushIdGenerator(uint32_t (*random)(void*), void* ctx) : random_(random), ctx_(ctx) {}
  /** Writes 20 characters and a NUL into `out`. */
  void next(uint64_t nowMs, char out[kPushIdChars + 1]);

 private:
  uint32_t (*random_)(void*);
  void* ctx_;
  uint64_t lastMs_ = UINT64_MAX;
  uint8_t lastRandom_[12] = {};
};

}  // namespace fl

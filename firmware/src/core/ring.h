// The RAM queue of readings waiting to be sent: a fixed ring. When it is full the oldest reading
// is dropped and counted (the only way a reading is lost, as in device-sim's queue).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "push_id.h"

namespace fl {

struct Reading {
  char id[kPushIdChars + 1];
  uint32_t seq;
  int64_t deviceTs;  // 0 = clock not synced (omitted)
  int16_t ir;
  int16_t light;     // -1 = no reading: the key is omitted, never the last value again
  /** An attempt whose outcome is unknown (timeout, no answer, 5xx): it may already be stored. */
  bool attempted;
};

template <size_t N>
class ReadingRing {
 public:
  static constexpr size_t capacity() { return N; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint32_t dropped() const { return dropped_; }

  /** Adds at the back; when full the oldest is dropped first (returns true then). */
  bool push(const Reading& r) {
    bool dropped = false;
    if (size_ == N) {
      head_ = (head_ + 1) % N;
      --size_;
      ++dropped_;
      dropped = true;
    }
    items_[(head_ + size_) % N] = r;
    ++size_;
    return dropped;
  }
  Reading* front() { return size_ ? &items_[head_] : nullptr; }
  void pop() {
    if (!size_) return;
    head_ = (head_ + 1) % N;
    --size_;
  }

 private:
  Reading items_[N];
  size_t head_ = 0;
  size_t size_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace fl

// Reading-to-angle mapping: the integer formula of model/src/mapping.ts, bit for bit
// (clamp, optional mirror of the input, round half up of offset * outSpan / inSpan).
#pragma once
#include <stdint.h>

namespace fl {

struct Mapping {
  int32_t inMin = 0;
  int32_t inMax = 4095;
  int32_t outMin = 0;
  int32_t outMax = 180;
  bool invert = false;
};

/** nullptr when usable, else the first offending field ("mapping.inMax"), as the model's schema names it. */
const char* mappingProblem(const Mapping& m);

/** Angle for any integer ir (clamped); `m` must be usable (mappingProblem == nullptr). */
int32_t mapReadingToAngle(int64_t ir, const Mapping& m);

}  // namespace fl

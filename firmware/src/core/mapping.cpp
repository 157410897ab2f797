#include "mapping.h"

#include "limits.h"

namespace fl {

const char* mappingProblem(const Mapping& m) {
  // Field checks first, then the range relations, in the order the model's schema reports them.
  if (m.inMin < kIrMin || m.inMin > kIrMax) return "mapping.inMin";
  if (m.inMax < kIrMin || m.inMax > kIrMax) return "mapping.inMax";
  if (m.outMin < kAngleMin || m.outMin > kAngleMax) return "mapping.outMin";
  if (m.outMax < kAngleMin || m.outMax > kAngleMax) return "mapping.outMax";
  if (m.inMin >= m.inMax) return "mapping.inMax";
  if (m.outMin >= m.outMax) return "mapping.outMax";
  return nullptr;
}

int32_t mapReadingToAngle(int64_t ir, const Mapping& m) {
  const int64_t clamped = ir < m.inMin ? m.inMin : (ir > m.inMax ? m.inMax : ir);
  const int64_t span = static_cast<int64_t>(m.inMax) - m.inMin;
  const int64_t offset = m.invert ? m.inMax - clamped : clamped - m.inMin;
  const int64_t out = static_cast<int64_t>(m.outMax) - m.outMin;
  // Non-negative numerator and denominator: integer division is floor, as in the model.
  return static_cast<int32_t>(m.outMin + (2 * offset * out + span) / (2 * span));
}

}  // namespace fl

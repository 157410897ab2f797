// Limits of the data contract, mirrored from model/src/limits.ts (the unit tests compare them with
// model/fixtures/mapping-cases.json "limits", so a change there fails here until mirrored).
#pragma once
#include <stdint.h>

namespace fl {

constexpr int32_t kIrMin = 0;
constexpr int32_t kIrMax = 4095;
constexpr int32_t kAngleMin = 0;
constexpr int32_t kAngleMax = 180;
constexpr uint32_t kSampleMsMin = 100;
constexpr uint32_t kSampleMsMax = 3600000;
constexpr uint32_t kHeartbeatMsMin = 5000;
constexpr uint32_t kHeartbeatMsMax = 3600000;
constexpr uint32_t kSeqMax = 4294967295u;
constexpr int kLcdColumns = 16;
constexpr int32_t kLightMin = 0;
constexpr int32_t kLightMax = 4095;
constexpr int32_t kIdentifyMsMax = 60000;
constexpr int kResultMessageMaxChars = 128;
constexpr uint32_t kHeapMaxBytes = 16777216;

}  // namespace fl

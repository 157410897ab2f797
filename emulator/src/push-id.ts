// Push ids come from the project's RTDB toolkit (@firelink/model/rtdb, the SDK's NextPushId.ts shape).
export { PushIdGenerator } from '@firelink/model/rtdb';

// Keys and paths come from the project's RTDB toolkit (@firelink/model/rtdb: the SDK's
// nameCompare, key checks and path limits), shared with device-sim and the dashboard.
export {
  MAX_NAME,
  MAX_PATH_DEPTH,
  MAX_PATH_LENGTH_BYTES,
  MIN_NAME,
  integerKey,
  isPrefix,
  isValidKey,
  nameCompare,
  pathBytes,
  pathProblem,
  pathToString,
  splitPath,
} from '@firelink/model/rtdb';

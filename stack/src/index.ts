// Public API of @firelink/stack (see README.md). Import '@firelink/stack/env' before this and
// before any Firebase code.
export { stackConfig, loadStackConfig, REPO_ROOT, type StackConfig, type StackPorts } from './config.js';
export { freePort, portIsFree } from './free-port.js';
export { checkPorts, portHolder, PortBusyError, type PortClaim, type PortHolder, type ServiceName } from './ports.js';
export { GiveUp, eventually, type EventuallyOptions } from './eventually.js';
export { functionsIdle, runSchedule, functionsStatus, type DatabaseTarget, type FunctionsStatus } from './functions-calls.js';
export { startStack, DEMO_OWNER, LOCAL_JOB_CONCURRENCY, LOCAL_JOB_SPREAD_SECONDS, type Stack, type StackOptions, type ServiceInfo } from './stack.js';
export { FLEET_NODE_FLAGS, STACK_FLEET_PREFIX, fleetDeviceIds, type FleetOptions } from './fleet.js';
export type { OwnerRequest, ProvisionDeviceRequest, ProvisionedDevice } from './admin.js';
export { processGroupAlive, processTree, processCpuMs, treeCpuMs, peakRssBytes, mainThreadSchedMs } from './proc.js';

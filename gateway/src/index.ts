export { startGateway, type RunningGateway, type StartOptions } from './server.js';
export { loadConfig, ConfigError, DEFAULTS, type GatewayConfig, type GatewayOptions } from './config.js';
export { topics, parseTopic, authorizePublishTopic, authorizeSubscribeFilter, filterMatches, TOPIC_ROOT } from './topics.js';
export { parsePayload, StatusMessageSchema } from './payloads.js';
export { readingIdForSeq } from './reading-id.js';
export { ReasonCode, reasonName } from './reason-codes.js';
export { jsonLineSink, silentSink, type LogSink } from './logs.js';
export type { GatewayStats } from './broker.js';
export type { PendingCommand } from './device-feeds.js';

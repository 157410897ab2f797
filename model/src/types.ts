/** TypeScript types inferred from the schemas, so types and validation cannot drift apart. */
import type { z } from 'zod';
import type {
  CommandAckSchema,
  CommandCreateSchema,
  CommandResultSchema,
  StoredCommandResultSchema,
  CommandSchema,
  ConfigSchema,
  LcdSchema,
  MappingSchema,
  MetaSchema,
  ReadingSchema,
  ReadingWriteSchema,
  StateSchema,
  StatusSchema,
  COMMAND_RESULT_STATUSES,
  COMMAND_TYPES,
} from './schemas/device.js';
import type {
  FirmwareSchema,
  RollupSchema,
  UserDevicesSchema,
  ZoneAlertSchema,
  ZoneOwnersSchema,
  ZoneRuleSchema,
  ZoneSchema,
} from './schemas/global.js';

export type ReadingWrite = z.output<typeof ReadingWriteSchema>;
export type Reading = z.output<typeof ReadingSchema>;
export type Status = z.output<typeof StatusSchema>;
export type Mapping = z.output<typeof MappingSchema>;
export type Config = z.output<typeof ConfigSchema>;
export type Meta = z.output<typeof MetaSchema>;
export type Lcd = z.output<typeof LcdSchema>;
export type State = z.output<typeof StateSchema>;
export type CommandType = (typeof COMMAND_TYPES)[number];
/** A device's answer (what it writes when it acks). */
export type CommandResult = z.output<typeof CommandResultSchema>;
/** A stored result: a device's answer or an expiry written by functions. */
export type StoredCommandResult = z.output<typeof StoredCommandResultSchema>;
export type CommandResultStatus = (typeof COMMAND_RESULT_STATUSES)[number];
export type CommandAck = z.output<typeof CommandAckSchema>;
export type CommandCreate = z.output<typeof CommandCreateSchema>;
export type Command = z.output<typeof CommandSchema>;
export type UserDevices = z.output<typeof UserDevicesSchema>;
export type ZoneAlert = z.output<typeof ZoneAlertSchema>;
export type ZoneOwners = z.output<typeof ZoneOwnersSchema>;
export type ZoneRule = z.output<typeof ZoneRuleSchema>;
export type Zone = z.output<typeof ZoneSchema>;
export type Firmware = z.output<typeof FirmwareSchema>;
export type Rollup = z.output<typeof RollupSchema>;

/**
 * The gateway's one error vocabulary on the MQTT boundary: MQTT 5 reason codes (OASIS MQTT 5.0,
 * section 2.4 "Reason Code") and the MQTT 3.1.1 CONNACK return codes (section 3.2.2.3). Listed
 * with their use in gateway/README.md ("Errors").
 */
export const ReasonCode = Object.freeze({
  success: 0x00,
  /** PUBACK: the write failed for a reason the device cannot fix. */
  unspecifiedError: 0x80,
  /** CONNACK: username is not a device id, or the password is not a valid ID token of that device. */
  badUserNameOrPassword: 0x86,
  /** PUBACK: a topic outside the device's own tree, or the rules refused the write. */
  notAuthorized: 0x87,
  /** DISCONNECT: the database is unreachable; the device reconnects and redelivers. */
  serverBusy: 0x89,
  /** PUBACK: a topic inside the device's tree that devices may not publish to. */
  topicNameInvalid: 0x90,
  /** DISCONNECT: the device kept sending refused publishes. */
  quotaExceeded: 0x97,
  /** PUBACK: malformed JSON, a schema violation or an oversized payload. */
  payloadFormatInvalid: 0x99,
  /** DISCONNECT: the session's ID token expired (renew it on the auth topic before expiry). */
  maximumConnectTime: 0xa0,
} as const);

export type ReasonCodeValue = (typeof ReasonCode)[keyof typeof ReasonCode];

/** MQTT 3.1.1 CONNACK return code 4, "bad user name or password" (aedes maps it to 0x86 for v5). */
export const V3_BAD_USERNAME_OR_PASSWORD = 4;

export function reasonName(code: number): string {
  for (const [name, value] of Object.entries(ReasonCode)) if (value === code) return name;
  return `0x${code.toString(16)}`;
}

/** A refused publish: the reason code for MQTT 5 clients and a message for the log and reason string. */
export interface Refusal {
  reasonCode: ReasonCodeValue;
  reason: string;
}

export function refusal(reasonCode: ReasonCodeValue, reason: string): Refusal {
  return { reasonCode, reason };
}

export function isRefused(value: object): value is Refusal {
  return 'reasonCode' in value && 'reason' in value;
}

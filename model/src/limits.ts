/**
 * Size and range limits of the data contract. `database.rules.json` mirrors these numbers, so a
 * change here is a change there in the same commit.
 */

/** RTDB key limits: https://firebase.google.com/docs/database/usage/limits ("Length of a key"). */
export const KEY_MAX_BYTES = 768;
/** Characters RTDB forbids in keys (same page), plus ASCII control characters 0..31 and 127. */
export const KEY_FORBIDDEN_CHARS = ['.', '#', '$', '[', ']', '/'] as const;

/**
 * Device ids: lowercase letters, digits and dashes, 2..63 characters, starting with a letter or
 * digit. Safe as an RTDB key, as a DNS label, as the local part of the device's Auth e-mail, and
 * stable under hashing for sharding across RTDB instances.
 */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Zone ids follow the device id alphabet (1..63 characters). */
export const ZONE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Firmware channels such as `stable`, `beta` (1..32 characters). */
export const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/**
 * Reading and command ids: the push-id alphabet (`-0-9A-Z_a-z`, see the SDK's
 * `@firebase/database/src/core/util/NextPushId.ts`), 1..64 characters, so clients may generate
 * their own ids and retry a write without duplicating it.
 */
export const PUSH_ID_PATTERN = /^[-0-9A-Za-z_]{1,64}$/;
/** Firebase Auth uids are at most 128 characters (Admin SDK `createUser` docs). */
export const UID_MAX_CHARS = 128;
/** Rollup buckets are UTC minutes written as `YYYYMMDDHHmm` so that keys sort by time. */
export const MINUTE_KEY_PATTERN = /^\d{12}$/;

/** Raw 12-bit ADC of the ESP32 (analogRead returns 0..4095). */
export const IR_MIN = 0;
export const IR_MAX = 4095;
/** Light is the raw 12-bit ADC value of a photoresistor divider, not lux. */
export const LIGHT_MIN = 0;
export const LIGHT_MAX = 4095;
/** Temperature in degrees Celsius: the range of common digital sensors (DS18B20: -55..125). */
export const TEMP_MIN_C = -55;
export const TEMP_MAX_C = 125;
/** A device's reading counter is a uint32 on the ESP32. */
export const SEQ_MAX = 4_294_967_295;

/** Servo angle in integer degrees. */
export const ANGLE_MIN = 0;
export const ANGLE_MAX = 180;

/** Timestamps are integer milliseconds since the Unix epoch (what `ServerValue.TIMESTAMP` writes). */
export const TIMESTAMP_MIN_MS = 0;
/** The largest time a JavaScript Date can hold (ECMA-262 "Time Values and Time Range"). */
export const TIMESTAMP_MAX_MS = 8_640_000_000_000_000;

/**
 * How far a reading's `deviceTs` may lie ahead of server time: device clocks synced by NTP drift
 * and round-trip a little, so a strict `<= now` would refuse honest readings. Rules: `now + 5000`.
 */
export const DEVICE_TS_ALLOWANCE_MS = 5_000;

/**
 * Zone alerts: at least `minDevices` members at `ir >= irThreshold` (IR range) within `windowMs`.
 * Functions config holds the defaults; a zone's `rule` may override them. Two devices at least:
 * a zone event is about several devices (one device's own state already shows its reading).
 */
export const ZONE_MIN_DEVICES_MIN = 2;
export const ZONE_MIN_DEVICES_MAX = 1_000;
export const ZONE_WINDOW_MS_MIN = 1_000;
export const ZONE_WINDOW_MS_MAX = 86_400_000;

/** Sampling period of a device. */
export const SAMPLE_MS_MIN = 100;
export const SAMPLE_MS_MAX = 3_600_000;
/** Heartbeat period: presence of REST devices is swept by a scheduled function. */
export const HEARTBEAT_MS_MIN = 5_000;
export const HEARTBEAT_MS_MAX = 3_600_000;

/** Wi-Fi RSSI in dBm as reported by `WiFi.RSSI()`. */
export const RSSI_MIN_DBM = -127;
export const RSSI_MAX_DBM = 0;
/** Free heap in bytes as reported by `ESP.getFreeHeap()`; the bound covers 16 MiB of PSRAM. */
export const HEAP_MIN_BYTES = 0;
export const HEAP_MAX_BYTES = 16_777_216;

/** String lengths, counted in UTF-16 code units as JavaScript and RTDB rules (`.length`) do. */
export const NAME_MAX_CHARS = 64;
export const FW_VERSION_MAX_CHARS = 32;
export const FW_VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/;
export const RESULT_MESSAGE_MAX_CHARS = 128;
/** Names, messages and reasons: any text without ASCII control characters (0..31 and 127). */
export const PLAIN_TEXT_PATTERN = /^[^\x00-\x1f\x7f]*$/;
export const ALERT_REASON_MAX_CHARS = 128;
export const URL_MAX_CHARS = 2048;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** HD44780 16x2 character display. */
export const LCD_COLUMNS = 16;
/** Printable ASCII: the HD44780 has no UTF-8 (its ROM A00 even shows `\` as a yen sign). */
export const LCD_TEXT_PATTERN = /^[\x20-\x7e]{0,16}$/;

/** `identify` blinks/beeps for at most this long. */
export const IDENTIFY_MS_MAX = 60_000;

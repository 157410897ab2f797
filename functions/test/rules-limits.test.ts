// database.rules.json mirrors model/src/limits.ts: every number, every string pattern and every
// list of allowed strings in the rules is listed here with the model constant it stands for, and the
// two must be equal. A number added to the rules without an entry here fails too, so a new limit
// cannot go in unchecked. (rules.test.ts checks the same limits by behaviour at their edges.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ANGLE_MAX,
  ANGLE_MIN,
  COMMAND_TYPES,
  DEVICE_RESULT_STATUSES,
  DEVICE_TS_ALLOWANCE_MS,
  FW_VERSION_PATTERN,
  HEARTBEAT_MS_MAX,
  HEARTBEAT_MS_MIN,
  IDENTIFY_MS_MAX,
  IR_MAX,
  IR_MIN,
  LIGHT_MAX,
  LIGHT_MIN,
  NAME_MAX_CHARS,
  DEVICE_ID_PATTERN,
  PLAIN_TEXT_PATTERN,
  PUSH_ID_PATTERN,
  RESULT_MESSAGE_MAX_CHARS,
  HEAP_MAX_BYTES,
  HEAP_MIN_BYTES,
  RSSI_MAX_DBM,
  RSSI_MIN_DBM,
  SAMPLE_MS_MAX,
  SAMPLE_MS_MIN,
  SEQ_MAX,
  TEMP_MAX_C,
  TEMP_MIN_C,
  TIMESTAMP_MIN_MS,
  UID_MAX_CHARS,
  ZONE_ID_PATTERN,
} from '@firelink/model';
import { rulesFile } from './support/emulator.js';

type RulesNode = { [key: string]: string | string[] | boolean | RulesNode };

/** Every rule expression: [`path/.validate`, expression]. */
function expressions(node: RulesNode, path: string[] = []): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string' && key.startsWith('.')) out.push([[...path, key].join('/'), value]);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...expressions(value, [...path, key]));
  }
  return out;
}

const REGEX_LITERAL = /matches\(\/(.*?)\/\)/g;
/** Numbers in an expression, once regex literals and the integer idiom `% 1 == 0` are removed. */
function numbersOf(expr: string): number[] {
  const plain = expr.replace(REGEX_LITERAL, '').replace(/% 1 == 0/g, '');
  return [...plain.matchAll(/(?<![\w$.'])-?\d+(?:\.\d+)?(?![\w.])/g)].map((m) => Number(m[0])).sort((a, b) => a - b);
}
const patternsOf = (expr: string): string[] => [...expr.matchAll(REGEX_LITERAL)].map((m) => m[1] as string);
/** The strings `newData.val()` is compared with. */
const allowedStringsOf = (expr: string): string[] => [...expr.matchAll(/newData\.val\(\) == '([^']*)'/g)].map((m) => m[1] as string);

const D = 'rules/devices/$deviceId';
const CMD = `${D}/commands/$commandId`;
const F = 'rules/fleets/$uid/$deviceId';
const sorted = (...n: number[]): number[] => [...n].sort((a, b) => a - b);

/** Each rule expression with numbers, and the model constants they must equal. */
const NUMBERS: Record<string, number[]> = {
  // `length >= 1`: text() requires at least one character.
  [`${D}/meta/name/.validate`]: [1, NAME_MAX_CHARS],
  [`${D}/meta/owner/.validate`]: [1, UID_MAX_CHARS],
  [`${D}/meta/createdAt/.validate`]: [TIMESTAMP_MIN_MS],
  [`${D}/config/mapping/inMin/.validate`]: [IR_MIN, IR_MAX],
  [`${D}/config/mapping/inMax/.validate`]: [IR_MIN, IR_MAX],
  [`${D}/config/mapping/outMin/.validate`]: [ANGLE_MIN, ANGLE_MAX],
  [`${D}/config/mapping/outMax/.validate`]: [ANGLE_MIN, ANGLE_MAX],
  [`${D}/config/sampleMs/.validate`]: [SAMPLE_MS_MIN, SAMPLE_MS_MAX],
  [`${D}/config/heartbeatMs/.validate`]: [HEARTBEAT_MS_MIN, HEARTBEAT_MS_MAX],
  [`${D}/readings/$readingId/ir/.validate`]: [IR_MIN, IR_MAX],
  [`${D}/readings/$readingId/temp/.validate`]: [TEMP_MIN_C, TEMP_MAX_C],
  [`${D}/readings/$readingId/light/.validate`]: [LIGHT_MIN, LIGHT_MAX],
  // seq starts at 0 (the model's seqField is intIn(0, SEQ_MAX)).
  [`${D}/readings/$readingId/seq/.validate`]: [0, SEQ_MAX],
  [`${D}/readings/$readingId/deviceTs/.validate`]: [TIMESTAMP_MIN_MS, DEVICE_TS_ALLOWANCE_MS],
  [`${D}/status/lastSeen/.validate`]: [TIMESTAMP_MIN_MS],
  [`${D}/status/rssi/.validate`]: [RSSI_MIN_DBM, RSSI_MAX_DBM],
  [`${D}/status/heap/.validate`]: [HEAP_MIN_BYTES, HEAP_MAX_BYTES],
  [`${CMD}/args/angle/.validate`]: [ANGLE_MIN, ANGLE_MAX],
  // identify lasts at least 1 ms (intIn(1, IDENTIFY_MS_MAX)).
  [`${CMD}/args/durationMs/.validate`]: [1, IDENTIFY_MS_MAX],
  [`${CMD}/createdAt/.validate`]: [TIMESTAMP_MIN_MS],
  [`${CMD}/result/message/.validate`]: [1, RESULT_MESSAGE_MAX_CHARS],
  [`${CMD}/result/value/.validate`]: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  // The fleet summary mirrors the device's fields (model/src/fleet-summary.ts).
  [`${F}/meta/name/.validate`]: [1, NAME_MAX_CHARS],
  [`${F}/status/lastSeen/.validate`]: [TIMESTAMP_MIN_MS],
  [`${F}/state/ts/.validate`]: [TIMESTAMP_MIN_MS],
};

const PATTERNS: Record<string, string[]> = {
  [`${D}/meta/name/.validate`]: [PLAIN_TEXT_PATTERN.source],
  [`${D}/meta/zone/.validate`]: [ZONE_ID_PATTERN.source],
  [`${D}/readings/$readingId/.validate`]: [PUSH_ID_PATTERN.source],
  [`${D}/status/fw/.validate`]: [FW_VERSION_PATTERN.source],
  [`${CMD}/.validate`]: [PUSH_ID_PATTERN.source],
  [`${CMD}/result/message/.validate`]: [PLAIN_TEXT_PATTERN.source],
  [`${F}/.validate`]: [DEVICE_ID_PATTERN.source],
  [`${F}/meta/zone/.validate`]: [ZONE_ID_PATTERN.source],
  [`${F}/status/fw/.validate`]: [FW_VERSION_PATTERN.source],
};

const STRINGS: Record<string, readonly string[]> = {
  [`${CMD}/type/.validate`]: COMMAND_TYPES,
  // A device answers with its statuses only; `expired` is written by functions (Admin SDK).
  [`${CMD}/result/status/.validate`]: DEVICE_RESULT_STATUSES,
  // The model's calibrate args: bound min | max.
  [`${CMD}/args/bound/.validate`]: ['min', 'max'],
};

const all = expressions({ rules: JSON.parse(readFileSync(rulesFile, 'utf8')).rules as RulesNode });
const collect = <T>(of: (expr: string) => T[]): Record<string, T[]> =>
  Object.fromEntries(all.map(([path, expr]) => [path, of(expr)] as const).filter(([, found]) => found.length > 0));

describe("database.rules.json mirrors the model's limits", () => {
  it('reads the rules (so the checks below can fail)', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(numbersOf("newData.val() >= -55 && newData.val() % 1 == 0 && newData.val() <= now + 5000 && x.matches(/^a{1,2}$/)")).toEqual([-55, 5000]);
  });

  it('every number in the rules is a model constant, at its place', () => {
    const expected = Object.fromEntries(Object.entries(NUMBERS).map(([path, n]) => [path, sorted(...n)]));
    expect(collect(numbersOf)).toEqual(expected);
  });

  it('every pattern in the rules is the model pattern', () => {
    expect(collect(patternsOf)).toEqual(PATTERNS);
  });

  it('every list of allowed strings is the model list', () => {
    const found = collect(allowedStringsOf);
    expect(Object.keys(found).sort()).toEqual(Object.keys(STRINGS).sort());
    for (const [path, values] of Object.entries(STRINGS)) expect(found[path]?.slice().sort()).toEqual([...values].sort());
  });
});

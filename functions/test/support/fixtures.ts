// The model's shared mapping table (model/fixtures/mapping-cases.json), the cases the firmware's
// host tests also check.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mapping } from '@firelink/model';

export interface MappingCase {
  name: string;
  ir: number;
  mapping: Mapping;
  angle: number;
}

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'model', 'fixtures', 'mapping-cases.json');

export function mappingCases(): MappingCase[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { mapping?: MappingCase[] };
  if (!Array.isArray(parsed.mapping) || parsed.mapping.length === 0) {
    throw new Error(`${file}: no "mapping" cases; regenerate them with npm run fixtures -w model`);
  }
  return parsed.mapping;
}

/** Cases a device can actually write: the rules and the reading schema keep ir within 0..4095. */
export function writableMappingCases(): MappingCase[] {
  return mappingCases().filter((c) => Number.isInteger(c.ir) && c.ir >= 0 && c.ir <= 4095);
}

// Writes fixtures/mapping-cases.json from the built package (run `npm run fixtures -w model`,
// which builds first). Plain node: this Node 20 has no TypeScript type stripping.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildFixtureTable, serializeFixtureTable } from '../dist/fixtures.js';

const target = fileURLToPath(new URL('../fixtures/mapping-cases.json', import.meta.url));
const table = buildFixtureTable();
writeFileSync(target, serializeFixtureTable(table));
console.log(
  `wrote fixtures/mapping-cases.json: ${table.mapping.length} mapping, ${table.invalidMappings.length} invalid mapping, ` +
    `${table.sweeps.length} sweep, ${table.lcd.length} LCD cases`,
);

// The `.env` files a deployed function's environment is built from, as the Firebase CLI
// reads them: `.env`, `.env.<projectId>`, then `.env.local` (emulator only), later files
// winning (firebase.google.com/docs/functions/config-env, "Environment variables").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export function parseDotenv(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*(#|$)/.test(raw)) return;
    const match = LINE.exec(raw);
    if (!match) throw new Error(`${source}:${i + 1}: expected KEY=VALUE, got "${raw.trim()}"`);
    let value = match[2] as string;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[match[1] as string] = value;
  });
  return out;
}

export function loadDotenvFiles(functionsDir: string, projectId: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const name of ['.env', `.env.${projectId}`, '.env.local']) {
    const file = join(functionsDir, name);
    if (existsSync(file)) Object.assign(merged, parseDotenv(readFileSync(file, 'utf8'), name));
  }
  return merged;
}

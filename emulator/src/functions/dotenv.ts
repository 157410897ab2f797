// The `.env` files a deployed function's environment is built from, as the Firebase CLI reads
// them: `.env`, `.env.<projectId>`, then `.env.local` (emulator only), later files winning
// (firebase.google.com/docs/functions/config-env, "Environment variables"). Parsing and key
// validation are firebase-tools' own (`lib/functions/env.js` `parse` and `validateKey`, which its
// `loadUserEnvs` applies for deploy and for the official functions emulator), so a file this host
// accepts is one `firebase deploy` accepts. Only the error text is ours: it names the file.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface FirebaseToolsEnv {
  parse(data: string): { envs: Record<string, string>; errors: string[] };
  validateKey(key: string): void;
}

let toolsEnv: FirebaseToolsEnv | undefined;

/** firebase-tools' dotenv module, loaded on first use (about 0.4 s), i.e. only when a file exists. */
function firebaseToolsEnv(): FirebaseToolsEnv {
  toolsEnv ??= createRequire(import.meta.url)('firebase-tools/lib/functions/env.js') as FirebaseToolsEnv;
  return toolsEnv;
}

export function parseDotenv(text: string, source: string): Record<string, string> {
  const { parse, validateKey } = firebaseToolsEnv();
  const { envs, errors } = parse(text);
  if (errors.length > 0) {
    throw new Error(`${source}: expected KEY=VALUE lines (or # comments), got ${errors.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  for (const key of Object.keys(envs)) {
    try {
      validateKey(key);
    } catch (err) {
      // KeyValidationError.message says why: reserved (GCLOUD_PROJECT, FIREBASE_*, ...) or not UPPER_CASE.
      throw new Error(`${source}: ${(err as Error).message} Rename or remove it; firebase deploy refuses it too.`, { cause: err });
    }
  }
  return envs;
}

export function loadDotenvFiles(functionsDir: string, projectId: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const name of ['.env', `.env.${projectId}`, '.env.local']) {
    const file = join(functionsDir, name);
    if (existsSync(file)) Object.assign(merged, parseDotenv(readFileSync(file, 'utf8'), name));
  }
  return merged;
}

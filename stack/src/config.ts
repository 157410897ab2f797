// The local system's settings, read ONCE from the repository's firebase.json and .firebaserc (the
// files firebase-tools reads too), validated and frozen. Everything else in this package (and
// `npm start`, and every test stack) takes project id, namespace, ports and paths from here.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: this file is stack/src/config.ts or stack/dist/config.js. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const port = z.number().int().min(1).max(65535);
const emulatorEntry = z.looseObject({ host: z.string().optional(), port });

// firebase-tools' schema (schema/firebase-config.json) allows one `{ rules }` for the default
// instance, or an array of `{ instance, rules }` / `{ target, rules }`, one per instance or deploy
// target (docs/scaling.md, "Rules per instance"). Our emulator gives one rules file to every
// namespace, so every entry must name the same file.
const databaseEntry = z.looseObject({ rules: z.string().min(1), instance: z.string().min(1).optional(), target: z.string().min(1).optional() });
const database = z
  .union([z.looseObject({ rules: z.string().min(1) }), z.array(databaseEntry).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .refine((entries) => entries.every((entry) => entry.rules === entries[0]!.rules), {
    message: 'every database entry must name the same rules file (the local emulator gives one rules file to every namespace)',
  });

const FirebaseJson = z.looseObject({
  database,
  functions: z.array(z.looseObject({ source: z.string().min(1), configDir: z.string().min(1).optional() })).min(1),
  hosting: z.looseObject({ public: z.string().min(1) }).optional(),
  emulators: z.looseObject({
    auth: emulatorEntry,
    database: emulatorEntry,
    hosting: emulatorEntry.optional(),
  }),
});

const FirebaseRc = z.looseObject({
  projects: z.looseObject({ default: z.string().regex(/^demo-[a-z0-9-]+$/, 'must be a demo-* project id (lower-case letters, digits, dashes)') }),
});

export interface StackPorts {
  database: number;
  auth: number;
  hosting: number;
}

export interface StackConfig {
  readonly root: string;
  /** `demo-*`: the SDKs and firebase-tools never reach Google with it. */
  readonly projectId: string;
  /** The default RTDB namespace, `<projectId>-default-rtdb`. */
  readonly namespace: string;
  /** Default ports of firebase.json's `emulators` section (what `npm start` uses). */
  readonly ports: Readonly<StackPorts>;
  readonly rulesFile: string;
  readonly functionsDir: string;
  /** The folder Hosting serves (the dashboard's build). */
  readonly hostingPublic: string;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`@firelink/stack: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`@firelink/stack: ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  throw new Error(`@firelink/stack: ${file} is not what the local system needs:\n  ${problems.join('\n  ')}`);
}

/** Reads and validates the two files under `root` (exported for tests of bad files). */
export function loadStackConfig(root: string = REPO_ROOT): StackConfig {
  const firebaseFile = join(root, 'firebase.json');
  const rcFile = join(root, '.firebaserc');
  const firebase = parse(FirebaseJson, readJson(firebaseFile), firebaseFile);
  const rc = parse(FirebaseRc, readJson(rcFile), rcFile);
  const projectId = rc.projects.default;
  return Object.freeze({
    root,
    projectId,
    namespace: `${projectId}-default-rtdb`,
    ports: Object.freeze({
      database: firebase.emulators.database.port,
      auth: firebase.emulators.auth.port,
      hosting: firebase.emulators.hosting?.port ?? 5000,
    }),
    rulesFile: join(root, firebase.database[0]!.rules),
    functionsDir: join(root, firebase.functions[0]!.configDir ?? firebase.functions[0]!.source),
    hostingPublic: join(root, firebase.hosting?.public ?? 'web/dist'),
  });
}

let cached: StackConfig | null = null;

/** The repository's stack configuration (read on first use, then cached). */
export function stackConfig(): StackConfig {
  cached ??= loadStackConfig();
  return cached;
}

// Imported first by the rules suites: Firebase SDKs must never reach real hosts, so the
// emulator host variables and a demo project are set before any Firebase module loads.
// FIRELINK_EMULATOR_TARGET=official runs the suites against the official emulator at
// FIREBASE_DATABASE_EMULATOR_HOST instead of ours.
// The target choice and its checks live in harness.ts, shared with the other conformance suites.
import { TARGET_KIND } from './harness.js';

export const RULES_TARGET = TARGET_KIND;

// A closed port until our emulator listens; harness.ts then points it at the real port.
if (RULES_TARGET === 'ours') process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = '127.0.0.1:9';
process.env['FIREBASE_AUTH_EMULATOR_HOST'] ??= '127.0.0.1:9';
process.env['GCLOUD_PROJECT'] = 'demo-rules';

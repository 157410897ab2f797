// Imported first by the rules suites: Firebase SDKs must never reach real hosts, so the
// emulator host variables and a demo project are set before any Firebase module loads.
// FIRELINK_EMULATOR_TARGET=official runs the suites against the official emulator at
// FIREBASE_DATABASE_EMULATOR_HOST instead of ours.
export const RULES_TARGET: 'ours' | 'official' = process.env['FIRELINK_EMULATOR_TARGET'] === 'official' ? 'official' : 'ours';

if (RULES_TARGET === 'official') {
  if (!process.env['FIREBASE_DATABASE_EMULATOR_HOST']) {
    throw new Error('FIRELINK_EMULATOR_TARGET=official needs FIREBASE_DATABASE_EMULATOR_HOST=host:port of a running official database emulator');
  }
} else {
  // A closed port until our emulator listens; rules-target.ts then points it at the real port.
  process.env['FIREBASE_DATABASE_EMULATOR_HOST'] = '127.0.0.1:9';
}
process.env['FIREBASE_AUTH_EMULATOR_HOST'] ??= '127.0.0.1:9';
process.env['GCLOUD_PROJECT'] = 'demo-rules';

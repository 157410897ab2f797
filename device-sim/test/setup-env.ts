// Loaded first by vitest (setupFiles): no Firebase code in these tests may reach real hosts.
// Real ports are filled in by the stack once the emulators run.
process.env.GCLOUD_PROJECT = 'demo-firelink';
process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9';

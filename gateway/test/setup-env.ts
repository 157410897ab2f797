// Loaded first by vitest (setupFiles): no Firebase code in these tests may reach real hosts.
// The stack fills in the real emulator ports before any gateway or SDK app is created.
process.env.GCLOUD_PROJECT = 'demo-firelink';
process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.CI = 'true';

// vitest `setupFiles`: runs before any test module imports Firebase code. Nothing in a test may
// reach real Firebase, so the emulator hosts and a demo project are set first; the end-to-end
// suite overwrites the hosts with its own ports before creating any app.
process.env.GCLOUD_PROJECT = 'demo-firelink';
process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9000';
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9099';
process.env.CI = 'true';

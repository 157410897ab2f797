// Loaded first by vitest: nothing in these tests may reach real Firebase hosts. The stack's env
// guard (@firelink/stack/env, loaded by the stack helper) checks the same; the stack fills in the
// real emulator ports once they run.
process.env.GCLOUD_PROJECT = 'demo-firelink';
process.env.FIREBASE_DATABASE_EMULATOR_HOST ??= '127.0.0.1:9';
process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9';

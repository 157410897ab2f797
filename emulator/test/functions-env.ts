// Imported first by the functions tests: no Firebase code may ever reach real hosts.
process.env['GCLOUD_PROJECT'] = 'demo-functions-host';
process.env['FIREBASE_DATABASE_EMULATOR_HOST'] ??= '127.0.0.1:9';
process.env['FIREBASE_AUTH_EMULATOR_HOST'] ??= '127.0.0.1:9';

export const TEST_PROJECT_ID = 'demo-functions-host';

// Runs before any test module: point every Firebase SDK at local emulators and a demo project
// so nothing can reach Google hosts. Tests overwrite the database host with the real port.
process.env['GCLOUD_PROJECT'] = 'demo-firelink';
process.env['FIREBASE_DATABASE_EMULATOR_HOST'] ??= '127.0.0.1:9000';
process.env['FIREBASE_AUTH_EMULATOR_HOST'] ??= '127.0.0.1:9099';
process.env['FIREBASE_CONFIG'] = JSON.stringify({ projectId: 'demo-firelink' });

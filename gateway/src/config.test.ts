import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const emulators = { FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9000', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' };

describe('loadConfig', () => {
  it('defaults to the emulators and the demo project', () => {
    const config = loadConfig(emulators);
    expect(config).toMatchObject({
      projectId: 'demo-firelink',
      namespace: 'demo-firelink-default-rtdb',
      databaseOrigin: 'http://127.0.0.1:9000',
      emulated: true,
      mqttPort: 1883,
      host: '127.0.0.1',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses a demo project without both emulators', () => {
    expect(() => loadConfig({ FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9000' })).toThrow(/set FIREBASE_DATABASE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST/);
  });

  it('needs a real project named explicitly', () => {
    expect(() => loadConfig({ GCLOUD_PROJECT: 'my-project' })).toThrow(/FIRELINK_GATEWAY_PROJECT/);
    expect(loadConfig({ FIRELINK_GATEWAY_PROJECT: 'my-project' })).toMatchObject({ emulated: false, databaseOrigin: 'https://my-project-default-rtdb.firebaseio.com' });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ ...emulators, FIRELINK_GATEWAY_MQTT_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...emulators, FIRELINK_GATEWAY_MQTT_PORT: 'abc' })).toThrow(/FIRELINK_GATEWAY_MQTT_PORT: must be an integer/);
    expect(() => loadConfig(emulators, { mqttPort: 70_000 })).toThrow(/mqttPort/);
  });
});

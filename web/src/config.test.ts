import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from './config.js';

const prodInit = { projectId: 'acme-iot', apiKey: 'AIza-x', databaseURL: 'https://acme-iot-default-rtdb.europe-west1.firebasedatabase.app', authDomain: 'acme-iot.firebaseapp.com' };

describe('config', () => {
  it('uses init.json as is in production, without emulators', () => {
    const config = resolveConfig(prodInit, { hostname: 'acme-iot.web.app', search: '' }, null);
    expect(config).toEqual({ firebase: prodInit, emulators: null });
  });
  it('uses the emulators for a demo project, at firebase.json ports, in the default-rtdb namespace', () => {
    const init = { projectId: 'demo-firelink', apiKey: 'fake-api-key', databaseURL: 'https://demo-firelink.firebaseio.com' };
    const config = resolveConfig(init, { hostname: '127.0.0.1', search: '' }, null);
    expect(config.emulators).toEqual({ auth: '127.0.0.1:9099', database: '127.0.0.1:9000' });
    expect(config.firebase.databaseURL).toBe('https://demo-firelink-default-rtdb.firebaseio.com');
    expect(config.firebase.apiKey).toBe('fake-api-key');
  });
  it('uses the emulators when served locally, even for a real project id', () => {
    expect(resolveConfig(prodInit, { hostname: 'localhost', search: '' }, null).emulators).not.toBeNull();
  });
  it('falls back to the local demo project without init.json (Vite dev server)', () => {
    const config = resolveConfig(undefined, { hostname: '127.0.0.1', search: '' }, null);
    expect(config.firebase.projectId).toBe('demo-firelink');
  });
  it('takes emulator hosts from the URL, then from the tab, and refuses bad ones', () => {
    const url = resolveConfig(undefined, { hostname: '127.0.0.1', search: '?auth-emulator=127.0.0.1:4001&database-emulator=127.0.0.1:4002' }, null);
    expect(url.emulators).toEqual({ auth: '127.0.0.1:4001', database: '127.0.0.1:4002' });
    const stored = resolveConfig(undefined, { hostname: '127.0.0.1', search: '' }, JSON.stringify({ auth: '127.0.0.1:5001', database: 'nonsense' }));
    expect(stored.emulators).toEqual({ auth: '127.0.0.1:5001', database: '127.0.0.1:9000' });
    expect(() => resolveConfig(undefined, { hostname: '127.0.0.1', search: '?database-emulator=http://x' }, null)).toThrow(
      'URL parameter database-emulator: must be host:port, e.g. 127.0.0.1:9000 (got "http://x")',
    );
  });
  it('explains a missing production config', () => {
    expect(() => resolveConfig(undefined, { hostname: 'acme.web.app', search: '' }, null)).toThrow(ConfigError);
    expect(() => resolveConfig({ projectId: 'acme' }, { hostname: 'acme.web.app', search: '' }, null)).toThrow(/lacks apiKey or databaseURL/);
  });
});

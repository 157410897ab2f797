import { describe, expect, it } from 'vitest';
import { KEYPAD_ALPHABET, PASSWORD_LENGTH, generateKeypadPassword } from './password.js';
import { clientDatabaseUrl, resolveTarget } from './target.js';

describe('resolveTarget', () => {
  it('targets the local emulators by default, as npm start runs them', () => {
    const target = resolveTarget({}, {});
    expect(target).toEqual({ kind: 'emulators', projectId: 'demo-firelink', authEmulatorHost: '127.0.0.1:9099', databaseEmulatorHost: '127.0.0.1:9000', namespace: 'demo-firelink-default-rtdb' });
    expect(clientDatabaseUrl(target)).toBe('http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb');
  });

  it('takes emulator hosts and a demo project from the environment, flags first', () => {
    const env = { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:1', FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:2', GCLOUD_PROJECT: 'demo-x' };
    expect(resolveTarget({}, env)).toMatchObject({ projectId: 'demo-x', authEmulatorHost: '127.0.0.1:1', databaseEmulatorHost: '127.0.0.1:2' });
    expect(resolveTarget({ databaseEmulatorHost: '127.0.0.1:3' }, env)).toMatchObject({ databaseEmulatorHost: '127.0.0.1:3' });
  });

  it('never leaves the emulators because of a variable: a real GCLOUD_PROJECT is ignored', () => {
    expect(resolveTarget({}, { GCLOUD_PROJECT: 'my-real-project' })).toMatchObject({ kind: 'emulators', projectId: 'demo-firelink' });
  });

  it('targets a real project only when --project names it, and refuses emulator hosts with it', () => {
    expect(resolveTarget({ project: 'my-project-123' }, {})).toEqual({ kind: 'project', projectId: 'my-project-123', databaseUrl: 'https://my-project-123-default-rtdb.firebaseio.com' });
    expect(() => resolveTarget({ project: 'my-project-123' }, { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })).toThrow(/refusing.*FIREBASE_AUTH_EMULATOR_HOST/);
    expect(() => resolveTarget({ project: 'my-project-123', databaseEmulatorHost: '127.0.0.1:9000' }, {})).toThrow(/--database-emulator-host/);
    expect(() => resolveTarget({ project: 'Bad Project' }, {})).toThrow(/--project/);
    expect(() => resolveTarget({ databaseUrl: 'https://x.firebaseio.com' }, {})).toThrow(/--database-url is for a real project/);
    expect(() => resolveTarget({ authEmulatorHost: 'nonsense' }, {})).toThrow(/host:port/);
  });
});

describe('generateKeypadPassword', () => {
  it('uses only keys of the 4x4 keypad and differs between calls', () => {
    const a = generateKeypadPassword();
    expect(a).toHaveLength(PASSWORD_LENGTH);
    expect([...a].every((ch) => KEYPAD_ALPHABET.includes(ch))).toBe(true);
    expect(generateKeypadPassword()).not.toBe(a);
  });
});

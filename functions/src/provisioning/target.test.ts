import { describe, expect, it } from 'vitest';
import { KEYPAD_ALPHABET, PASSWORD_LENGTH, generateKeypadPassword } from './password.js';
import { resolveTarget } from './target.js';

const emulated = { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099', FIREBASE_DATABASE_EMULATOR_HOST: '127.0.0.1:9000', GCLOUD_PROJECT: 'demo-x' };

describe('resolveTarget', () => {
  it('accepts the emulators with a demo project', () => {
    expect(resolveTarget(emulated, undefined, undefined)).toEqual({
      projectId: 'demo-x',
      databaseURL: 'https://demo-x-default-rtdb.firebaseio.com',
      emulated: true,
    });
  });
  it('refuses without both emulator hosts or without a demo project', () => {
    expect(() => resolveTarget({ ...emulated, FIREBASE_AUTH_EMULATOR_HOST: '' }, undefined, undefined)).toThrow(/refusing/);
    expect(() => resolveTarget({ ...emulated, FIREBASE_DATABASE_EMULATOR_HOST: undefined }, undefined, undefined)).toThrow(/refusing/);
    expect(() => resolveTarget({ ...emulated, GCLOUD_PROJECT: 'real-project' }, undefined, undefined)).toThrow(/demo-/);
  });
  it('accepts an explicit real project, and refuses an explicit demo project without emulators', () => {
    expect(resolveTarget({}, 'my-project-123', undefined)).toMatchObject({ projectId: 'my-project-123', emulated: false });
    expect(() => resolveTarget({}, 'demo-x', undefined)).toThrow(/only exists in the emulators/);
    expect(() => resolveTarget({}, 'Bad Project', undefined)).toThrow(/--project/);
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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDotenvFiles, parseDotenv } from './dotenv.js';

describe('parseDotenv (firebase-tools parser)', () => {
  it('reads plain, quoted, escaped and commented values', () => {
    const text = ['# comment', '', 'A=1', 'export B = two words # trailing', 'C="x\\ny"', "D='kept # hash'", 'E='].join('\n');
    expect(parseDotenv(text, '.env')).toEqual({ A: '1', B: 'two words', C: 'x\ny', D: 'kept # hash', E: '' });
  });

  it('names the file and the malformed line', () => {
    expect(() => parseDotenv('A=1\nnot a pair', '.env.demo')).toThrow(/^\.env\.demo: expected KEY=VALUE lines.*"not a pair"/);
  });

  it('refuses the keys firebase deploy refuses: reserved names and lower case', () => {
    expect(() => parseDotenv('GCLOUD_PROJECT=x', '.env')).toThrow(/^\.env: .*GCLOUD_PROJECT is reserved/);
    expect(() => parseDotenv('FIREBASE_THING=x', '.env')).toThrow(/reserved prefix/);
    expect(() => parseDotenv('lower=x', '.env.local')).toThrow(/^\.env\.local: .*uppercase/);
  });
});

describe('loadDotenvFiles', () => {
  it('layers .env, .env.<projectId> and .env.local, later winning, and ignores other projects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    try {
      writeFileSync(join(dir, '.env'), 'A=1\nB=1\nC=1\n');
      writeFileSync(join(dir, '.env.demo-p'), 'B=2\nC=2\n');
      writeFileSync(join(dir, '.env.other-project'), 'A=9\n');
      writeFileSync(join(dir, '.env.local'), 'C=3\n');
      expect(loadDotenvFiles(dir, 'demo-p')).toEqual({ A: '1', B: '2', C: '3' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

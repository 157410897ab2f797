import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv.js';

describe('parseDotenv', () => {
  it('reads plain, quoted and commented values', () => {
    const text = ['# comment', '', 'A=1', 'export B = two words # trailing', 'C="x\\ny"', "D='kept # hash'", 'E='].join('\n');
    expect(parseDotenv(text, '.env')).toEqual({ A: '1', B: 'two words', C: 'x\ny', D: 'kept # hash', E: '' });
  });

  it('names the file and line of a malformed entry', () => {
    expect(() => parseDotenv('A=1\nnot a pair', '.env.demo')).toThrow(/\.env\.demo:2: expected KEY=VALUE/);
  });
});

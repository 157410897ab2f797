import { describe, expect, it } from 'vitest';
import { siblingInstanceUrl } from './instance-url.js';

describe('siblingInstanceUrl', () => {
  it('keeps the emulator host and swaps the namespace', () => {
    expect(siblingInstanceUrl('http://127.0.0.1:9000/?ns=demo-firelink-default-rtdb', 'demo-firelink-shard-1')).toBe(
      'http://127.0.0.1:9000/?ns=demo-firelink-shard-1',
    );
    expect(siblingInstanceUrl('http://localhost:9123?ns=a', 'b')).toBe('http://localhost:9123/?ns=b');
  });

  it('replaces the instance label of a us-central1 URL', () => {
    expect(siblingInstanceUrl('https://my-project-default-rtdb.firebaseio.com', 'my-project-shard-2')).toBe('https://my-project-shard-2.firebaseio.com');
    expect(siblingInstanceUrl('https://my-project-default-rtdb.firebaseio.com/', 'x1')).toBe('https://x1.firebaseio.com');
  });

  it('keeps the region of a firebasedatabase.app URL', () => {
    expect(siblingInstanceUrl('https://my-project-default-rtdb.europe-west1.firebasedatabase.app', 'my-project-shard-1')).toBe(
      'https://my-project-shard-1.europe-west1.firebasedatabase.app',
    );
  });

  it.each([
    ['not a URL', 'db'],
    ['another host', 'https://example.com'],
    ['a path', 'https://p-default-rtdb.firebaseio.com/devices'],
    ['plain http in production', 'http://p-default-rtdb.firebaseio.com'],
    ['a port in production', 'https://p-default-rtdb.firebaseio.com:444'],
    ['ws scheme with ns', 'ws://127.0.0.1:9000/?ns=a'],
  ])('refuses %s with the accepted forms', (_name, url) => {
    expect(() => siblingInstanceUrl(url, 'shard-1')).toThrow(/directoryUrl must be a database URL: http:\/\/host:port\/\?ns=<instance>/);
  });

  it('refuses an instance that is not an instance name', () => {
    expect(() => siblingInstanceUrl('http://127.0.0.1:9000/?ns=a', 'Shard_1')).toThrow(/instance must be an RTDB instance name/);
  });
});

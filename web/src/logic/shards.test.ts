import { describe, expect, it } from 'vitest';
import { instanceNameOf, instanceUrl, shardOfEntry } from './shards.js';

describe('shardOfEntry', () => {
  it('no entry is the default instance; a name is that instance', () => {
    expect(shardOfEntry('d1', null)).toEqual({ instance: null });
    expect(shardOfEntry('d1', 'demo-firelink-shard-2')).toEqual({ instance: 'demo-firelink-shard-2' });
  });
  it('anything else is an error naming the entry and the fix', () => {
    const bad = shardOfEntry('d1', 'Not A Name');
    expect(bad).toEqual({ error: expect.stringMatching(/deviceShards\/d1 is "Not A Name".*firelink-provision move/) as unknown });
    expect(shardOfEntry('d1', 7)).toHaveProperty('error');
    expect(shardOfEntry('d1', { a: 1 })).toHaveProperty('error');
  });
});

describe('instance URLs', () => {
  it('names the instance of a URL by its first host label', () => {
    expect(instanceNameOf('https://demo-firelink-default-rtdb.firebaseio.com')).toBe('demo-firelink-default-rtdb');
    expect(instanceNameOf('https://p-default-rtdb.europe-west1.firebasedatabase.app/')).toBe('p-default-rtdb');
  });
  it('puts a sibling instance in the same domain and location', () => {
    expect(instanceUrl('https://demo-firelink-default-rtdb.firebaseio.com', 'shard-2')).toBe('https://shard-2.firebaseio.com');
    expect(instanceUrl('https://p-default-rtdb.europe-west1.firebasedatabase.app', 'p-2')).toBe('https://p-2.europe-west1.firebasedatabase.app');
  });
  it('refuses bad instance names and URLs with the fix', () => {
    expect(() => instanceUrl('https://a.firebaseio.com', 'Bad_Name')).toThrow(/not a database instance name/);
    expect(() => instanceUrl('not a url', 'a')).toThrow(/not a URL; check the Firebase web config/);
    expect(() => instanceNameOf('http://localhost:9000')).toThrow(/no <instance>.<domain> host/);
  });
});

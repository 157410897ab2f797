import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from './settings.js';

const from = (values: Record<string, string>) => (key: string) => values[key];

describe('parseSettings', () => {
  it('has defaults for everything but the project id, frozen', () => {
    const s = parseSettings(from({ projectId: 'my-firelink-123' }));
    expect(s).toEqual({
      projectId: 'my-firelink-123',
      billingAccount: undefined,
      orgId: undefined,
      folderId: undefined,
      databaseRegion: 'us-central1',
      databaseShards: 0,
      webAppName: 'Firelink dashboard',
    });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('refuses a missing, malformed or demo project id, saying how to set it', () => {
    expect(() => parseSettings(from({}))).toThrow(SettingsError);
    expect(() => parseSettings(from({}))).toThrow(/pulumi config set firelink:projectId/);
    expect(() => parseSettings(from({ projectId: 'Bad_Id' }))).toThrow(/firelink:projectId: must be/);
    expect(() => parseSettings(from({ projectId: 'demo-firelink' }))).toThrow(/reserves for the emulators/);
  });

  it('validates region, shards, billing account and parent', () => {
    const base = { projectId: 'my-firelink-123' };
    expect(() => parseSettings(from({ ...base, databaseRegion: 'us-east1' }))).toThrow(/firelink:databaseRegion: must be one of us-central1, europe-west1, asia-southeast1/);
    expect(() => parseSettings(from({ ...base, databaseShards: '1.5' }))).toThrow(/firelink:databaseShards/);
    expect(() => parseSettings(from({ ...base, databaseShards: '21' }))).toThrow(/0\.\.20/);
    expect(() => parseSettings(from({ ...base, billingAccount: 'nope' }))).toThrow(/firelink:billingAccount/);
    expect(() => parseSettings(from({ ...base, orgId: '1' }))).toThrow(/set firelink:billingAccount too/);
    expect(() => parseSettings(from({ ...base, billingAccount: '012345-6789AB-CDEF01', orgId: '1', folderId: '2' }))).toThrow(/at most one/);
    expect(parseSettings(from({ ...base, databaseShards: '3', databaseRegion: 'europe-west1' }))).toMatchObject({ databaseShards: 3, databaseRegion: 'europe-west1' });
  });
});

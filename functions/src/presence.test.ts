import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@firelink/model';
import { presenceVerdict } from './presence.js';

describe('presenceVerdict', () => {
  const now = 1_000_000;
  it('marks offline after more than three heartbeat periods of silence', () => {
    const status = { online: true, lastSeen: now - 30_001, fw: '1.0.0' };
    expect(presenceVerdict(status, 10_000, now, 3)).toEqual({ offline: true, lastSeen: now - 30_001, heartbeatMs: 10_000, silentMs: 30_001 });
    expect(presenceVerdict({ ...status, lastSeen: now - 30_000 }, 10_000, now, 3)?.offline).toBe(false);
  });
  it('ignores devices already offline or without a status', () => {
    expect(presenceVerdict({ online: false, lastSeen: 0 }, 10_000, now, 3)).toBeNull();
    expect(presenceVerdict(null, 10_000, now, 3)).toBeNull();
  });
  it('uses the default heartbeat when the config has none', () => {
    expect(presenceVerdict({ online: true, lastSeen: now }, null, now, 3)?.heartbeatMs).toBe(DEFAULT_CONFIG.heartbeatMs);
  });
});

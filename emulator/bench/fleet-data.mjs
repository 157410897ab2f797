// Export-format data shared by the benchmarks: devices with owners, configs and a state, like a
// provisioned fleet, so the project's rules have what they read.
export function fleet(devices) {
  const out = { devices: {}, users: {} };
  for (let d = 0; d < devices; d++) {
    const id = `dev${d}`;
    out.devices[id] = {
      meta: { name: `device ${d}`, owner: `user${d % 100}`, createdAt: 1 },
      config: { mapping: { inMin: 0, inMax: 4095, outMin: 0, outMax: 180, invert: false }, sampleMs: 1000, heartbeatMs: 30000 },
      state: { angle: 0, ir: 0, readingId: 'r0', seq: 0, ts: 1 },
    };
    out.users[`user${d % 100}`] ??= { devices: {} };
    out.users[`user${d % 100}`].devices[id] = true;
  }
  return out;
}

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'device-sim',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The env guard first: loopback emulator hosts and the demo project before any Firebase import.
    setupFiles: ['@firelink/stack/env'],
    // The integration files each start an Auth emulator and a stack; one at a time keeps the
    // shared 2-core machine usable (unit files take milliseconds either way).
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});

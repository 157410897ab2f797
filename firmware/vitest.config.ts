import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'firmware',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    // Each file starts its own Auth emulator and stack: one at a time on the shared machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});

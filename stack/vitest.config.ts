import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'stack',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    // Each integration file starts whole stacks (firebase-tools included): one file at a time keeps
    // the shared machine usable.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'device-sim',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/support/env.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});

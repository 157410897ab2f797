import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmarks print figures; they assert only that the work really happened.
export default defineConfig({
  test: {
    name: 'web-bench',
    include: ['bench/**/*.bench.ts'],
    setupFiles: ['test/support/env.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});

import { defineConfig } from 'vitest/config';

// Tests of the root scripts (deploy). None reaches the network: the deploy tests stop before
// `firebase deploy` runs.
export default defineConfig({
  test: {
    name: 'scripts',
    include: ['**/*.test.mjs'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

// Unit tests only: the module against real emulators is tested in functions/test/provisioning.test.ts.
export default defineConfig({
  test: {
    name: 'provisioning',
    include: ['src/**/*.test.ts'],
  },
});

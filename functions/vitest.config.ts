import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'functions',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The env guard first: loopback emulator hosts and the demo project before any Firebase import.
    setupFiles: ['@firelink/stack/env'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

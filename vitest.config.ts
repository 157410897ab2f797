import { defineConfig } from 'vitest/config';

// One vitest run over every workspace; each workspace keeps its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['model', 'provisioning', 'emulator', 'functions', 'stack', 'device-sim', 'planner', 'gateway', 'firmware', 'web', 'infra', 'scripts'],
  },
});

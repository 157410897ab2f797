// One @firebase/rules-unit-testing environment per rules test file: our emulator (in this
// process) with the repository's database.rules.json, and `seed` written with the rules off
// before every test so each test starts from the same data.
import { readFileSync } from 'node:fs';
import { initializeTestEnvironment, type RulesTestContext, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { PROJECT_ID, rulesFile, startTestEmulator, type TestEmulator } from './emulator.js';

export interface RulesFixture {
  /** Valid inside tests and hooks (set up in `beforeAll`). */
  readonly env: RulesTestEnvironment;
  readonly target: TestEmulator;
  /** The database URL of another namespace (instance) of the same emulator. */
  namespaceUrl(namespace: string): string;
}

export function useRulesEnvironment(seed: (ctx: RulesTestContext, fixture: RulesFixture) => Promise<void>): RulesFixture {
  let env: RulesTestEnvironment | undefined;
  let target: TestEmulator | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the rules environment is used before beforeAll started it');
    return value;
  };
  const fixture: RulesFixture = {
    get env() {
      return started(env);
    },
    get target() {
      return started(target);
    },
    namespaceUrl: (namespace) => `http://${fixture.target.emulator.host}:${fixture.target.emulator.port}?ns=${namespace}`,
  };
  beforeAll(async () => {
    target = await startTestEmulator();
    env = await initializeTestEnvironment({
      projectId: PROJECT_ID,
      database: { host: target.emulator.host, port: target.emulator.port, rules: readFileSync(rulesFile, 'utf8') },
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await target?.stop();
  });
  beforeEach(async () => {
    await fixture.env.withSecurityRulesDisabled((ctx) => seed(ctx, fixture));
  });
  return fixture;
}

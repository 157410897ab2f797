// vitest `globalSetup`: ONE local system for every integration file of this package (starting the
// Auth emulator takes most of a minute on a loaded machine). The stack runs as child processes;
// test files reach it through the hosts provided here (`inject('stack')`), see test/stack.ts.
import '@firelink/stack/env';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '@firelink/stack';

export interface ProvidedStack {
  projectId: string;
  namespace: string;
  database: string;
  auth: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: ProvidedStack;
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let stack: Stack | undefined;

export async function setup(project: TestProject): Promise<void> {
  const needed = ['model/dist/index.js', 'emulator/dist/index.js', 'functions/lib/index.js', 'stack/dist/index.js', 'device-sim/dist/cli.js'];
  const missing = needed.filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) {
    throw new Error(`gateway tests need the compiled workspaces; missing ${missing.join(', ')}: run npm run build -w model -w emulator -w functions -w stack -w device-sim`);
  }
  stack = await startStack({ ports: 'free', processes: 'child', functions: true });
  project.provide('stack', { projectId: stack.projectId, namespace: stack.namespace, database: stack.hosts.database, auth: stack.hosts.auth });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}

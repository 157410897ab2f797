// @firelink/provisioning: the typed provisioning module (the CLI is src/cli.ts).
export * from './errors.js';
export * from './move.js';
export * from './password.js';
export * from './provision.js';
export * from './provisioner.js';
export * from './secrets.js';
export * from './shards.js';
export * from './target.js';

#!/usr/bin/env node
/**
 * `npm run provision -- --device <id> --owner <uid> [--zone z] [--name n] [--rotate] [--json]
 *  [--project p] [--database-url u]`
 * Prints the device's credentials once: on stdout (JSON with --json); everything else on stderr.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';
import { ProvisionError } from './errors.js';
import { provisionDevice, type DeviceCredentials } from './provision.js';
import { resolveTarget } from './target.js';

const USAGE = `usage: npm run provision -- --device <id> --owner <uid> [options]

  --device <id>        device id (2..63 of a-z 0-9 -)
  --owner <uid>        Auth uid of the owner
  --zone <zoneId>      zone the device belongs to
  --name <name>        display name (default: the device id)
  --rotate             issue a new password for an existing device
  --json               print the credentials as one JSON object
  --project <id>       provision in this real project (otherwise the emulators and a demo-* project are required)
  --database-url <u>   database URL (default https://<project>-default-rtdb.firebaseio.com)
  -h, --help           this text`;

function human(c: DeviceCredentials): string {
  return [
    `Device ${c.deviceId} ${c.rotated ? 'has a new password' : 'provisioned'} (owner ${c.owner}${c.zone ? `, zone ${c.zone}` : ''}).`,
    `  email:    ${c.email}`,
    `  password: ${c.password}`,
    'Store the password now: it is kept nowhere and cannot be shown again (--rotate issues a new one).',
  ].join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        device: { type: 'string' },
        owner: { type: 'string' },
        zone: { type: 'string' },
        name: { type: 'string' },
        rotate: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        project: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`provision: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.device === undefined || values.owner === undefined) {
    process.stderr.write(`provision: --device and --owner are required\n${USAGE}\n`);
    return 2;
  }
  let app;
  try {
    const target = resolveTarget(env, values.project, values['database-url']);
    app = initializeApp({ projectId: target.projectId, databaseURL: target.databaseURL }, `provision-${Date.now()}`);
    const credentials = await provisionDevice(
      { auth: getAuth(app), db: getDatabase(app) },
      {
        deviceId: values.device,
        ownerUid: values.owner,
        rotate: values.rotate,
        ...(values.zone !== undefined ? { zone: values.zone } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
      },
    );
    process.stdout.write(values.json ? `${JSON.stringify(credentials)}\n` : `${human(credentials)}\n`);
    return 0;
  } catch (err) {
    const code = err instanceof ProvisionError ? ` (${err.code})` : '';
    process.stderr.write(`provision: ${err instanceof Error ? err.message : String(err)}${code}\n`);
    return 1;
  } finally {
    if (app) await deleteApp(app);
  }
}

// Run when executed, not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}

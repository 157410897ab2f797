// The Pulumi program under Pulumi's runtime mocks (pulumi.runtime.setMocks): every resource the
// program registers is recorded with its inputs; no engine, no CLI, no cloud. The database names
// are checked against what the rest of the repository expects: firebase.json (rules deploy to the
// default instance, Hosting to the default site), device-sim's default database URL and emulator
// namespace, and the functions' FIRELINK_DATABASE_URLS validation.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS, databaseTarget, type ConnectionConfig } from '../../device-sim/src/cli/config.js';
import { loadConfig as loadFunctionsConfig } from '../../functions/src/config.js';
import { createFirelink, FUNCTIONS_ROLES, SERVICES } from './firelink.js';
import { parseSettings, type Settings } from './settings.js';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROJECT = 'my-firelink-123';
const PROJECT_NUMBER = '123456789012';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
let registered: Registered[] = [];

beforeEach(async () => {
  registered = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const computed: Record<string, unknown> = {};
        if (args.type === 'gcp:firebase/webApp:WebApp') computed['appId'] = `1:${PROJECT_NUMBER}:web:mock`;
        if (args.type === 'gcp:organizations/project:Project') computed['number'] = PROJECT_NUMBER;
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
      },
      call(args) {
        if (args.token === 'gcp:organizations/getProject:getProject') return { projectId: args.inputs['projectId'], number: PROJECT_NUMBER };
        if (args.token === 'gcp:firebase/getWebAppConfig:getWebAppConfig') return { apiKey: 'mock-api-key', authDomain: `${PROJECT}.firebaseapp.com` };
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    'firelink',
    'test',
    false,
  );
});

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
/** The program, with every resource registered with the mocks before the test looks. */
async function program(s: Settings): Promise<ReturnType<typeof createFirelink>> {
  const out = createFirelink(s);
  await Promise.all(out.resources.map((r) => valueOf(r.urn)));
  expect(registered).toHaveLength(out.resources.length);
  return out;
}
const ofType = (type: string): Registered[] => registered.filter((r) => r.type === type);
const settings = (extra: Record<string, string> = {}): Settings => parseSettings((key) => ({ projectId: PROJECT, ...extra })[key]);

describe('createFirelink', () => {
  it('registers the project services, Firebase, the default database, Email/Password auth, web app, Hosting site and Functions roles', async () => {
    const out = await program(settings());

    expect(ofType('gcp:projects/service:Service').map((r) => r.inputs['service']).sort()).toEqual([...SERVICES].sort());
    for (const s of ofType('gcp:projects/service:Service')) expect(s.inputs).toMatchObject({ project: PROJECT, disableOnDestroy: false });
    expect(ofType('gcp:organizations/project:Project')).toEqual([]); // an existing project is adopted, not created
    expect(ofType('gcp:firebase/project:Project')).toEqual([expect.objectContaining({ inputs: expect.objectContaining({ project: PROJECT }) })]);

    expect(ofType('gcp:firebase/databaseInstance:DatabaseInstance').map((r) => r.inputs)).toEqual([
      expect.objectContaining({ project: PROJECT, instanceId: `${PROJECT}-default-rtdb`, region: 'us-central1', type: 'DEFAULT_DATABASE' }),
    ]);

    const [auth] = ofType('gcp:identityplatform/config:Config');
    expect(auth?.inputs).toMatchObject({ project: PROJECT, signIn: { email: { enabled: true, passwordRequired: true } } });

    const [web] = ofType('gcp:firebase/webApp:WebApp');
    expect(web?.inputs).toMatchObject({ project: PROJECT, displayName: 'Firelink dashboard' });
    const [site] = ofType('gcp:firebase/hostingSite:HostingSite');
    expect(site?.inputs).toMatchObject({ project: PROJECT, siteId: PROJECT, appId: `1:${PROJECT_NUMBER}:web:mock` });

    const members = ofType('gcp:projects/iAMMember:IAMMember');
    expect(members.map((m) => m.inputs['role']).sort()).toEqual([...FUNCTIONS_ROLES].sort());
    for (const m of members) expect(m.inputs['member']).toBe(`serviceAccount:${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`);

    expect(await valueOf(out.webConfig)).toEqual({
      apiKey: 'mock-api-key',
      authDomain: `${PROJECT}.firebaseapp.com`,
      databaseURL: `https://${PROJECT}-default-rtdb.firebaseio.com`,
      projectId: PROJECT,
      appId: `1:${PROJECT_NUMBER}:web:mock`,
    });
    expect(await valueOf(out.hostingUrls)).toEqual([`https://${PROJECT}.web.app`, `https://${PROJECT}.firebaseapp.com`]);
    expect(await valueOf(out.functionsDatabaseUrlsEnv)).toBe('');
  });

  it('creates the project on Blaze when given a billing account', async () => {
    const out = await program(settings({ billingAccount: '012345-6789AB-CDEF01', folderId: '42' }));
    expect(await valueOf(out.functionsServiceAccount)).toBe(`${PROJECT_NUMBER}-compute@developer.gserviceaccount.com`);
    expect(ofType('gcp:organizations/project:Project').map((r) => r.inputs)).toEqual([
      expect.objectContaining({ projectId: PROJECT, billingAccount: '012345-6789AB-CDEF01', folderId: '42', deletionPolicy: 'PREVENT' }),
    ]);
  });

  it('adds one USER_DATABASE instance per shard and the FIRELINK_DATABASE_URLS line the functions accept', async () => {
    const out = await program(settings({ databaseShards: '2', databaseRegion: 'europe-west1' }));
    const urls = await valueOf(pulumi.all(out.databaseUrls));
    expect(ofType('gcp:firebase/databaseInstance:DatabaseInstance').map((r) => [r.inputs['instanceId'], r.inputs['type'], r.inputs['region']])).toEqual([
      [`${PROJECT}-default-rtdb`, 'DEFAULT_DATABASE', 'europe-west1'],
      [`${PROJECT}-shard-1`, 'USER_DATABASE', 'europe-west1'],
      [`${PROJECT}-shard-2`, 'USER_DATABASE', 'europe-west1'],
    ]);
    expect(urls).toEqual([
      `https://${PROJECT}-default-rtdb.europe-west1.firebasedatabase.app`,
      `https://${PROJECT}-shard-1.europe-west1.firebasedatabase.app`,
      `https://${PROJECT}-shard-2.europe-west1.firebasedatabase.app`,
    ]);
    const line = await valueOf(out.functionsDatabaseUrlsEnv);
    const [name, value] = line.split('=') as [string, string];
    expect(loadFunctionsConfig({ [name]: value }).databaseUrls).toEqual(urls);
  });
});

describe('names the rest of the repository expects', () => {
  it('firebase.json deploys rules to the default instance and the dashboard to the default site, both created here', async () => {
    const firebaseJson = JSON.parse(readFileSync(join(repoDir, 'firebase.json'), 'utf8')) as Record<string, any>;
    const out = await program(settings());
    const ids = await valueOf(pulumi.all(out.databaseInstanceIds));
    // An object without `instance` targets the project's default instance; an array names each.
    const targets = [firebaseJson['database']].flat().map((d: { instance?: string }) => d.instance ?? `${PROJECT}-default-rtdb`);
    for (const target of targets) expect(ids).toContain(target);
    const hostingSites = [firebaseJson['hosting']].flat().map((h: { site?: string }) => h.site ?? PROJECT);
    expect(ofType('gcp:firebase/hostingSite:HostingSite').map((r) => r.inputs['siteId'])).toEqual(hostingSites);
  });

  it('device-sim reaches the default instance at the URL created here, and the emulator namespace has its name', async () => {
    const out = await program(settings());
    const [url] = await valueOf(pulumi.all(out.databaseUrls));
    const production = databaseTarget({ ...CONNECTION_DEFAULTS, project: PROJECT, apiKey: 'k' } as ConnectionConfig);
    expect(production.origin).toBe(url);
    const emulated = databaseTarget({ ...CONNECTION_DEFAULTS, project: PROJECT } as ConnectionConfig);
    expect(emulated.namespace).toBe((await valueOf(pulumi.all(out.databaseInstanceIds)))[0]);
  });
});

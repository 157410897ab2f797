/**
 * The Pulumi program's entry point (Pulumi.yaml `main`): reads the stack config, creates the
 * resources, exports what `firebase deploy`, functions/.env and the dashboard need. Run with the
 * Pulumi CLI and Google credentials (docs/deploy.md, step 2); the tests never run this file.
 */
import * as pulumi from '@pulumi/pulumi';
import { createFirelink } from './firelink.js';
import { parseSettings } from './settings.js';

const config = new pulumi.Config('firelink');
const out = createFirelink(parseSettings((key) => config.get(key)));

export const projectId = out.projectId;
export const databaseInstanceIds = out.databaseInstanceIds;
export const databaseUrls = out.databaseUrls;
export const functionsDatabaseUrlsEnv = out.functionsDatabaseUrlsEnv;
export const functionsServiceAccount = out.functionsServiceAccount;
export const webAppId = out.webAppId;
export const webConfig = out.webConfig;
export const hostingUrls = out.hostingUrls;

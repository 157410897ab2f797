// The database the rules suites run against (ours, started in-process on a free port, or the
// official emulator), plus REST helpers that speak to it the way curl or the firmware would.
import './rules-env.js';
import { setLogLevel } from 'firebase/app';
import { startTarget } from './harness.js';

// Denials are the point of these suites; the SDK's per-denial warnings would bury the report.
setLogLevel('error');

export interface RulesTarget {
  readonly name: 'ours' | 'official';
  readonly host: string;
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** The shared conformance target (harness.ts), started under the rules suites' project id. */
export async function startRulesTarget(): Promise<RulesTarget> {
  const target = await startTarget({ host: '127.0.0.1', projectId: 'demo-rules' });
  const [host = '127.0.0.1', port = '9000'] = target.hostPort.split(':');
  return { name: target.kind, host, port: Number(port), url: `http://${target.hostPort}`, stop: () => target.stop() };
}

export interface RestReply {
  status: number;
  body: unknown;
}

export interface RestRequest {
  ns: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  path: string;
  /** `owner`, an ID token, or undefined for an unauthenticated request. */
  auth?: string;
  body?: unknown;
  params?: URLSearchParams;
}

export async function rest(target: RulesTarget, request: RestRequest): Promise<RestReply> {
  const segments = request.path.split('/').filter((s) => s.length > 0).map(encodeURIComponent);
  const url = new URL(`${target.url}/${segments.join('/')}.json`);
  for (const [key, value] of request.params ?? []) url.searchParams.append(key, value);
  url.searchParams.set('ns', request.ns);
  if (request.auth !== undefined) url.searchParams.set('auth', request.auth);
  const init: RequestInit = { method: request.method };
  if (request.body !== undefined) init.body = JSON.stringify(request.body);
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Non-JSON bodies (e.g. plain-text errors) are returned as text.
  }
  return { status: response.status, body };
}

/** Replace a namespace's data as the owner (export format). */
export async function seed(target: RulesTarget, ns: string, data: unknown): Promise<void> {
  const reply = await rest(target, { ns, method: 'PUT', path: '/', auth: 'owner', body: data ?? null });
  if (reply.status !== 200) throw new Error(`seeding ${ns} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/** Upload rules as the owner, as firebase-tools and rules-unit-testing do. */
export async function putRules(target: RulesTarget, ns: string, source: string): Promise<RestReply> {
  const response = await fetch(`${target.url}/.settings/rules.json?ns=${encodeURIComponent(ns)}`, {
    method: 'PUT',
    headers: { Authorization: 'Bearer owner' },
    body: source,
  });
  const text = await response.text();
  return { status: response.status, body: text };
}

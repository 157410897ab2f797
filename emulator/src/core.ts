// Shared state of one running emulator: namespaces (created on first use), the rules given
// with --rules, token policy, and the commit hook the functions host subscribes to.
import type { CommitSource, CommittedWrite, Ruleset } from './contracts.js';
import type { TokenPolicy } from './auth.js';
import type { EmulatorConfig } from './config.js';
import type { Logs } from './logs.js';
import { DEFAULT_RULES_SOURCE, Namespace } from './namespace.js';
import { PushIdGenerator } from './push-id.js';
import { compileRules } from './rules/index.js';

export class EmulatorCore implements CommitSource {
  readonly namespaces = new Map<string, Namespace>();
  readonly pushIds = new PushIdGenerator();
  readonly tokenPolicy: TokenPolicy;
  private readonly commitListeners = new Set<(write: CommittedWrite) => void>();
  /** Rules from --rules: given to every namespace, including ones created later. */
  private fileRules: { source: string; ruleset: Ruleset } | null = null;
  private readonly warnedIndexes = new Set<string>();
  /** Open realtime sessions by id, each with a way to end it (for the `ls` parameter). */
  private readonly liveSessions = new Map<string, () => void>();

  constructor(
    readonly config: EmulatorConfig,
    readonly logs: Logs,
  ) {
    this.tokenPolicy = {
      strictTokens: config.strictTokens,
      tokenMaxAgeSeconds: config.tokenMaxAgeSeconds,
      projectId: config.projectId,
      onRefused: (reason) => logs.tokenRefused({ reason }),
    };
  }

  namespace(name: string): Namespace {
    let ns = this.namespaces.get(name);
    if (ns === undefined) {
      ns = new Namespace(
        name,
        (write) => this.emitCommit(write),
        (error) => this.logs.connectionError({ transport: 'push', ns: name, error: error.message }),
      );
      if (this.fileRules !== null) ns.setRules(this.fileRules.source, this.fileRules.ruleset);
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  /** Registers an open session; the returned function unregisters it (call it on close). */
  registerSession(id: string, end: () => void): () => void {
    this.liveSessions.set(id, end);
    return () => this.liveSessions.delete(id);
  }

  /**
   * A new connection named this earlier session (`ls`, core/realtime/Connection.ts): end it now,
   * running its onDisconnect operations, as production does, instead of when its socket times out.
   */
  endSession(id: string | null): void {
    if (id === null || id === '') return;
    const end = this.liveSessions.get(id);
    if (end === undefined) return;
    this.liveSessions.delete(id);
    end();
  }

  /** Set in durable mode: acknowledgements wait for the journal. */
  durability: { whenDurable(fn: () => void): void } | null = null;

  /** Runs an acknowledgement once the writes before it are durable (at once in memory mode). */
  whenDurable(fn: () => void): void {
    if (this.durability === null) fn();
    else this.durability.whenDurable(fn);
  }

  onCommit(listener: (write: CommittedWrite) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private emitCommit(write: CommittedWrite): void {
    for (const listener of this.commitListeners) {
      try {
        listener(write);
      } catch (e) {
        this.logs.functionsError(`commit listener threw: ${(e as Error).message}`);
      }
    }
  }

  /** Compiles and installs rules for one namespace; throws (and keeps the old rules) when invalid. */
  setNamespaceRules(name: string, source: string): void {
    const ruleset = compileRules(source);
    this.namespace(name).setRules(source, ruleset);
    this.logs.rulesLoaded({ ns: name, source: 'rest' });
  }

  /** Installs --rules in every namespace; throws (keeping previous rules) when invalid. */
  setFileRules(source: string, file: string): void {
    const ruleset = compileRules(source);
    this.fileRules = { source, ruleset };
    for (const ns of this.namespaces.values()) ns.setRules(source, ruleset);
    this.logs.rulesLoaded({ ns: '*', source: file });
  }

  resetRulesSource(): string {
    return this.fileRules?.source ?? DEFAULT_RULES_SOURCE;
  }

  /** Logs once per location and index that a child-ordered query lacks `.indexOn` (never changes results). */
  warnIndex(ns: Namespace, path: readonly string[], index: string): void {
    if (ns.indexOn(path).includes(index)) return;
    const key = `${ns.name}|${path.join('/')}|${index}`;
    if (this.warnedIndexes.has(key)) return;
    this.warnedIndexes.add(key);
    this.logs.indexWarning({ ns: ns.name, path: '/' + path.join('/'), index });
  }
}

/** Namespace of a request: `ns` parameter, else the first label of a `<ns>.<domain>` host (spec §1.1). */
export function namespaceOf(params: URLSearchParams, hostHeader: string | undefined): string {
  const ns = params.get('ns');
  if (ns !== null && ns.length > 0) return ns;
  const host = (hostHeader ?? '').replace(/:\d+$/, '');
  const labels = host.split('.');
  if (labels.length >= 3 && !/^[\d.]+$/.test(host) && labels[0]) return labels[0];
  return 'fake-server';
}

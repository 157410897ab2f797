// Data that outlives the process: `--import` at start, `--export` at stop, and the durable
// `--data-dir` journal (durable/data-dir.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { ADMIN } from '../auth.js';
import type { EmulatorConfig } from '../config.js';
import type { EmulatorCore } from '../core.js';
import { DataDir } from '../durable/data-dir.js';
import { StartupError } from '../startup-error.js';
import { exportJson } from '../tree/node.js';

/** Replaces a namespace's data (export format) as an owner write that fires no triggers. */
export function importInto(core: EmulatorCore, data: unknown, namespace: string): void {
  const ns = core.namespace(namespace);
  ns.write(ADMIN.identity, ns.db.prepareSet([], data, { nowMs: Date.now() }), { disableTriggers: true });
}

export interface Persistence {
  readonly dataDir: DataDir | null;
  /** Writes --export (if any) and closes the journal (compacting it). */
  close(): Promise<void>;
}

export async function openPersistence(core: EmulatorCore, config: EmulatorConfig): Promise<Persistence> {
  // The data directory first: an --import then lands on top of it, journaled like any write.
  const dataDir = config.dataDir === null ? null : await DataDir.open(config.dataDir, core, core.logs, { compactBytes: config.journalCompactBytes, fsync: config.journalFsync });
  if (dataDir !== null) core.durability = dataDir;
  if (config.importFile !== null) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(config.importFile, 'utf8')) as unknown;
    } catch (e) {
      await dataDir?.close();
      throw new StartupError('import_file', config.importFile, `cannot import: ${(e as Error).message}`, 'pass export-format JSON, as GET /.json?format=export returns');
    }
    importInto(core, data, config.namespace);
    core.logs.importDone({ ns: config.namespace, file: config.importFile });
  }
  return {
    dataDir,
    async close() {
      if (config.exportFile !== null) {
        writeFileSync(config.exportFile, JSON.stringify(exportJson(core.namespace(config.namespace).db.read([])), null, 2));
        core.logs.exportDone({ file: config.exportFile, namespaces: 1 });
      }
      if (dataDir !== null) {
        await dataDir.close();
        core.durability = null;
      }
    },
  };
}

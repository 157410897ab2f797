// `--rules FILE`: loaded at start (a missing or bad file stops the start with its name), then
// reloaded on change through the functions host's folder watcher (editors that save by rename
// replace the file's inode, so the folder is watched, not the file).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EmulatorCore } from '../core.js';
import { watchFolder, type FolderWatch } from '../functions/watch.js';
import { StartupError } from '../startup-error.js';

const RELOAD_DEBOUNCE_MS = 50;

export function loadRulesFile(core: EmulatorCore, file: string): FolderWatch {
  let lastSource: string;
  try {
    lastSource = readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StartupError('rules_file', file, missing ? 'the rules file does not exist' : `cannot read the rules file: ${(e as Error).message}`, 'pass an existing database.rules.json to --rules');
  }
  try {
    core.setFileRules(lastSource, file);
  } catch (e) {
    throw new StartupError('rules_file', file, `invalid rules: ${(e as Error).message}`, 'fix the rules document; the position above points into the file');
  }
  const absolute = resolve(file);
  return watchFolder(
    dirname(absolute),
    RELOAD_DEBOUNCE_MS,
    () => {
      let source: string;
      try {
        source = readFileSync(absolute, 'utf8');
      } catch {
        return; // mid-rename or deleted: keep the previous rules until the file is back
      }
      if (source === lastSource) return;
      try {
        core.setFileRules(source, file);
        lastSource = source;
      } catch (e) {
        core.logs.rulesRejected({ source: file, error: (e as Error).message });
      }
    },
    { recursive: false },
  );
}


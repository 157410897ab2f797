// Watches the functions entry folder (e.g. functions/lib) for rebuilds. A clean build may
// delete and recreate the folder, which silently ends an fs.watch on it, so the parent is
// watched too and the folder watch is re-attached when the folder reappears.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FolderWatch {
  close(): void;
}

/** `recursive: false` watches only the folder's own entries (a rules file beside the whole repository). */
export function watchFolder(dir: string, debounceMs: number, onChange: (file: string) => void, options: { recursive?: boolean } = {}): FolderWatch {
  const recursive = options.recursive ?? true;
  let inner: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const changed = (file: string): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => onChange(file), debounceMs);
  };

  /** Inode of the folder being watched: parent events that leave it unchanged are noise. */
  let attachedIno: number | null = null;
  const currentIno = (): number | null => {
    try {
      return statSync(dir).ino;
    } catch {
      return null;
    }
  };

  const attach = (): void => {
    inner?.close();
    inner = null;
    attachedIno = currentIno();
    if (closed || attachedIno === null) return;
    try {
      inner = watch(dir, { recursive }, (_event, file) => changed(file ?? basename(dir)));
      inner.on('error', () => attach());
      inner.unref();
    } catch {
      inner = null; // removed between the check and the watch; the parent watch will see it come back
    }
  };

  const name = basename(dir);
  let outer: FSWatcher | null = null;
  try {
    outer = watch(dirname(dir), (_event, file) => {
      if (file !== name || currentIno() === attachedIno) return;
      attach();
      changed(name);
    });
    outer.on('error', () => outer?.close());
    outer.unref();
  } catch {
    outer = null; // the parent cannot be watched: folder-level watching still works
  }
  attach();

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      inner?.close();
      outer?.close();
    },
  };
}

// The toolkit is imported alone by the emulator and the browser: nothing it imports may pull zod.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1]!);
}

describe('@firelink/model/rtdb', () => {
  it('imports nothing but its own files, errors.ts and limits.ts (no zod)', () => {
    const seen = new Set<string>();
    const external: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) external.push(spec);
        else visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(here, 'index.ts'));
    expect(external).toEqual([]);
    expect([...seen].map((f) => f.slice(dirname(here).length + 1)).sort()).toEqual(
      ['errors.ts', 'limits.ts', 'rtdb/index.ts', 'rtdb/keys.ts', 'rtdb/order.ts', 'rtdb/paths.ts', 'rtdb/push-id.ts', 'rtdb/tree.ts'],
    );
  });
});

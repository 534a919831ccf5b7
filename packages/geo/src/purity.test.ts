import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.test(-util)?\.ts$/.test(f) ? [p] : [];
  });
}

describe('@tiandi/geo stays pure (it runs in the browser too)', () => {
  it('imports no Node built-ins, no native modules and no other package of ours', () => {
    const offenders: string[] = [];
    for (const file of sources(here)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (/^node:|^(fs|path|os|child_process|worker_threads|crypto)$|better-sqlite3|^@tiandi\//.test(spec)) offenders.push(`${file.slice(here.length)}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every module specifier reachable from src/index.ts through relative imports. */
function reachableImports(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const src = fs.readFileSync(file, 'utf8');
    // Type-only imports and re-exports are erased from the bundle, so they reach nothing at run time.
    for (const m of src.matchAll(/(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec) + '.ts');
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('browser safety of @tiandi/planner', () => {
  it('the main entry reaches no Node built-in and only browser-capable packages', () => {
    const { files, bare } = reachableImports(path.join(here, 'index.ts'));
    expect(files.size).toBeGreaterThan(20);
    const builtins = new Set([...builtinModules, ...builtinModules.map((b) => `node:${b}`)]);
    expect([...bare].filter((s) => builtins.has(s) || s.startsWith('node:'))).toEqual([]);
    expect([...bare].sort()).toEqual(['@placemarkio/tokml', '@tiandi/api', '@tiandi/geo', 'fflate', 'gcoord', 'gpx-builder', 'saxes', 'tiny-osmpbf']); // the last three read OSM extracts, in the browser too; @tiandi/api is browser-safe by the import rules (plan.json's schema)
  });
});

// docs/life-of-a-tile.md follows real code: every function, class, constant and file it names in backticks must
// still exist, so a rename elsewhere fails here instead of leaving the guide pointing at nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSourceFiles, readWorkspaces } from '../architecture/import-graph';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The code names a Markdown text cites in backticks: identifiers (camelCase, PascalCase, CONSTANTS, `A.b`) and files. */
function citedNames(markdown: string): { identifiers: string[]; files: string[] } {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/\n/g, ' ');
  const cited = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const identifiers = cited
    .flatMap((c) => (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(c) ? c.split('.') : []))
    .filter((w) => /[a-z][A-Z]|^[A-Z][a-z]+$|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(w));
  const files = cited.filter((c) => /^[\w./-]+\.(ts|mjs|c|sh)$/.test(c));
  return { identifiers: [...new Set(identifiers)].sort(), files: [...new Set(files)].sort() };
}

describe('docs/life-of-a-tile.md names only code that exists', () => {
  const doc = readFileSync(path.join(root, 'docs/life-of-a-tile.md'), 'utf8');
  const workspaces = readWorkspaces(root);
  const sources = workspaces.flatMap((ws) => listSourceFiles(root, ws.dir));
  const code = sources
    .filter((f) => !/\.test\.ts$/.test(f))
    .map((f) => readFileSync(path.join(root, f), 'utf8'))
    .join('\n');
  const words = new Set(code.match(/[A-Za-z_]\w*/g));
  const { identifiers, files } = citedNames(doc);

  it('every cited function, class and constant is in the source', () => {
    expect(identifiers.length).toBeGreaterThan(40);
    expect(
      identifiers.filter((id) => !words.has(id)),
      'named in the guide but found in no source file',
    ).toEqual([]);
  });

  it('every cited file exists', () => {
    const all = [...sources, ...listSourceFiles(root, 'test'), ...listSourceFiles(root, 'scripts')];
    const exists = (f: string) =>
      [root, ...workspaces.map((ws) => path.join(root, ws.dir))].some((dir) => existsSync(path.join(dir, f))) || all.some((s) => s.endsWith(`/${f}`));
    expect(
      files.filter((f) => !exists(f)),
      'files the guide names that do not exist',
    ).toEqual([]);
  });

  it('reads names the way the guide writes them', () => {
    expect(citedNames('`planRoutes` → `solveVrp`, `Workspace.write`, `LIMITS`, `MEMORY_BUDGET_BYTES`, `read/reduced-level.ts`, `score_max`, `--crs`')).toEqual({
      identifiers: ['MEMORY_BUDGET_BYTES', 'Workspace', 'planRoutes', 'solveVrp'],
      files: ['read/reduced-level.ts'],
    });
  });
});

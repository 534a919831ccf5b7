// Enforces docs/architecture.md's import rules over every workspace (found from the root package.json, so a new
// package or app is covered the day it is added), tests and benches included.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dependencyGraphText, listSourceFiles, parseImports, readWorkspaces, resolveRelative, type Workspace } from './import-graph';
import { checkBrowserSafe, checkDeclaredDependencies, checkDirection, checkPublicEntry, findCycles, formatViolation, type RepoImports } from './import-rules';
import { generatedBlock } from '../../scripts/generated-block';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function readRepo(): RepoImports {
  const workspaces = readWorkspaces(root);
  const files = [...workspaces.flatMap((ws) => listSourceFiles(root, ws.dir)), ...listSourceFiles(root, 'test'), ...listSourceFiles(root, 'scripts')];
  const imports = files.flatMap((file) => parseImports(file, readFileSync(path.join(root, file), 'utf8')));
  return { workspaces, imports, resolve: (from, spec) => resolveRelative(root, from, spec) };
}

const repo = readRepo();

describe('import rules (docs/architecture.md) hold over the whole repository', () => {
  it('finds every workspace and reads imports from each', () => {
    const names = repo.workspaces.map((ws) => ws.name);
    expect(names).toEqual(expect.arrayContaining(['@tiandi/geo', '@tiandi/tiles', '@tiandi/store', '@tiandi/cli', '@tiandi/server', '@tiandi/web']));
    for (const ws of repo.workspaces)
      expect(
        repo.imports.some((ref) => ref.file.startsWith(`${ws.dir}/`)),
        ws.dir,
      ).toBe(true);
  });

  it.each([
    ['public-entry', checkPublicEntry],
    ['declared-dependency', checkDeclaredDependencies],
    ['direction', checkDirection],
    ['browser-safe', checkBrowserSafe],
  ] as const)('rule %s', (_rule, check) => {
    expect(check(repo).map(formatViolation)).toEqual([]);
  });

  it('rule acyclic: the declared workspace dependencies form no cycle', () => {
    expect(findCycles(repo.workspaces).map((c) => c.join(' → '))).toEqual([]);
  });

  it('docs/architecture.md shows the dependency graph the package.json files declare', () => {
    const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const shown = generatedBlock(doc, 'dependency graph');
    expect(shown, 'docs/architecture.md is out of step with the package.json files: run `npm run docs:generate`').toBe(
      `\`\`\`\n${dependencyGraphText(repo.workspaces)}\n\`\`\``,
    );
  });
});

// Each rule fails on the mistake it is there for (a rule that cannot fail guards nothing).
describe('each import rule catches its mistake', () => {
  const ws = (name: string, dir: string, dependencies: string[] = [], exports: Record<string, string> = { '.': `${dir}/src/index.ts` }): Workspace => ({
    name,
    dir,
    kind: dir.startsWith('apps/') ? 'app' : 'package',
    dependencies,
    devDependencies: [],
    exports,
  });
  const workspaces = [
    ws('@tiandi/geo', 'packages/geo'),
    ws('@tiandi/tiles', 'packages/tiles', ['@tiandi/geo'], { '.': 'packages/tiles/src/index.ts', './node': 'packages/tiles/src/node.ts' }),
    ws('@tiandi/server', 'apps/server', ['@tiandi/tiles']),
    ws('@tiandi/web', 'apps/web', ['@tiandi/geo']),
  ];
  const files: Record<string, string> = {
    'packages/tiles/src/node.ts': "import sharp from 'sharp';",
    'packages/tiles/src/index.ts': 'export const x = 1;',
    'packages/geo/src/index.ts': 'export const y = 1;',
  };
  const repoWith = (file: string, text: string): RepoImports => {
    const all = { ...files, [file]: text };
    return {
      workspaces,
      imports: Object.entries(all).flatMap(([f, t]) => parseImports(f, t)),
      resolve: (from, spec) => {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
        return [target, `${target}.ts`].find((f) => f in all) ?? `${target}.ts`;
      },
    };
  };

  it('public-entry: a path into another workspace, or a subpath it does not export', () => {
    const reachIn = checkPublicEntry(repoWith('apps/server/src/a.ts', "import { t } from '../../../packages/tiles/src/read/open';"));
    expect(reachIn.map((v) => v.rule)).toEqual(['public-entry']);
    expect(reachIn[0].why).toContain("@tiandi/tiles's internals (packages/tiles/src/read/open.ts)");
    const unexported = checkPublicEntry(repoWith('apps/server/src/a.ts', "import { t } from '@tiandi/tiles/read';"));
    expect(unexported[0].why).toBe("@tiandi/tiles does not export './read' (its exports: ., ./node)");
    expect(checkPublicEntry(repoWith('apps/server/src/a.test.ts', "import { f } from '../../../packages/tiles/src/testing/make';"))).toEqual([]);
  });

  it('declared-dependency: a workspace its package.json does not name', () => {
    const v = checkDeclaredDependencies(repoWith('apps/web/src/a.ts', "import type { T } from '@tiandi/tiles';"));
    expect(v.map(formatViolation)).toEqual([
      "apps/web/src/a.ts:1 imports '@tiandi/tiles' — rule declared-dependency: @tiandi/tiles is not in apps/web/package.json dependencies",
    ]);
  });

  it('direction: a package importing an app, an app importing an app, the bottom package importing a non-leaf', () => {
    expect(checkDirection(repoWith('packages/tiles/src/a.test.ts', "import { s } from '@tiandi/server';"))[0].why).toContain('never imports an app');
    expect(checkDirection(repoWith('apps/web/src/a.ts', "const s = await import('@tiandi/server');"))[0].why).toContain(
      '@tiandi/web → @tiandi/server is not one',
    );
    expect(checkDirection(repoWith('apps/web/bench/a.bench.ts', "import { s } from '@tiandi/server';"))).toEqual([]);
    expect(checkDirection(repoWith('packages/geo/src/a.ts', "export * from '@tiandi/tiles';"))[0].why).toContain('bottom layer');
  });

  it('acyclic: two workspaces that declare each other', () => {
    const cyclic = [ws('@tiandi/a', 'packages/a', ['@tiandi/b']), ws('@tiandi/b', 'packages/b', ['@tiandi/a'])];
    expect(findCycles(cyclic)).toEqual([['@tiandi/a', '@tiandi/b', '@tiandi/a']]);
  });

  it('browser-safe: a Node-only module reached through another workspace, but not through a type-only import', () => {
    const v = checkBrowserSafe(repoWith('apps/web/src/a.ts', "import { x } from './b';"));
    expect(v).toEqual([]);
    const reached = checkBrowserSafe(repoWith('apps/web/src/a.ts', "import { n } from '@tiandi/tiles/node';"));
    expect(reached.map(formatViolation)).toEqual([
      "packages/tiles/src/node.ts:1 imports 'sharp' — rule browser-safe: @tiandi/web runs in the browser: no Node built-in or native module may be reached (reached from apps/web/src/a.ts)",
    ]);
    expect(checkBrowserSafe(repoWith('apps/web/src/a.ts', "import type { N } from '@tiandi/tiles/node';"))).toEqual([]);
    expect(checkBrowserSafe(repoWith('packages/geo/src/a.ts', "import { readFileSync } from 'node:fs';"))[0].rule).toBe('browser-safe');
  });
});

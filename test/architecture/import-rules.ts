// The import rules of docs/architecture.md ("Import rules"), as pure functions over the workspaces and the imports
// that import-graph.ts reads. Each rule names itself in the violation so the message says what to change.
import { builtinModules } from 'node:module';
import type { ImportRef, Workspace } from './import-graph';

export type RuleId = 'public-entry' | 'declared-dependency' | 'direction' | 'acyclic' | 'browser-safe';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: RuleId;
  why: string;
}

/** App → app edges the architecture allows: the CLI starts the server (`tiandi serve`, `tiandi demo`). */
export const APP_EDGES: Record<string, string[]> = { '@tiandi/cli': ['@tiandi/server'] };

/** Workspaces whose source must run in a browser: no Node built-in and no native module anywhere they reach. */
export const BROWSER_SAFE = ['@tiandi/web', '@tiandi/geo', '@tiandi/api'];

/** Native modules that must stay behind subpath exports (`@tiandi/tiles/node`, `@tiandi/store`). */
export const NATIVE_MODULES = ['better-sqlite3', 'koffi', 'onnxruntime-node', 'onnxruntime-web', 'sharp'];

/** The package at the bottom of the graph: it may import only leaf packages (ones that import none of ours). */
export const BOTTOM_PACKAGE = '@tiandi/geo';

/**
 * Where a file sits: `source` (a workspace's shipped code under src/), `test` (tests and test helpers under src/),
 * or `harness` (the top-level test/ folder, and a workspace's bench/, scripts/, bin/ and config files).
 */
export type FileKind = 'source' | 'test' | 'harness';

export function fileKind(file: string, ws: Workspace | undefined): FileKind {
  if (!ws || !file.startsWith(`${ws.dir}/src/`)) return 'harness';
  return isTestFile(file) ? 'test' : 'source';
}

function isTestFile(file: string): boolean {
  return /\.test(-util)?\.[cm]?[jt]sx?$/.test(file) || /\/testing\//.test(file) || /\/test-utils?\//.test(file);
}

/** Files made to be shared by tests in other folders: test helpers, fixture makers. */
export function isTestHelper(file: string): boolean {
  return isTestFile(file) || /^test\/(.+\/)?helpers\//.test(file) || /^(packages|apps)\/[^/]+\/scripts\//.test(file);
}

export function workspaceOfFile(workspaces: Workspace[], file: string): Workspace | undefined {
  return workspaces.find((ws) => file.startsWith(`${ws.dir}/`));
}

export function isNodeOnly(specifier: string): boolean {
  const bare = specifier.replace(/^node:/, '').split('/')[0];
  return specifier.startsWith('node:') || builtinModules.includes(bare) || NATIVE_MODULES.includes(packageNameOf(specifier));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export interface RepoImports {
  workspaces: Workspace[];
  imports: ImportRef[];
  /** Resolves a relative specifier from a file to a repository-relative file, or undefined. */
  resolve: (fromFile: string, specifier: string) => string | undefined;
}

/** Rule `public-entry`: another workspace is imported by its name and an exported subpath, never by a path into it. */
export function checkPublicEntry({ workspaces, imports, resolve }: RepoImports): Violation[] {
  const out: Violation[] = [];
  for (const ref of imports) {
    const from = workspaceOfFile(workspaces, ref.file);
    if (ref.specifier.startsWith('@tiandi/')) {
      const target = workspaces.find((ws) => ws.name === packageNameOf(ref.specifier));
      const subpath = `.${ref.specifier.slice(packageNameOf(ref.specifier).length)}`;
      if (target && !(subpath in target.exports)) {
        const offered = Object.keys(target.exports).join(', ') || 'none';
        out.push({ ...pick(ref), rule: 'public-entry', why: `${target.name} does not export '${subpath}' (its exports: ${offered})` });
      }
      continue;
    }
    if (!ref.specifier.startsWith('.')) continue;
    const resolved = resolve(ref.file, ref.specifier);
    if (!resolved) continue;
    const to = workspaceOfFile(workspaces, resolved);
    if (areaOf(workspaces, resolved) === areaOf(workspaces, ref.file)) continue;
    if (fileKind(ref.file, from) !== 'source' && isTestHelper(resolved)) continue;
    const where = to ? `${to.name}'s internals (${resolved})` : `${resolved}, outside ${from ? from.name : 'the top-level harness folders'}`;
    const fix = to ? `import it from '${to.name}' or a subpath in its exports map` : 'move what is shared into a workspace and import it by name';
    out.push({ ...pick(ref), rule: 'public-entry', why: `reaches into ${where}; ${fix}` });
  }
  return out;
}

/** Rule `declared-dependency`: a workspace imports only workspaces its package.json declares (devDependencies: tests only). */
export function checkDeclaredDependencies({ workspaces, imports }: RepoImports): Violation[] {
  const out: Violation[] = [];
  for (const ref of imports) {
    const from = workspaceOfFile(workspaces, ref.file);
    if (!from || !ref.specifier.startsWith('@tiandi/')) continue;
    const target = packageNameOf(ref.specifier);
    const kind = fileKind(ref.file, from);
    if (target === from.name || from.dependencies.includes(target)) continue;
    if (kind !== 'source' && from.devDependencies.includes(target)) continue;
    const field = kind === 'source' ? 'dependencies' : 'devDependencies (or dependencies)';
    out.push({ ...pick(ref), rule: 'declared-dependency', why: `${target} is not in ${from.dir}/package.json ${field}` });
  }
  return out;
}

/**
 * Rule `direction`: dependencies point one way. A package never imports an app; an app imports another app only
 * along APP_EDGES (harness code that starts a whole system is exempt); the bottom package imports only leaves.
 */
export function checkDirection({ workspaces, imports }: RepoImports): Violation[] {
  const byName = new Map(workspaces.map((ws) => [ws.name, ws]));
  const isLeaf = (ws: Workspace) => ws.dependencies.length === 0;
  const out: Violation[] = [];
  for (const ref of imports) {
    const from = workspaceOfFile(workspaces, ref.file);
    const to = byName.get(packageNameOf(ref.specifier));
    if (!from || !to || to.name === from.name) continue;
    if (from.kind === 'package' && to.kind === 'app') {
      out.push({ ...pick(ref), rule: 'direction', why: `a package (${from.name}) never imports an app (${to.name})` });
    } else if (from.kind === 'app' && to.kind === 'app' && fileKind(ref.file, from) !== 'harness' && !APP_EDGES[from.name]?.includes(to.name)) {
      out.push({
        ...pick(ref),
        rule: 'direction',
        why: `an app imports another app only along the edges in docs/architecture.md (${from.name} → ${to.name} is not one); share it through a package`,
      });
    } else if (from.name === BOTTOM_PACKAGE && !isLeaf(to)) {
      out.push({
        ...pick(ref),
        rule: 'direction',
        why: `${BOTTOM_PACKAGE} is the bottom layer: it imports only packages that import none of ours (${to.name} does)`,
      });
    }
  }
  return out;
}

/** Rule `acyclic`: the workspaces' declared dependencies form no cycle. Returns each cycle once, as names. */
export function findCycles(workspaces: Workspace[]): string[][] {
  const deps = new Map(workspaces.map((ws) => [ws.name, [...ws.dependencies, ...ws.devDependencies]]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of deps.get(name) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const ws of workspaces) if (!state.has(ws.name)) visit(ws.name);
  return cycles;
}

/**
 * Rule `browser-safe`: nothing the source of a BROWSER_SAFE workspace reaches (relative files, other workspaces'
 * entries, transitively; type-only imports are erased and skipped) imports a Node built-in or a native module.
 * Build plugins (files that import vite or esbuild) run in Node and are not starting points.
 */
export function checkBrowserSafe({ workspaces, imports, resolve }: RepoImports): Violation[] {
  const importsOf = new Map<string, ImportRef[]>();
  for (const ref of imports) importsOf.set(ref.file, [...(importsOf.get(ref.file) ?? []), ref]);
  const out: Violation[] = [];
  for (const name of BROWSER_SAFE) {
    const ws = workspaces.find((w) => w.name === name);
    if (!ws) continue;
    const starts = [...importsOf.keys()].filter(
      (f) => workspaceOfFile(workspaces, f) === ws && fileKind(f, ws) === 'source' && !isBuildTool(importsOf.get(f) ?? []),
    );
    const via = new Map<string, string>(starts.map((f) => [f, f]));
    const queue = [...starts];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      for (const ref of importsOf.get(file) ?? []) {
        if (ref.typeOnly) continue;
        if (isNodeOnly(ref.specifier)) {
          const chain = via.get(file) === file ? '' : ` (reached from ${via.get(file)})`;
          out.push({ ...pick(ref), rule: 'browser-safe', why: `${name} runs in the browser: no Node built-in or native module may be reached${chain}` });
          continue;
        }
        const next = nextFile(workspaces, ref, resolve);
        if (next && !via.has(next)) {
          via.set(next, via.get(file) as string);
          queue.push(next);
        }
      }
    }
  }
  return out;
}

/** A file that imports the bundler (a vite or esbuild plugin) runs in Node at build time, not in the browser. */
function isBuildTool(refs: ImportRef[]): boolean {
  return refs.some((ref) => BUNDLERS.includes(packageNameOf(ref.specifier)));
}

const BUNDLERS = ['vite', 'esbuild'];

function nextFile(workspaces: Workspace[], ref: ImportRef, resolve: RepoImports['resolve']): string | undefined {
  if (ref.specifier.startsWith('.')) return resolve(ref.file, ref.specifier);
  const target = workspaces.find((ws) => ws.name === packageNameOf(ref.specifier));
  return target?.exports[`.${ref.specifier.slice(target.name.length)}`];
}

/** A workspace's name, or `root` for the harness folders outside every workspace (test/, scripts/). */
function areaOf(workspaces: Workspace[], file: string): string {
  return workspaceOfFile(workspaces, file)?.name ?? 'root';
}

function pick(ref: ImportRef): Pick<Violation, 'file' | 'line' | 'specifier'> {
  return { file: ref.file, line: ref.line, specifier: ref.specifier };
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} imports '${v.specifier}' — rule ${v.rule}: ${v.why}`;
}

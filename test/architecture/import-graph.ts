// Reads the repository's workspaces and every import in their files, with the TypeScript compiler's own parser
// (so `import type`, re-exports, dynamic `import()` and `require()` are all seen, and strings in comments are not).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Workspace {
  /** Package name, e.g. `@tiandi/geo`. */
  name: string;
  /** Folder relative to the repository root, e.g. `packages/geo`. */
  dir: string;
  kind: 'package' | 'app';
  /** `@tiandi/*` names in `dependencies`. */
  dependencies: string[];
  /** `@tiandi/*` names in `devDependencies`. */
  devDependencies: string[];
  /** Keys of the `exports` map (`.`, `./node` …) with the file each points to, relative to the root. */
  exports: Record<string, string>;
}

export interface ImportRef {
  /** The importing file, relative to the repository root. */
  file: string;
  specifier: string;
  /** True for `import type` / `export type`: erased at build time, so it never reaches a bundle. */
  typeOnly: boolean;
  line: number;
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|mjs|cjs|js)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache', 'test-artifacts', 'corpus']);

/** Every workspace the root package.json's `workspaces` globs name (only `dir/*` globs, as npm's are here). */
export function readWorkspaces(root: string): Workspace[] {
  const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = rootPkg.workspaces.flatMap((glob) => {
    const parent = glob.replace(/\/\*$/, '');
    if (parent === glob) return [glob];
    return readdirSync(path.join(root, parent)).map((d) => `${parent}/${d}`);
  });
  return dirs
    .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
      const ours = (deps: Record<string, string> | undefined) => Object.keys(deps ?? {}).filter((n) => n.startsWith('@tiandi/'));
      const exportsMap = typeof pkg.exports === 'string' ? { '.': pkg.exports } : (pkg.exports ?? {});
      const exports = Object.fromEntries(Object.entries(exportsMap as Record<string, string>).map(([key, target]) => [key, path.posix.join(dir, target)]));
      return {
        name: pkg.name as string,
        dir,
        kind: dir.startsWith('apps/') ? 'app' : 'package',
        dependencies: ours(pkg.dependencies),
        devDependencies: ours(pkg.devDependencies),
        exports,
      } satisfies Workspace;
    });
}

/** Source files under `dir` (relative paths from `root`), skipping installed, built and generated folders. */
export function listSourceFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((entry) => {
    if (SKIPPED_DIRS.has(entry)) return [];
    const rel = path.posix.join(dir, entry);
    if (statSync(path.join(root, rel)).isDirectory()) return listSourceFiles(root, rel);
    return SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The module specifiers a file imports, re-exports, `import()`s or `require()`s. */
export function parseImports(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    refs.push({ file, specifier: spec.text, typeOnly, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isDynamicImport || isRequire) && node.arguments.length === 1) add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** Resolves a relative specifier to a file relative to the root, as the bundler resolution does (extensionless, index). */
export function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const candidates = [base, ...['.ts', '.tsx', '.mts', '.mjs', '.js', '.json'].map((e) => base + e), `${base}/index.ts`];
  if (/\.js$/.test(base)) candidates.push(base.replace(/\.js$/, '.ts'));
  return candidates.find((c) => existsSync(path.join(root, c)) && statSync(path.join(root, c)).isFile());
}

/** One line per workspace: `@tiandi/x → @tiandi/a, @tiandi/b` (runtime dependencies), as the doc shows it. */
export function dependencyGraphText(workspaces: Workspace[]): string {
  const pad = Math.max(...workspaces.map((ws) => ws.name.length));
  return workspaces
    .map((ws) => `${ws.name.padEnd(pad)} → ${ws.dependencies.length > 0 ? [...ws.dependencies].sort().join(', ') : '(none of ours)'}`)
    .join('\n');
}

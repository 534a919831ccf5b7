/**
 * `npx tsx scripts/function-lengths.ts [--min 80] [--tests] [paths…]`
 *
 * Lists every function (declarations, methods, arrows, function expressions) in the repo's
 * TypeScript sources whose body spans at least `--min` lines, longest first, with its file and
 * line. A function may stay long when a comment directly above it says why (`long: …`): such
 * functions are listed with that reason instead of counted. Parsed with the TypeScript compiler
 * API, so comments and strings never confuse the count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const minAt = args.indexOf('--min');
const min = minAt >= 0 ? Number(args[minAt + 1]) : 80;
/** Test suites (`describe`/`it` callbacks) are lists of cases, not functions to split: counted only with --tests. */
const withTests = args.includes('--tests');
const roots = args.filter((a, i) => a !== '--min' && a !== '--tests' && (minAt < 0 || i !== minAt + 1));
const repo = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'test-artifacts', 'coverage']);

/** One function longer than the threshold. */
interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
  reason?: string;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

/** The `long: …` reason in a comment right above the function or its variable statement. */
function longReason(node: ts.Node, text: string): string | undefined {
  let owner: ts.Node = node;
  while (
    owner.parent &&
    (ts.isVariableDeclaration(owner.parent) ||
      ts.isVariableDeclarationList(owner.parent) ||
      ts.isVariableStatement(owner.parent) ||
      ts.isExportAssignment(owner.parent))
  )
    owner = owner.parent;
  const comments = ts.getLeadingCommentRanges(text, owner.getFullStart()) ?? [];
  for (const c of comments) {
    const m = /\blong:\s*([^\n*]+)/.exec(text.slice(c.pos, c.end));
    if (m) return m[1].trim();
  }
  return undefined;
}

function isTestCase(node: ts.Node): boolean {
  const call = node.parent;
  return !!call && ts.isCallExpression(call) && /^(describe|it|test)\b/.test(call.expression.getText());
}

function longFunctions(file: string): LongFunction[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && (withTests || !isTestCase(node))) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines >= min) found.push({ file: relative(repo, file), line: first + 1, name: functionName(node), lines, reason: longReason(node, text) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const files = (roots.length ? roots.map((r) => resolve(r)) : [join(repo, 'packages'), join(repo, 'apps'), join(repo, 'test'), join(repo, 'scripts')]).flatMap(
  (r) => (statSync(r).isDirectory() ? [...sourceFiles(r)] : [r]),
);
const all = files.flatMap(longFunctions).sort((a, b) => b.lines - a.lines);
const counted = all.filter((f) => !f.reason);
for (const f of all) console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}${f.reason ? `  (long: ${f.reason})` : ''}`);
console.log(`${counted.length} functions of ${min}+ lines without a written reason, ${all.length - counted.length} with one`);

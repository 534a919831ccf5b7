// Golden in/out fixtures, in the manner of Turf's test/in and test/out: a test turns each input file into text
// and compares it with the committed output file. `UPDATE_GOLDEN=1 npx vitest run <test>` rewrites the outputs
// instead (review the diff before committing: a changed golden file is a changed behaviour).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const updatingGolden = process.env.UPDATE_GOLDEN === '1';

/** The input files of one golden suite (`dir/*.ext`), sorted, as [case name, absolute path]. */
export function goldenInputs(dir: string, ext = '.json'): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => [path.basename(f, ext), path.join(dir, f)]);
}

/** Compares `actual` with the golden file, or writes it when UPDATE_GOLDEN=1. */
export function expectGolden(file: string, actual: string): void {
  if (updatingGolden) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  const hint = `golden ${path.relative(process.cwd(), file)}: if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`;
  expect(existsSync(file), `${hint} (the file does not exist yet)`).toBe(true);
  expect(actual, hint).toBe(readFileSync(file, 'utf8'));
}

/**
 * Stable JSON for golden files: two-space indent, a final newline, and numbers to 10 significant digits, so a
 * change in the last bits of a float sum does not count as a change of behaviour.
 */
export function goldenJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v), 2)}\n`;
}

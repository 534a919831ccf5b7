import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the whole test run one temporary folder, removed when the run ends: the forked workers (and the CLIs,
 * servers and browsers they start) inherit TMPDIR, so what a test leaves behind, or a process killed mid-test,
 * does not pile up in the system's temp folder (about 100 folders a run did before).
 */
export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-test-run-'));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of a target's committed seed corpus. */
export const corpusDir = (target: string) => fileURLToPath(new URL(`./corpus/${target}/`, import.meta.url));

/** The committed seeds of a target, in file-name order (so runs are reproducible). */
export function loadCorpus(target: string): Uint8Array[] {
  const dir = corpusDir(target);
  return readdirSync(dir)
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

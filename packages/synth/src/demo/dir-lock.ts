import { statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';

/**
 * A lock between processes: a directory made atomically. A lock older than `staleMs` (a process that died
 * while holding it) is taken over. Returns the release function.
 */
export async function acquireDirLock(lockDir: string, signal?: AbortSignal, staleMs = 10 * 60_000): Promise<() => Promise<void>> {
  for (;;) {
    signal?.throwIfAborted();
    try {
      await mkdir(lockDir);
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleMs) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

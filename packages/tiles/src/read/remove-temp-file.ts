import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';

/** Temporary files taking at least this much disk are removed by a detached process ({@link removeTempFile}). */
export const DETACHED_REMOVAL_BYTES = 1 << 30;

/**
 * Removes a scan's temporary file (a level or the kept blocks; never throws when it is already gone). Removing one
 * of gigabytes is seconds of waiting, not of work: the kernel drops its cached pages and the file system discards
 * its blocks (/ mounted with `discard`: 2.1-2.4 s with both cores idle for the 4.9-GB kept file of a 1.6-Gpx COG,
 * up to 7 s on a busy disk), and a process cannot end while one of its threads is inside that unlink. So a file
 * taking {@link DETACHED_REMOVAL_BYTES} or more is removed by a detached process and the scan returns once its
 * outputs are written; smaller ones, or when no process can be started, here. Should the detached process be
 * killed first, the next scan removes the file (`removeOrphanLevels`: its name carries this process's id).
 */
export async function removeTempFile(path: string, detachFrom = DETACHED_REMOVAL_BYTES): Promise<void> {
  const bytes = await stat(path).then(
    (s) => s.blocks * 512,
    () => -1,
  );
  if (bytes < 0) return;
  if (bytes >= detachFrom && (await removeDetached(path))) return;
  await rm(path, { force: true });
}

/** Removes `path` in a detached Node process; true once it started (the file is gone soon after), false if it could not. */
export function removeDetached(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      // No inherited options (NODE_OPTIONS may load tsx): a bare Node starts in ~40 ms.
      const child = spawn(process.execPath, ['-e', 'require("fs").rmSync(process.argv[1], { force: true })', path], {
        detached: true,
        stdio: 'ignore',
        env: {},
      });
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
      child.once('error', () => resolve(false));
    } catch {
      resolve(false);
    }
  });
}

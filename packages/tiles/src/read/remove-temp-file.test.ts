import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDetached, removeTempFile } from './remove-temp-file';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-remove-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polls until `path` is gone or `ms` have passed; true when gone. */
async function goneWithin(path: string, ms: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 20))) if (!existsSync(path)) return true;
  return !existsSync(path);
}

describe('removeTempFile', () => {
  it('removes a file under the threshold before it resolves', async () => {
    const p = join(dir, 'small.bin');
    writeFileSync(p, new Uint8Array(64 << 10));
    await removeTempFile(p, 1 << 20);
    expect(existsSync(p)).toBe(false);
  });

  it('leaves a large file to another process: still there when it resolves, gone soon after', async () => {
    const p = join(dir, 'large.bin');
    writeFileSync(p, new Uint8Array(256 << 10));
    // The threshold is what the file takes on disk (256 KB here), so this one is removed elsewhere.
    await removeTempFile(p, 128 << 10);
    // A Node process takes tens of milliseconds to start: the file is still there when the call returns.
    expect(existsSync(p)).toBe(true);
    expect(await goneWithin(p, 10_000)).toBe(true);
  });

  it('counts the disk a sparse file takes, not its length: a 4-GB hole is removed here', async () => {
    const p = join(dir, 'sparse.bin');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 4 * 2 ** 30);
    closeSync(fd);
    await removeTempFile(p, 1 << 30);
    expect(existsSync(p)).toBe(false);
  });

  it('does nothing, and does not throw, when the file is already gone', async () => {
    await expect(removeTempFile(join(dir, 'never.bin'))).resolves.toBeUndefined();
  });
});

describe('removeDetached', () => {
  it('starts a process that removes the file', async () => {
    const p = join(dir, 'detached.bin');
    writeFileSync(p, 'x');
    expect(await removeDetached(p)).toBe(true);
    expect(await goneWithin(p, 10_000)).toBe(true);
  });
});

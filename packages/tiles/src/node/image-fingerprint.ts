import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * A cheap content fingerprint of an image file: sha256 of its size and its first and last 64 KiB.
 * Renaming or copying the file keeps it; re-exporting the orthophoto changes it.
 */
export async function imageFingerprint(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const n = Math.min(65536, size);
    const head = Buffer.alloc(n);
    const tail = Buffer.alloc(n);
    await fh.read(head, 0, n, 0);
    await fh.read(tail, 0, n, Math.max(0, size - n));
    return createHash('sha256').update(String(size)).update(head).update(tail).digest('hex');
  } finally {
    await fh.close();
  }
}

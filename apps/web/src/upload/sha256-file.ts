import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** Chunk read per step: big enough to be fast, small enough to keep memory flat on 20-GB files. */
const CHUNK = 8 * 1024 * 1024;

/**
 * The sha256 (hex) of a browser File, read in 8-MB slices so multi-gigabyte orthophotos hash in
 * constant memory. Reports the fraction done; stops on `signal`.
 */
export async function sha256OfFile(file: Blob, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<string> {
  const hash = sha256.create();
  for (let offset = 0; offset < file.size; offset += CHUNK) {
    signal?.throwIfAborted();
    const buf = new Uint8Array(await file.slice(offset, Math.min(file.size, offset + CHUNK)).arrayBuffer());
    hash.update(buf);
    onProgress?.(Math.min(1, (offset + buf.length) / file.size));
  }
  if (file.size === 0) onProgress?.(1);
  return bytesToHex(hash.digest());
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256OfFile } from './sha256-file';

describe('sha256OfFile', () => {
  it('hashes a Blob in slices to the same digest as node:crypto, reporting progress to 1', async () => {
    const bytes = new Uint8Array(20 * 1024 * 1024 + 123);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const seen: number[] = [];
    const hex = await sha256OfFile(new Blob([bytes]), (f) => seen.push(f));
    expect(hex).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)).toBe(1);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { precompressFile } from './precompress-plugin';

describe('precompressFile', () => {
  it('writes brotli and gzip copies that decompress to the file, and leaves files under 1 KB alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-precompress-'));
    const big = path.join(dir, 'app-Ab12.js');
    const text = Array.from({ length: 400 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    fs.writeFileSync(big, text);
    const sizes = precompressFile(big)!;
    expect(sizes.raw).toBe(Buffer.byteLength(text));
    expect(sizes.br).toBeLessThan(sizes.raw / 3);
    expect(zlib.brotliDecompressSync(fs.readFileSync(`${big}.br`)).toString()).toBe(text);
    expect(zlib.gunzipSync(fs.readFileSync(`${big}.gz`)).toString()).toBe(text);
    const small = path.join(dir, 'tiny.js');
    fs.writeFileSync(small, 'x=1');
    expect(precompressFile(small)).toBeNull();
    expect(fs.existsSync(`${small}.br`)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

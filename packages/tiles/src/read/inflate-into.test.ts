import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateInto } from './inflate-into';

const data = Buffer.from(Uint8Array.from({ length: 196_608 }, (_, i) => (i * 7 + (i >> 9)) & 255));
const z = deflateSync(data);

describe('inflateInto', () => {
  it('inflates into the given buffer, again and again', () => {
    const out = new Uint8Array(data.length);
    for (let k = 0; k < 3; k++) {
      const r = inflateInto(z, out);
      expect(r.buffer).toBe(out.buffer);
      expect(Buffer.compare(Buffer.from(r), data)).toBe(0);
    }
  });

  it('drops output past the buffer and returns the filled part of a longer one', () => {
    expect(Buffer.compare(Buffer.from(inflateInto(z, new Uint8Array(1000))), data.subarray(0, 1000))).toBe(0);
    expect(inflateInto(z, new Uint8Array(data.length + 500)).length).toBe(data.length);
  });

  it("throws zlib's own errors for truncated or corrupt data, and works afterwards", () => {
    expect(() => inflateInto(z.subarray(0, z.length >> 1), new Uint8Array(data.length))).toThrow(/unexpected end of file/);
    const bad = Buffer.from(z);
    bad[10] ^= 0xff;
    bad[20] ^= 0x55;
    let zlibMessage = '';
    try {
      inflateSync(bad);
    } catch (e) {
      zlibMessage = (e as Error).message;
    }
    expect(zlibMessage).not.toBe('');
    expect(() => inflateInto(bad, new Uint8Array(data.length))).toThrow(zlibMessage);
    expect(Buffer.compare(Buffer.from(inflateInto(z, new Uint8Array(data.length))), data)).toBe(0);
  });
});

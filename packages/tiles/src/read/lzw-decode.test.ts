import { describe, expect, it, beforeAll } from 'vitest';
import { getDecoder } from 'geotiff';
import { makeFixtures, type Fixtures } from '../../scripts/make-fixtures';
import { openGeoTiffSource } from './open-geotiff-source';
import { lzwDecode } from './lzw-decode';

let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
}, 120_000);

/** A TIFF LZW encoder (MSB-first, early change) for round-trip tests. */
function lzwEncode(data: Uint8Array): Uint8Array {
  const bytes: number[] = [];
  let acc = 0;
  let accBits = 0;
  let nbits = 9;
  const put = (code: number) => {
    acc = (acc << nbits) | code;
    accBits += nbits;
    while (accBits >= 8) {
      bytes.push((acc >>> (accBits - 8)) & 255);
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  let dict = new Map<string, number>();
  let next = 258;
  put(256);
  let w = '';
  for (const b of data) {
    const wc = w + String.fromCharCode(b);
    if (wc.length === 1 || dict.has(wc)) {
      w = wc;
      continue;
    }
    put(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!);
    dict.set(wc, next++);
    // The decoder adds each entry one code later, so the encoder widens one code later too.
    if (next >= 1 << nbits && nbits < 12) nbits++;
    if (next >= 4094) {
      put(256);
      dict = new Map();
      next = 258;
      nbits = 9;
    }
    w = String.fromCharCode(b);
  }
  if (w) put(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!);
  put(257);
  if (accBits) bytes.push((acc << (8 - accBits)) & 255);
  return Uint8Array.from(bytes);
}

describe('lzwDecode', () => {
  it('round-trips repetitive and random data, across dictionary resets', () => {
    let s = 1;
    const rnd = Uint8Array.from({ length: 50_000 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
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
  it('leaves zeros after the point where a truncated stream stops', () => {
    let seed = 3;
    const d = Uint8Array.from({ length: 6000 }, (_, i) => (i % 5 ? ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 28) : 200));
    const full = lzwEncode(d);
    for (let cut = 40; cut < full.length; cut += 37) {
      const out = lzwDecode(full.subarray(0, cut), d.length);
      // Decoding stops after the last whole code: what precedes is right, what follows is zero.
      let k = 0;
      while (k < d.length && out[k] === d[k]) k++;
      let last = d.length - 1;
      while (last >= 0 && out[last] === 0) last--;
      expect(last).toBeLessThan(k);
    }
  });
});

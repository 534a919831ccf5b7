import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { craftTiff } from '../testing/craft-tiff';
import { TYPE } from '../write/tiff-ifd';
import { LentBytes } from './lent-bytes';
import { openGeoTiffSource } from './open-geotiff-source';

describe('LentBytes', () => {
  it('lends a buffer given back again for the next request it holds, whatever its exact length', () => {
    const lent = new LentBytes(2);
    const a = lent.lend(100_000);
    expect(a.length).toBe(100_000);
    lent.giveBack(a);
    const b = lent.lend(90_000);
    // The same memory (identity), viewed at the length asked for.
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(90_000);
    // Lent out: not lent twice.
    expect(lent.lend(90_000).buffer).not.toBe(a.buffer);
  });

  it('lends a little more room than asked, so a slightly longer strip reuses it', () => {
    const lent = new LentBytes();
    const a = lent.lend(500_000);
    lent.giveBack(a);
    expect(lent.lend(540_000).buffer).toBe(a.buffer);
  });

  it('lends the smallest buffer that fits, makes one when none does, and keeps the largest `most`', () => {
    const lent = new LentBytes(2);
    const [small, mid, big] = [70_000, 300_000, 700_000].map((n) => lent.lend(n));
    // Room for two: the smallest makes way for the largest.
    for (const b of [small, mid, big]) lent.giveBack(b);
    expect(lent.lend(60_000).buffer).toBe(mid.buffer);
    expect(lent.lend(2_000_000).buffer).not.toBe(big.buffer);
    expect(lent.lend(10_000).buffer).toBe(big.buffer);
    expect(lent.lend(10_000).buffer).not.toBe(small.buffer);
  });

  it('ignores buffers it did not lend, and a buffer given back twice', () => {
    const lent = new LentBytes(4);
    const foreign = new Uint8Array(1 << 20);
    lent.giveBack(foreign);
    expect(lent.lend(1000).buffer).not.toBe(foreign.buffer);
    const a = lent.lend(1000);
    lent.giveBack(a);
    lent.giveBack(a);
    const first = lent.lend(1000);
    const second = lent.lend(1000);
    expect(first.buffer).toBe(a.buffer);
    expect(second.buffer).not.toBe(a.buffer);
  });
});

/** Splits a baseline JPEG into JPEGTables (SOI, its quantisation tables, EOI) and the abbreviated stream left. */
function splitTables(jpeg: Uint8Array): { tables: Uint8Array; rest: Uint8Array } {
  const dqt: Uint8Array[] = [];
  const rest: Uint8Array[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at < jpeg.length) {
    const marker = jpeg[at + 1];
    if (marker === 0xda) {
      rest.push(jpeg.subarray(at));
      break;
    }
    const len = (jpeg[at + 2] << 8) | jpeg[at + 3];
    (marker === 0xdb ? dqt : rest).push(jpeg.subarray(at, at + 2 + len));
    at += 2 + len;
  }
  return { tables: Buffer.concat([Buffer.from([0xff, 0xd8]), ...dqt, Buffer.from([0xff, 0xd9])]), rest: Buffer.concat(rest) };
}

const WIDTH = 1024;
const ROWS = 16;
/** More bands of two strips than a region reads at once (64): later bands' reads lend what earlier ones gave back. */
const STRIPS = 200;

/**
 * A striped JPEG of 16-row strips, as GDAL writes them: each strip whole (`tables` false: libvips decodes straight
 * from the lent chunk its band was read into) or abbreviated, the quantisation tables once in JPEGTables (spliced
 * in front of each strip in a lent buffer). With the pixels sharp decodes from each strip whole.
 */
async function stripedJpeg(tables: boolean): Promise<{ path: string; expected: Uint8Array }> {
  const streams: Uint8Array[] = [];
  const expected = new Uint8Array(WIDTH * ROWS * STRIPS * 3);
  let shared: Uint8Array | undefined;
  for (let s = 0; s < STRIPS; s++) {
    const raw = Buffer.alloc(WIDTH * ROWS * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * (s + 3) + ((i / 3) >> 6) * 29 + s * 41) & 255;
    const jpeg = await sharp(raw, { raw: { width: WIDTH, height: ROWS, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    expected.set(await sharp(jpeg).raw().toBuffer(), s * WIDTH * ROWS * 3);
    if (!tables) {
      streams.push(jpeg);
      continue;
    }
    const split = splitTables(jpeg);
    // Every strip at one quality: the same quantisation tables, kept once in the file.
    if (shared) expect(Buffer.compare(shared, split.tables)).toBe(0);
    shared = split.tables;
    streams.push(split.rest);
  }
  const tags = [{ tag: 278, type: TYPE.LONG, values: [ROWS] }, ...(shared ? [{ tag: 347, type: TYPE.UNDEFINED, values: [...shared] }] : [])];
  const path = join(mkdtempSync(join(tmpdir(), 'tiandi-lent-')), 'striped-jpeg.tif');
  writeFileSync(path, craftTiff({ width: WIDTH, height: ROWS * STRIPS, compression: 7, blocks: streams, tags }));
  return { path, expected };
}

/** Pixels of the whole image read in one window that differ from what sharp decodes strip by strip. */
async function pixelsWrong({ path, expected }: { path: string; expected: Uint8Array }): Promise<number> {
  const src = await openGeoTiffSource(path);
  try {
    const w = await src.readWindow([0, 0, WIDTH, ROWS * STRIPS]);
    let wrong = 0;
    for (let i = 0; i < expected.length; i++) if (w.rgb[i] !== expected[i]) wrong++;
    return wrong;
  } finally {
    await src.close();
  }
}

describe('a striped JPEG read through lent buffers', () => {
  it('decodes every strip as sharp decodes it, many bands read and decoded at once (whole streams)', async () => {
    expect(await pixelsWrong(await stripedJpeg(false))).toBe(0);
  });

  it('decodes every strip as sharp decodes it, the file tables spliced in front of each (abbreviated streams)', async () => {
    expect(await pixelsWrong(await stripedJpeg(true))).toBe(0);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeoTiff } from '../write/index';
import { DECODERS, type BlockDecoder } from '../read/codecs';
import { scanImages } from './scan-images';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
const SIDE = 4096;
const TILE = 256;
let dir: string;
let image: string;
let model: string;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** Textured grass with red squares (the redness models' plots) every 600 px. */
const rows = (y0: number, n: number) => {
  const a = new Uint8Array(SIDE * n * 3);
  for (let yy = 0; yy < n; yy++) {
    const y = y0 + yy;
    for (let x = 0; x < SIDE; x++) {
      const o = (yy * SIDE + x) * 3;
      const red = x % 600 > 250 && x % 600 < 330 && y % 600 > 250 && y % 600 < 330;
      const t = ((x * 7 + y * 3) & 15) - 8;
      a[o] = red ? 220 + (t >> 1) : 70 + t;
      a[o + 1] = red ? 40 : 120 + t;
      a[o + 2] = red ? 50 : 50 + (t >> 1);
    }
  }
  return a;
};

/** The redness segmentation model (0.1 m) with a verifier at the imagery's 0.05 m and a prefilter at 0.1 m. */
function twoStageWithPrefilter(): string {
  const d = join(dir, 'model');
  mkdirSync(d, { recursive: true });
  cpSync(join(MODELS, 'redness-seg'), d, { recursive: true });
  for (const [folder, gsd] of [
    ['verifier', 0.05],
    ['prefilter', 0.1],
  ] as const) {
    cpSync(join(MODELS, 'redness-cls'), join(d, folder), { recursive: true });
    writeFileSync(join(d, folder, 'model.json'), JSON.stringify({ ...readJson(join(MODELS, 'redness-cls/model.json')), gsd_m: gsd }));
  }
  writeFileSync(
    join(d, 'model.json'),
    JSON.stringify({
      ...readJson(join(MODELS, 'redness-seg/model.json')),
      verifier: { model: 'verifier', threshold: 0, max_windows: 8, prefilter: { model: 'prefilter', threshold: 0, max_windows: 8 } },
    }),
  );
  return d;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-scan-decodes-'));
  image = join(dir, 'no-overviews.tif');
  await writeGeoTiff(image, {
    width: SIDE,
    height: SIDE,
    bands: 3,
    epsg: 32648,
    geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05],
    readRows: rows,
    tileSize: TILE,
    compression: 'jpeg',
    overviews: false,
  });
  model = twoStageWithPrefilter();
}, 120_000);

describe('a scan of a JPEG orthophoto without overviews', () => {
  it('decodes every full-resolution block once: swath edges, the prefilter, the verifier and the pixel digest read kept blocks', async () => {
    // Every block decompression in this thread (one thread: worker threads have their own registry).
    const registry = DECODERS as Map<number, BlockDecoder>;
    const jpeg = registry.get(7)!;
    let decodes = 0;
    registry.set(7, (...a) => {
      decodes++;
      return jpeg(...a);
    });
    try {
      const s = await scanImages({ images: [image], modelDir: model, outDir: join(dir, 'out'), workers: 1 });
      expect(s.failed).toEqual([]);
      // The first stage flags the red squares, and both second-stage models looked at them.
      expect(s.candidates).toBeGreaterThan(10);
      expect(s.verifier).toMatchObject({ images_verified: 1, prefilter: { model: 'prefilter' } });
      expect(decodes).toBe((SIDE / TILE) ** 2);
    } finally {
      registry.set(7, jpeg);
    }
  }, 300_000);
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@tiandi/geo';
import { PagedCells } from '../scan/paged-cells';
import type { ImageResult } from './finish-image';
import { heatmapThreadBundle, writeHeatmapOnThread } from './heatmap-thread';
import { writeHeatmap } from './write-heatmap';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-heat-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A heatmap of `w` × `h` cells (some no data) paged to a file, most pages out of memory, on a CRS with or without an EPSG code. */
function heat(w: number, h: number, epsg: number | undefined): ImageResult['heat'] {
  const rnd = mulberry32(3);
  const scores = new PagedCells(Float32Array, w, h, { path: join(dir, `pages-${epsg}.bin`), cacheBytes: 64 << 10 });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) scores.put(x, y, rnd() < 0.1 ? Number.NaN : rnd());
  const source = {
    geoTransform: [500000, 0.05, 0, 4000000, 0, -0.05],
    crs: epsg ? { epsg, id: `EPSG:${epsg}`, proj4: '' } : { proj4: '+proj=tmerc +lon_0=111 +ellps=GRS80 +units=m +no_defs' },
    acquired: '2026-04-20T10:00:00',
  } as unknown as ImageResult['heat']['source'];
  const plan = { heatWidth: w, heatHeight: h, cellWork: 4, cellOffsetWork: 2, fx: 3, fy: 3 } as unknown as ImageResult['heat']['plan'];
  return { plan, scores, source };
}

describe('writeHeatmapOnThread', () => {
  it('writes the same file as writeHeatmap here, .aux.xml and all, and the grid still reads as before', async () => {
    for (const epsg of [4547, undefined]) {
      const h = heat(600, 530, epsg);
      const before = h.scores.readRows(0, 530);
      await writeHeatmap(join(dir, `here-${epsg}.tif`), h);
      await writeHeatmapOnThread(join(dir, `there-${epsg}.tif`), h, await heatmapThreadBundle());
      expect(readFileSync(join(dir, `there-${epsg}.tif`)).equals(readFileSync(join(dir, `here-${epsg}.tif`)))).toBe(true);
      if (!epsg) expect(readFileSync(join(dir, `there-${epsg}.tif.aux.xml`), 'utf8')).toBe(readFileSync(join(dir, `here-${epsg}.tif.aux.xml`), 'utf8'));
      expect([...h.scores.readRows(0, 530)]).toEqual([...before]);
      h.scores.close();
    }
  });

  it("throws the thread's TilesError with its code, as writing here throws it", async () => {
    const h = heat(300, 200, 4547);
    (h.source as { acquired: string }).acquired = '2026:04:20 10:00:00'; // EXIF style: refused by writeGeoTiff
    const refused = { code: 'TIANDI_E_BAD_WRITE_OPTIONS' };
    await expect(writeHeatmap(join(dir, 'bad-here.tif'), h)).rejects.toMatchObject(refused);
    await expect(writeHeatmapOnThread(join(dir, 'bad-there.tif'), h, await heatmapThreadBundle())).rejects.toMatchObject(refused);
    h.scores.close();
  });

  it('stops when aborted', async () => {
    const h = heat(600, 530, 4547);
    const ac = new AbortController();
    const p = writeHeatmapOnThread(join(dir, 'aborted.tif'), h, await heatmapThreadBundle(), ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'TIANDI_E_ABORTED' });
    h.scores.close();
    // Aborted while the thread writes (a 2000² heatmap takes it a few tenths of a second).
    const big = heat(2000, 2000, 4547);
    const late = new AbortController();
    const writing = writeHeatmapOnThread(join(dir, 'aborted-late.tif'), big, await heatmapThreadBundle(), late.signal);
    setTimeout(() => late.abort(), 150);
    await expect(writing).rejects.toMatchObject({ code: 'TIANDI_E_ABORTED' });
    big.scores.close();
  });
});

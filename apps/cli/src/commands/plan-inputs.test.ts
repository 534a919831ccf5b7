import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterEach, describe, expect, it } from 'vitest';
import { readDemFile } from './plan-inputs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A 4 × 3 DEM, height = 10 × column + row, 0.001° pixels from (102, 28), as a GeoTIFF. */
function dem(keys: Record<string, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-dem-'));
  dirs.push(dir);
  const values = Array.from({ length: 12 }, (_, i) => 10 * (i % 4) + Math.floor(i / 4)); // bytes: the writer stores 8-bit samples
  const buf = writeArrayBuffer(values, { width: 4, height: 3, ModelPixelScale: [0.001, 0.001, 0], ModelTiepoint: [0, 0, 0, 102, 28, 0], GeographicTypeGeoKey: 4326, ...keys } as never);
  const file = path.join(dir, 'dem.tif');
  fs.writeFileSync(file, Buffer.from(buf));
  return file;
}

describe('readDemFile (GeoTIFF)', () => {
  it('reads heights at pixel centres, bilinear between them, for PixelIsArea and PixelIsPoint tie points', async () => {
    const area = await readDemFile(dem({ GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1 }));
    expect(area(102.0015, 27.9995)).toBeCloseTo(10, 6); // centre of column 1, row 0
    expect(area(102.002, 27.999)).toBeCloseTo(15.5, 6); // between columns 1–2 and rows 0–1
    expect(area(101.9, 28)).toBeNaN();
    const point = await readDemFile(dem({ GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 2 }));
    expect(point(102.001, 28)).toBeCloseTo(10, 6); // the tie point is pixel (0, 0)'s centre
  });

  it('refuses a projected GeoTIFF with what to do', async () => {
    await expect(readDemFile(dem({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32647 }))).rejects.toThrow(/gdalwarp -t_srs EPSG:4326/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { afterEach, describe, expect, it } from 'vitest';
import { readDemFile } from './plan-inputs';

const hasGdal = spawnSync('gdal_translate', ['--version']).status === 0;
if (!hasGdal) console.warn('NOTICE: gdal_translate (gdal-bin) not found — the signed 16-bit DEM case is skipped (.ci/run installs it).');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A 4 × 3 DEM, height = 10 × column + row, 0.001° pixels from (102, 28), as a GeoTIFF. */
function dem(keys: Record<string, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-dem-'));
  dirs.push(dir);
  const values = Array.from({ length: 12 }, (_, i) => 10 * (i % 4) + Math.floor(i / 4)); // bytes: the writer stores 8-bit samples
  const buf = writeArrayBuffer(values, {
    width: 4,
    height: 3,
    ModelPixelScale: [0.001, 0.001, 0],
    ModelTiepoint: [0, 0, 0, 102, 28, 0],
    GeographicTypeGeoKey: 4326,
    ...keys,
  } as never);
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

  it.skipIf(!hasGdal)('reads a signed 16-bit DEM as GDAL writes SRTM tiles (heights below zero, nodata left out)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-dem-'));
    dirs.push(dir);
    const rows: string[] = [];
    // 3 × 3 cells of 0.001°, centres from (102.0005, 27.9995); the last cell is nodata.
    for (let j = 0; j < 3; j++)
      for (let i = 0; i < 3; i++) rows.push(`${102.0005 + i * 0.001} ${27.9995 - j * 0.001} ${i === 2 && j === 2 ? -32768 : -20 + 100 * i + j}`);
    fs.writeFileSync(path.join(dir, 'dem.xyz'), rows.join('\n'));
    const file = path.join(dir, 'dem.tif');
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:4326', '-ot', 'Int16', '-a_nodata', '-32768', path.join(dir, 'dem.xyz'), file]);
    const at = await readDemFile(file);
    expect(at(102.0005, 27.9995)).toBeCloseTo(-20, 6);
    expect(at(102.0005, 27.9985)).toBeCloseTo(-19, 6);
    expect(at(102.001, 27.999)).toBeCloseTo(30.5, 6); // between four cells
    expect(at(102.0025, 27.9975)).toBeNaN(); // the nodata cell
  });
});

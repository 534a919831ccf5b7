import { describe, expect, it } from 'vitest';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { PoorBlock } from '../scan/scan-row';
import type { ScanPlan } from '../scan/scan-plan';
import { poorBlockFeatures } from './quality-map';

describe('poorBlockFeatures', () => {
  it('lists poor blocks in reading order whatever order the threads found them in', () => {
    const quality = { sharpness: 1, clippedShare: 0, darkShare: 0, stdLuma: 10, darkChannelP5: 0, nodataShare: 0 } as PoorBlock['quality'];
    const block = (x: number, y: number): PoorBlock => ({ box: [x, y, x + 64, y + 64], reasons: ['blurred'], quality });
    // Rows finished out of order by two threads: the second row's blocks first.
    const found = [block(64, 64), block(0, 64), block(128, 0), block(0, 0)];
    const src = { width: 1000, height: 1000, pixelToWgs84: (x: number, y: number) => [x, -y] } as unknown as GeoTiffSource;
    const plan = { fx: 1, fy: 1 } as ScanPlan;
    const corners = poorBlockFeatures('a.tif', found, plan, src).map((f) => (f.geometry.coordinates as number[][][])[0][0]);
    expect(corners).toEqual([
      [0, -0],
      [128, -0],
      [0, -64],
      [64, -64],
    ]);
  });
});

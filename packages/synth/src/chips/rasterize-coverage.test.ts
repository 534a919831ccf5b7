import { describe, expect, it } from 'vitest';
import { rasterizeCoverage } from './rasterize-coverage';
import { resampleBox } from './resample-box';

describe('rasterizeCoverage', () => {
  it('fills a pixel-aligned square fully and a half-covered cell by half', () => {
    const m = rasterizeCoverage(
      [
        [
          [
            [1, 1],
            [3, 1],
            [3, 3],
            [1, 3],
            [1, 1],
          ],
        ],
      ],
      4,
      4,
    );
    expect(Array.from(m)).toEqual([0, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0]);
    const h = rasterizeCoverage(
      [
        [
          [
            [0, 0],
            [0.5, 0],
            [0.5, 1],
            [0, 1],
          ],
        ],
      ],
      1,
      1,
    );
    expect(h[0]).toBe(128);
  });
  it('honours holes', () => {
    const m = rasterizeCoverage(
      [
        [
          [
            [0, 0],
            [3, 0],
            [3, 3],
            [0, 3],
          ],
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 2],
          ],
        ],
      ],
      3,
      3,
    );
    expect(m[4]).toBe(0);
    expect(m[0]).toBe(255);
  });
});

describe('resampleBox', () => {
  it('averages 2 × 2 blocks exactly and 1.5 × 1.5 blocks by area', () => {
    const src = new Uint8Array([0, 0, 0, 100, 100, 100, 200, 200, 200, 40, 40, 40].flatMap((v) => [v]));
    // 2 × 2 image (RGB): values 0, 100 / 200, 40 → mean 85
    const out = new Uint8Array(3);
    resampleBox(src, 2, 0, 2, 2, out, 1, 0, 1);
    expect(Array.from(out)).toEqual([85, 85, 85]);
    const s3 = new Uint8Array(9 * 3);
    [0, 30, 60, 90, 120, 150, 180, 210, 240].forEach((v, i) => s3.fill(v, i * 3, i * 3 + 3));
    const o2 = new Uint8Array(2 * 2 * 3);
    resampleBox(s3, 3, 0, 3, 1.5, o2, 2, 0, 2);
    // Top-left output covers [0,1.5)²: weights 1,0.5 / 0.5,0.25 over 0,30 / 90,120 → (0+15+45+30)/2.25 = 40
    expect(o2[0]).toBe(40);
  });
});

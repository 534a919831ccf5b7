import { describe, expect, it } from 'vitest';
import { largestColourSample, rangeHolding } from './sample-range';

describe('the range 16-bit samples were stored in', () => {
  it('is the smallest of 8, 10, 12, 14 and 16 bits holding the largest value', () => {
    expect([0, 200, 255, 256, 1023, 1024, 3000, 4095, 4096, 16383, 16384, 65535].map(rangeHolding)).toEqual([
      255, 255, 255, 1023, 1023, 4095, 4095, 4095, 16383, 16383, 65535, 65535,
    ]);
  });

  it('counts colour samples only: not alpha, not the nodata value, not pixels whose alpha is 0', () => {
    // RGBA pixels: alpha 65535 on the first, 0 on the second (its colour is ignored), and a nodata pixel.
    const px = [100, 4000, 300, 65535, 60000, 60000, 60000, 0, 65000, 65000, 65000, 65535];
    expect(largestColourSample(px, 4, 3, 3, 65000)).toBe(4000);
    expect(largestColourSample(px, 4, 3, 3)).toBe(65000);
    // Grey and alpha: one colour sample.
    expect(largestColourSample([900, 1, 70, 0], 2, 1, 1)).toBe(900);
  });
});

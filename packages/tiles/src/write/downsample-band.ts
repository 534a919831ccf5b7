/** Which pixels of a band are valid when averaging: by alpha (last band) or by a nodata value. */
export interface ValidityRule {
  /** The last band is alpha; a pixel is valid when alpha > 0. */
  alpha: boolean;
  /** A pixel whose every band equals this value (or is NaN when NaN) is invalid. */
  noData?: number;
}

/**
 * Halves a pixel-interleaved band in both directions by averaging each 2×2 block over its valid pixels.
 * Edge columns/rows of odd-sized inputs average what is there. Invalid outputs are 0 alpha or nodata.
 * @returns the downsampled band, `ceil(width/2) × ceil(rows/2)` pixels.
 */
export function downsampleBand<T extends Uint8Array | Float32Array>(src: T, width: number, rows: number, bands: number, rule: ValidityRule): T {
  const ow = Math.ceil(width / 2);
  const oh = Math.ceil(rows / 2);
  const out = new (src.constructor as { new (n: number): T })(ow * oh * bands);
  const isFloat = src instanceof Float32Array;
  const nd = rule.noData;
  const ndIsNaN = nd !== undefined && Number.isNaN(nd);
  const colorBands = rule.alpha ? bands - 1 : bands;
  const sums = new Float64Array(bands);
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * 2;
    const y1 = Math.min(y0 + 1, rows - 1);
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * 2;
      const x1 = Math.min(x0 + 1, width - 1);
      sums.fill(0);
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const y = k < 2 ? y0 : y1;
        const x = k % 2 === 0 ? x0 : x1;
        if ((k === 1 || k === 3) && x1 === x0) continue;
        if (k >= 2 && y1 === y0) continue;
        const p = (y * width + x) * bands;
        if (rule.alpha) {
          if (src[p + bands - 1] === 0) continue;
        } else if (nd !== undefined) {
          let all = true;
          for (let b = 0; b < bands; b++) {
            const v = src[p + b];
            if (!(ndIsNaN ? Number.isNaN(v) : v === nd)) {
              all = false;
              break;
            }
          }
          if (all) continue;
        }
        for (let b = 0; b < colorBands; b++) sums[b] += src[p + b];
        n++;
      }
      const q = (oy * ow + ox) * bands;
      if (n === 0) {
        for (let b = 0; b < bands; b++) out[q + b] = rule.alpha ? 0 : (nd ?? 0);
        continue;
      }
      for (let b = 0; b < colorBands; b++) out[q + b] = isFloat ? sums[b] / n : Math.round(sums[b] / n);
      if (rule.alpha) out[q + bands - 1] = 255;
    }
  }
  return out;
}

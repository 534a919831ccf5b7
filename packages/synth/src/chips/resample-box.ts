/**
 * Area-average (box filter) downsampling of RGB rows by a real factor `f` ≥ 1 (output pixel = f × f
 * source pixels). Works on a band: `src` holds source rows [srcRow0, srcRow0 + srcRows) of width
 * `srcWidth`; output rows [outRow0, outRow0 + outRows) are written to `out` (width `outWidth`).
 */
export function resampleBox(
  src: Uint8Array,
  srcWidth: number,
  srcRow0: number,
  srcRows: number,
  f: number,
  out: Uint8Array,
  outWidth: number,
  outRow0: number,
  outRows: number,
): void {
  const acc = new Float64Array(outWidth * 3);
  for (let oy = 0; oy < outRows; oy++) {
    acc.fill(0);
    const a = (outRow0 + oy) * f,
      b = a + f;
    let wsum = 0;
    for (let sy = Math.floor(a); sy < Math.ceil(b - 1e-9); sy++) {
      const wy = Math.min(b, sy + 1) - Math.max(a, sy);
      const r = sy - srcRow0;
      if (wy <= 1e-9 || r < 0 || r >= srcRows) continue;
      wsum += wy;
      const base = r * srcWidth * 3;
      for (let ox = 0; ox < outWidth; ox++) {
        const ax = ox * f,
          bx = ax + f;
        let s0 = 0,
          s1 = 0,
          s2 = 0;
        for (let sx = Math.floor(ax); sx < Math.ceil(bx - 1e-9) && sx < srcWidth; sx++) {
          const wx = Math.min(bx, sx + 1) - Math.max(ax, sx);
          const p = base + sx * 3;
          s0 += wx * src[p];
          s1 += wx * src[p + 1];
          s2 += wx * src[p + 2];
        }
        acc[ox * 3] += wy * s0;
        acc[ox * 3 + 1] += wy * s1;
        acc[ox * 3 + 2] += wy * s2;
      }
    }
    const norm = 1 / (wsum * f || 1);
    const o = oy * outWidth * 3;
    for (let k = 0; k < outWidth * 3; k++) out[o + k] = Math.min(255, Math.round(acc[k] * norm));
  }
}

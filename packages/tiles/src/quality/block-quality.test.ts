import { describe, expect, it } from 'vitest';
import { blockQuality, judgeBlock, DEFAULT_QUALITY } from './block-quality';

const W = 96;
/** A textured field: smooth variation plus deterministic fine grain (what a sharp photo of crops looks like). */
function texture(): Uint8Array {
  const rgb = new Uint8Array(W * W * 3);
  let seed = 7;
  for (let i = 0; i < W * W; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const grain = ((seed >>> 16) % 61) - 30;
    const x = i % W,
      y = Math.floor(i / W);
    const base = 110 + 25 * Math.sin(x / 9) * Math.cos(y / 13);
    rgb[3 * i] = base + grain * 0.8;
    rgb[3 * i + 1] = base + 20 + grain;
    rgb[3 * i + 2] = base - 30 + grain * 0.6;
  }
  return rgb;
}
const boxBlur = (rgb: Uint8Array, r: number) => {
  const o = new Uint8Array(rgb.length);
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) {
        let a = 0,
          k = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            a += rgb[3 * (Math.min(W - 1, Math.max(0, y + dy)) * W + Math.min(W - 1, Math.max(0, x + dx))) + c];
            k++;
          }
        o[3 * (y * W + x) + c] = a / k;
      }
  return o;
};
const map = (rgb: Uint8Array, f: (v: number) => number) => rgb.map((v) => Math.max(0, Math.min(255, Math.round(f(v)))));
const valid = new Uint8Array(W * W).fill(1);
const judge = (rgb: Uint8Array, v = valid) => judgeBlock(blockQuality(rgb, v, W, 0, 0, W, W));

describe('blockQuality / judgeBlock', () => {
  it('passes a sharp textured block, and names each kind of poor one', () => {
    const sharp = texture();
    expect(blockQuality(sharp, valid, W, 0, 0, W, W).sharpness).toBeGreaterThan(DEFAULT_QUALITY.minSharpness);
    expect(judge(sharp)).toEqual([]);
    expect(judge(boxBlur(boxBlur(boxBlur(sharp, 1), 1), 1))).toEqual(['blurred']); // three 3-px box passes: a Gaussian-like blur, σ ≈ 1.4 px
    expect(judge(boxBlur(sharp, 1))).toEqual([]); // one 3-px box pass keeps enough fine detail to pass
    expect(judge(map(sharp, (v) => v * 2.6))).toContain('overexposed');
    expect(judge(map(sharp, (v) => v * 0.12))).toEqual(['dark']);
    expect(judge(map(sharp, (v) => 0.3 * v + 0.7 * 215))).toEqual(['hazy']);
  });

  it('does not call a uniform field blurred (no texture to judge), nor judge a block that is all nodata', () => {
    const flat = new Uint8Array(W * W * 3).fill(140);
    expect(judge(flat)).toEqual([]);
    const q = blockQuality(texture(), new Uint8Array(W * W), W, 0, 0, W, W);
    expect(q.nodataShare).toBe(1);
    expect(judgeBlock(q)).toEqual([]);
  });

  it('measures only the block asked for, and only its valid pixels', () => {
    const rgb = texture();
    const half = new Uint8Array(W * W);
    for (let i = 0; i < W * W; i++) half[i] = i % W < W / 2 ? 1 : 0;
    const q = blockQuality(rgb, half, W, 0, 0, W, W);
    expect(q.nodataShare).toBeCloseTo(0.5, 6);
    const right = blockQuality(
      map(rgb, (v) => (v > 0 ? 255 : 0)),
      valid,
      W,
      W / 2,
      0,
      W,
      W,
    );
    expect(right.clippedShare).toBe(1);
  });
});

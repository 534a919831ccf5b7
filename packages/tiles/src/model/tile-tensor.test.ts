import { describe, expect, it } from 'vitest';
import type { ModelCard } from './model-card';
import { writeTileTensor, writeTileTensorFrom } from './tile-tensor';

const cardOf = (channels: ('R' | 'G' | 'B')[], size = 2) =>
  ({ input: { name: 'image', size, channels, scale: 255, mean: channels.map(() => 0.5), std: channels.map(() => 0.25) } }) as unknown as ModelCard;

/** A window 3 pixels wide, 2 rows: pixel (x, y) has R = 10·(x + 3y), G = R + 1, B = R + 2. */
const window3x2 = Uint8Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3));
const norm = (v: number) => Math.fround((v / 255 - 0.5) / 0.25);

describe('writeTileTensorFrom', () => {
  it('writes the tile at column ox of a wider window as normalised planes, in slot order', () => {
    const out = new Float32Array(2 * 3 * 4).fill(9);
    writeTileTensorFrom(window3x2, new Uint8Array(6), 3, 1, true, cardOf(['R', 'G', 'B']), out, 1);
    // Slot 0 untouched; slot 1: R plane of pixels (1,0) (2,0) (1,1) (2,1), then G, then B.
    expect([...out.subarray(0, 12)]).toEqual(Array(12).fill(9));
    const r = [10, 20, 40, 50];
    expect([...out.subarray(12)]).toEqual([...r, ...r.map((v) => v + 1), ...r.map((v) => v + 2)].map(norm));
  });

  it('gives invalid pixels 0 (the mean) in every plane, and follows the card channel order', () => {
    const valid = Uint8Array.from([1, 1, 0, 1, 1, 1]);
    const out = new Float32Array(3 * 4);
    writeTileTensorFrom(window3x2, valid, 3, 1, false, cardOf(['B', 'G', 'R']), out, 0);
    const b = [12, 0, 42, 52].map(norm);
    b[1] = 0;
    expect([...out.subarray(0, 4)]).toEqual(b);
    expect(out[5]).toBe(0);
    expect(out[9]).toBe(0);
    expect([...out.subarray(8)]).toEqual([norm(10), 0, norm(40), norm(50)]);
  });

  it('writes the same values as writeTileTensor for a tile on its own, whatever the channel count', () => {
    for (const channels of [['R', 'G', 'B'], ['G'], ['B', 'R']] as ('R' | 'G' | 'B')[][]) {
      const card = cardOf(channels, 3);
      const rgb = Uint8Array.from({ length: 27 }, (_, i) => (i * 37) % 256);
      const valid = Uint8Array.from({ length: 9 }, (_, i) => (i % 4 ? 1 : 0));
      const a = new Float32Array(channels.length * 9);
      const b = new Float32Array(channels.length * 9);
      writeTileTensor(rgb, valid, card, a, 0);
      writeTileTensorFrom(rgb, valid, 3, 0, false, card, b, 0);
      expect([...b]).toEqual([...a]);
    }
  });
});

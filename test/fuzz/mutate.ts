import { mulberry32 } from '@tiandi/geo';
/** A seeded pseudo-random generator in [0, 1) (mulberry32): the same seed gives the same run. */
export type Rng = () => number;

export function rng(seed: number): Rng {
  return mulberry32(seed);
}

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x22, 0x2c, 0x0a];
const INTERESTING_32 = [0, 1, 2, 16, 0xff, 0xffff, 0x7fff, 0x8000, 0x10000, 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff];

/**
 * One child of `parent`: one to four stacked byte-level mutations (bit flips, interesting bytes and words in
 * either byte order, deletions, duplications, dictionary words, a splice with `other`), as AFL's havoc stage.
 */
export function mutate(parent: Uint8Array, other: Uint8Array, random: Rng, dictionary: readonly Uint8Array[], maxBytes: number): Uint8Array {
  let b: Uint8Array = Uint8Array.from(parent);
  const int = (n: number) => Math.floor(random() * n);
  const stack = 1 + int(4);
  for (let k = 0; k < stack; k++) {
    const at = int(Math.max(1, b.length));
    switch (int(dictionary.length ? 9 : 8)) {
      case 0:
        if (b.length) b[at] ^= 1 << int(8);
        break;
      case 1:
        if (b.length) b[at] = INTERESTING_8[int(INTERESTING_8.length)];
        break;
      case 2: {
        if (b.length < 4) break;
        const p = int(b.length - 3);
        const v = INTERESTING_32[int(INTERESTING_32.length)];
        const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
        if (random() < 0.5) view.setUint16(p, v & 0xffff, random() < 0.5);
        else view.setUint32(p, v >>> 0, random() < 0.5);
        break;
      }
      case 3: {
        const n = 1 + int(Math.min(64, Math.max(1, b.length >> 2)));
        b = concat(b.subarray(0, at), b.subarray(at + n));
        break;
      }
      case 4: {
        const from = int(Math.max(1, b.length));
        const n = 1 + int(Math.min(64, Math.max(1, b.length - from)));
        b = concat(b.subarray(0, at), b.subarray(from, from + n), b.subarray(at));
        break;
      }
      case 5:
        if (b.length) b[at] = int(256);
        break;
      case 6: {
        const cut = int(other.length + 1);
        b = concat(b.subarray(0, at), other.subarray(cut));
        break;
      }
      case 7: {
        // A small integer or number as text, for text formats.
        const words = ['0', '-1', '1e999', '-0', 'NaN', '65535', '4294967296', '1.5', '999999999999'];
        b = concat(b.subarray(0, at), new TextEncoder().encode(words[int(words.length)]), b.subarray(at));
        break;
      }
      case 8: {
        const w = dictionary[int(dictionary.length)];
        b = random() < 0.5 ? concat(b.subarray(0, at), w, b.subarray(at)) : concat(b.subarray(0, at), w, b.subarray(at + w.length));
        break;
      }
    }
  }
  return b.length > maxBytes ? b.subarray(0, maxBytes) : b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

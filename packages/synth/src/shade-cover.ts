import { hash2 } from './prng';
import { Cover, type Parcel } from './scene-types';

/**
 * Colour of a field parcel's cover at scene point (x, y) with grid coordinates (u, v), written to
 * `out` as RGB floats. `lf` is low-frequency noise in [0, 1) shared by the pixel.
 */
export function shadeCover(p: Parcel, x: number, y: number, u: number, v: number, lf: number, out: Float64Array): void {
  const t = p.tint * (0.85 + 0.3 * lf);
  const w = p.rowAxis === 0 ? v : u;
  const sp = p.rowSpacingM;
  const phase = w / sp - Math.floor(w / sp);
  const fine = hash2(Math.floor(x * 25), Math.floor(y * 25), p.seed);
  switch (p.cover) {
    case Cover.Soil:
      return set(out, 132 * t, 104 * t, 78 * t, fine, 10);
    case Cover.Ploughed: {
      const f = w * 2.5 - Math.floor(w * 2.5) < 0.5 ? 0.8 : 1.05;
      return set(out, 122 * t * f, 95 * t * f, 70 * t * f, fine, 12);
    }
    case Cover.Wheat: {
      const f = phase < 0.35 ? 0.85 : 1;
      return set(out, 82 * t * f, 132 * t * f, 50 * t * f, fine, 14);
    }
    case Cover.Rapeseed: {
      if (fine < 0.62) return set(out, 228 * t, 206 * t, 52 * t, hash2(Math.floor(x * 40), Math.floor(y * 40), 7), 20);
      return set(out, 88 * t, 128 * t, 42 * t, fine, 12);
    }
    case Cover.Vegetables: {
      const c = 0.5;
      const ix = Math.floor(u / c);
      const d = Math.abs(u - (ix + 0.5) * c);
      if (phase < 0.55 && d < 0.2 + 0.05 * fine) return set(out, 72 * t, 128 * t, 52 * t, fine, 16);
      return set(out, 120 * t, 98 * t, 74 * t, fine, 10);
    }
    case Cover.Brassica: {
      const c = 0.5;
      const iu = Math.floor(u / c),
        iv = Math.floor(v / c);
      const du = u - (iu + 0.5) * c,
        dv = v - (iv + 0.5) * c;
      const d2 = du * du + dv * dv;
      const rr = 0.19 + 0.04 * hash2(iu, iv, p.seed);
      if (d2 < rr * rr) {
        const k = 1.15 - (0.4 * Math.sqrt(d2)) / rr;
        return set(out, 112 * t * k, 150 * t * k, 134 * t * k, fine, 12);
      }
      return set(out, 118 * t, 96 * t, 72 * t, fine, 10);
    }
    case Cover.Garlic: {
      if (phase < 0.6) return set(out, 102 * t, 144 * t, 124 * t, fine, 18);
      return set(out, 116 * t, 96 * t, 74 * t, fine, 10);
    }
    case Cover.Orchard:
    case Cover.Fallow: {
      if (fine < 0.2) return set(out, 128 * t, 108 * t, 80 * t, fine, 10);
      return set(out, 104 * t, 128 * t, 62 * t, fine, 18);
    }
    case Cover.Tea: {
      const tw = w + 0.6 * Math.sin(u / 6);
      const ph = tw / 1.5 - Math.floor(tw / 1.5);
      if (ph < 0.72) {
        const k = 0.8 + 0.35 * Math.sin((ph / 0.72) * Math.PI);
        return set(out, 50 * t * k, 98 * t * k, 44 * t * k, fine, 14);
      }
      return set(out, 112 * t, 92 * t, 70 * t, fine, 8);
    }
    case Cover.Mulch: {
      const ph = w / 1.2 - Math.floor(w / 1.2);
      if (ph < 0.6) {
        const k = 0.9 + 0.2 * lf;
        return set(out, 206 * k, 212 * k, 214 * k, fine, 18);
      }
      return set(out, 118 * t, 96 * t, 72 * t, fine, 10);
    }
    case Cover.VillageGround:
      if (lf > 0.6) return set(out, 100 * t, 122 * t, 62 * t, fine, 14);
      return set(out, 158 * t, 144 * t, 120 * t, fine, 10);
    default:
      return set(out, 60, 80, 76, fine, 6);
  }
}

/** Writes an RGB colour plus ±amp/2 texture noise from `n` in [0, 1). */
export function set(out: Float64Array, r: number, g: number, b: number, n: number, amp: number): void {
  const d = (n - 0.5) * amp;
  out[0] = r + d;
  out[1] = g + d;
  out[2] = b + d;
}

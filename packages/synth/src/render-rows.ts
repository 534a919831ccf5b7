import { hash2 } from './prng';
import { Kind } from './scene-types';
import { shadeCover } from './shade-cover';
import { shadeObject } from './shade-object';
import { valueNoise } from './noise';
import { shapeHit } from './shapes';
import type { SceneLayout } from './scene-layout';
import { photoGain, type CameraLook } from './variety';

const HAZE: [number, number, number] = [196, 202, 210];

/**
 * Renders image rows [row0, row0 + nRows) of a scene at `gsdM` into `out` (RGB, 8 bit, interleaved,
 * `widthPx * nRows * 3` bytes). Rows are independent, so a scene renders band by band in bounded
 * memory. Blur (when the look has it) is applied across columns and with the rows just above and below,
 * which are rendered too.
 */
export function renderRows(l: SceneLayout, gsdM: number, widthPx: number, row0: number, nRows: number, out: Uint8Array): void {
  if (l.look.camera) return renderRowsCamera(l, l.look.camera, gsdM, widthPx, row0, nRows, out);
  const blur = l.look.blur;
  const pad = blur > 0 ? 1 : 0;
  const rowsF = nRows + 2 * pad;
  const buf = new Float32Array(rowsF * widthPx * 3);
  const ss = gsdM >= 0.065 ? 2 : 1;
  const rgb = new Float64Array(3);
  const acc = new Float64Array(3);
  const { look } = l;
  const br = look.brightness;
  const tr = look.tint[0] * br,
    tg = look.tint[1] * br,
    tb = look.tint[2] * br;
  const hz = look.haze;
  for (let j = 0; j < rowsF; j++) {
    const py = row0 - pad + j;
    for (let px = 0; px < widthPx; px++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) * gsdM,
            y = (py + (sy + 0.5) / ss) * gsdM;
          shadePoint(l, x, y, rgb);
          acc[0] += rgb[0];
          acc[1] += rgb[1];
          acc[2] += rgb[2];
        }
      }
      const n = (hash2(px, py, l.seed) - 0.5) * 2 * look.noise;
      const o = (j * widthPx + px) * 3;
      const inv = 1 / (ss * ss);
      buf[o] = acc[0] * inv * tr * (1 - hz) + HAZE[0] * hz + n;
      buf[o + 1] = acc[1] * inv * tg * (1 - hz) + HAZE[1] * hz + n;
      buf[o + 2] = acc[2] * inv * tb * (1 - hz) + HAZE[2] * hz + n;
    }
  }
  const w = blur,
    wc = 1 - 2 * blur;
  for (let j = 0; j < nRows; j++) {
    const jj = j + pad;
    for (let px = 0; px < widthPx; px++) {
      for (let ch = 0; ch < 3; ch++) {
        let v: number;
        const o = (jj * widthPx + px) * 3 + ch;
        if (pad) {
          const l1 = px > 0 ? o - 3 : o,
            r1 = px < widthPx - 1 ? o + 3 : o;
          const h = buf[l1] * w + buf[o] * wc + buf[r1] * w;
          const up = buf[o - widthPx * 3],
            dn = buf[o + widthPx * 3];
          v = up * w + h * wc + dn * w;
        } else v = buf[o];
        out[(j * widthPx + px) * 3 + ch] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
      }
    }
  }
}

/**
 * renderRows for a wide-world scene: as above, and the camera's processing besides: nearest-neighbour resampling
 * (pixels duplicated by `resampleK`), each photo's vignetting and exposure (seamlines), blur along one axis
 * (motion) or both (focus), and an exposure curve.
 */
function renderRowsCamera(l: SceneLayout, cam: CameraLook, gsdM: number, widthPx: number, row0: number, nRows: number, out: Uint8Array): void {
  const { look } = l;
  const blur = look.blur;
  const pad = blur > 0 ? 1 : 0;
  const rowsF = nRows + 2 * pad;
  const buf = new Float32Array(rowsF * widthPx * 3);
  const ss = gsdM >= 0.065 ? 2 : 1;
  const rgb = new Float64Array(3),
    acc = new Float64Array(3),
    gain = new Float64Array(3);
  const br = look.brightness;
  const tr = look.tint[0] * br,
    tg = look.tint[1] * br,
    tb = look.tint[2] * br;
  const hz = look.haze,
    K = cam.resampleK;
  for (let j = 0; j < rowsF; j++) {
    const py = row0 - pad + j;
    const qy = K > 1 ? Math.floor(py / K) * K : py;
    for (let px = 0; px < widthPx; px++) {
      const qx = K > 1 ? Math.floor(px / K) * K : px;
      acc[0] = acc[1] = acc[2] = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          shadePoint(l, (qx + (sx + 0.5) / ss) * gsdM, (qy + (sy + 0.5) / ss) * gsdM, rgb);
          acc[0] += rgb[0];
          acc[1] += rgb[1];
          acc[2] += rgb[2];
        }
      }
      photoGain(cam, l.seed, (px + 0.5) * gsdM, (py + 0.5) * gsdM, gain);
      const n = (hash2(px, py, l.seed) - 0.5) * 2 * look.noise;
      const o = (j * widthPx + px) * 3;
      const inv = 1 / (ss * ss);
      buf[o] = acc[0] * inv * tr * gain[0] * (1 - hz) + HAZE[0] * hz + n;
      buf[o + 1] = acc[1] * inv * tg * gain[1] * (1 - hz) + HAZE[1] * hz + n;
      buf[o + 2] = acc[2] * inv * tb * gain[2] * (1 - hz) + HAZE[2] * hz + n;
    }
  }
  const wx = cam.blurAxis === 'y' ? 0 : blur,
    wy = cam.blurAxis === 'x' ? 0 : blur;
  for (let j = 0; j < nRows; j++) {
    const jj = j + pad;
    for (let px = 0; px < widthPx; px++) {
      for (let ch = 0; ch < 3; ch++) {
        const o = (jj * widthPx + px) * 3 + ch;
        let v = buf[o];
        if (pad) {
          const l1 = px > 0 ? o - 3 : o,
            r1 = px < widthPx - 1 ? o + 3 : o;
          const h = buf[l1] * wx + buf[o] * (1 - 2 * wx) + buf[r1] * wx;
          v = buf[o - widthPx * 3] * wy + h * (1 - 2 * wy) + buf[o + widthPx * 3] * wy;
        }
        v = v <= 0 ? 0 : 255 * Math.pow(v / 255, cam.gamma);
        out[(j * widthPx + px) * 3 + ch] = v > 255 ? 255 : v + 0.5;
      }
    }
  }
}

/** Colour of the scene at point (x, y) in metres, before lighting. */
export function shadePoint(l: SceneLayout, x: number, y: number, out: Float64Array): void {
  const idx = l.index;
  const cx = Math.floor(x / idx.cellM),
    cy = Math.floor(y / idx.cellM);
  const lf = valueNoise(x * 0.3, y * 0.3, l.seed);
  let shadow = false;
  if (cx >= 0 && cy >= 0 && cx < idx.nx && cy < idx.ny) {
    const list = idx.cells[cy * idx.nx + cx];
    for (let k = 0; k < list.length; k++) {
      const o = l.objects[list[k]];
      const b = o.bbox;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (!shapeHit(o.shape, x, y)) continue;
      if (o.kind === Kind.Shadow) {
        shadow = true;
        continue;
      }
      shadeObject(o, x, y, lf, out);
      if (shadow ? o.z < 6 || o.plant?.shaded : o.plant?.shaded && inShadow(l, list, k + 1, x, y)) dim(out);
      return;
    }
  }
  const u = x * l.cos + y * l.sin,
    v = -x * l.sin + y * l.cos;
  const ve = l.vEdges;
  let i = search(ve, v);
  const row = l.rows[Math.min(Math.max(i, 0), l.rows.length - 1)];
  const j = search(row.uEdges, u);
  const jj = Math.min(Math.max(j, 0), row.parcels.length - 1);
  const p = row.parcels[jj];
  const bh = l.bundHalfM;
  i = Math.min(Math.max(i, 0), l.rows.length - 1);
  if (v - ve[i] < bh || ve[i + 1] - v < bh || u - row.uEdges[jj] < bh || row.uEdges[jj + 1] - u < bh) {
    const f = hash2(Math.floor(x * 20), Math.floor(y * 20), 3);
    out[0] = 112 + 20 * f;
    out[1] = 118 + 14 * f;
    out[2] = 72 + 10 * f;
  } else shadeCover(p, x, y, u, v, lf, out);
  if (shadow) dim(out);
}

/** True when a shadow below the object at list[from - 1] falls on (x, y) (wide plots that take shade). */
function inShadow(l: SceneLayout, list: Int32Array, from: number, x: number, y: number): boolean {
  for (let k = from; k < list.length; k++) {
    const o = l.objects[list[k]];
    if (o.kind !== Kind.Shadow) continue;
    const b = o.bbox;
    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && shapeHit(o.shape, x, y)) return true;
  }
  return false;
}

function dim(out: Float64Array): void {
  out[0] *= 0.5;
  out[1] *= 0.52;
  out[2] *= 0.6;
}

/** Index i with a[i] <= v < a[i+1] (−1 when v < a[0]). */
function search(a: number[], v: number): number {
  let lo = 0,
    hi = a.length - 1;
  if (v < a[0]) return -1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (a[m] <= v) lo = m;
    else hi = m;
  }
  return lo;
}

import { pointInRing } from '@tiandi/geo';
import type { SceneObject, SceneXY, Shape } from './scene-types';

/** Bounding box [minX, minY, maxX, maxY] of a shape in scene metres. */
export function shapeBbox(s: Shape): [number, number, number, number] {
  switch (s.type) {
    case 'circle':
      return [s.cx - s.r, s.cy - s.r, s.cx + s.r, s.cy + s.r];
    case 'rect': {
      const ex = Math.abs(s.hw * s.cos) + Math.abs(s.hh * s.sin);
      const ey = Math.abs(s.hw * s.sin) + Math.abs(s.hh * s.cos);
      return [s.cx - ex, s.cy - ey, s.cx + ex, s.cy + ey];
    }
    case 'poly':
      return ringBbox(s.ring);
    case 'line': {
      const b = ringBbox(s.pts);
      return [b[0] - s.halfWidth, b[1] - s.halfWidth, b[2] + s.halfWidth, b[3] + s.halfWidth];
    }
  }
}

/** Bounding box of a list of points. */
export function ringBbox(ring: readonly SceneXY[]): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of ring) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

/** True when scene point (x, y) lies inside the shape. */
export function shapeHit(s: Shape, x: number, y: number): boolean {
  switch (s.type) {
    case 'circle': {
      const dx = x - s.cx,
        dy = y - s.cy;
      return dx * dx + dy * dy < s.r * s.r;
    }
    case 'rect': {
      const dx = x - s.cx,
        dy = y - s.cy;
      const u = dx * s.cos + dy * s.sin;
      const v = -dx * s.sin + dy * s.cos;
      return u > -s.hw && u < s.hw && v > -s.hh && v < s.hh;
    }
    case 'poly':
      return pointInRing(x, y, s.ring);
    case 'line':
      return distToPolyline(s.pts, x, y) < s.halfWidth;
  }
}

/** Distance from a point to a polyline. */
export function distToPolyline(pts: readonly SceneXY[], x: number, y: number): number {
  let best = Infinity;
  for (let i = 1; i < pts.length; i++) {
    const [ax, ay] = pts[i - 1];
    const [bx, by] = pts[i];
    const dx = bx - ax,
      dy = by - ay;
    const l2 = dx * dx + dy * dy || 1e-12;
    let t = ((x - ax) * dx + (y - ay) * dy) / l2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = ax + t * dx - x,
      ey = ay + t * dy - y;
    const d = Math.sqrt(ex * ex + ey * ey);
    if (d < best) best = d;
  }
  return best;
}

/** Shoelace area of a ring in square metres. */
export function ringAreaM2(ring: readonly SceneXY[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(a) / 2;
}

/** The outline of a shape as a closed ring (circles as 24-gons, lines not supported). */
export function shapeRing(s: Shape): SceneXY[] {
  if (s.type === 'poly') return [...s.ring, s.ring[0]];
  if (s.type === 'circle') {
    const out: SceneXY[] = [];
    for (let i = 0; i <= 24; i++) {
      const a = (i / 24) * 2 * Math.PI;
      out.push([s.cx + s.r * Math.cos(a), s.cy + s.r * Math.sin(a)]);
    }
    return out;
  }
  if (s.type === 'rect') {
    const c: Array<[number, number]> = [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
      [-1, -1],
    ];
    return c.map(([a, b]) => [s.cx + a * s.hw * s.cos - b * s.hh * s.sin, s.cy + a * s.hw * s.sin + b * s.hh * s.cos]);
  }
  throw new Error('line shapes have no ring');
}

/** Builds an object with its bbox filled in. */
export function makeObject(o: Omit<SceneObject, 'bbox'>): SceneObject {
  return { ...o, bbox: shapeBbox(o.shape) };
}

/** An irregular blob ring of about `areaM2` around (cx, cy), elongated by `aspect` along angle `rot`. */
export function blobRingXY(cx: number, cy: number, areaM2: number, aspect: number, rot: number, rnd: () => number, n = 20): SceneXY[] {
  const harm = [1, 2, 3].map((k) => ({ k: k + 1, a: (0.16 / k) * rnd(), p: rnd() * 2 * Math.PI }));
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * 2 * Math.PI;
    let r = 1;
    for (const h of harm) r += h.a * Math.cos(h.k * t + h.p);
    pts.push([r * Math.cos(t) * Math.sqrt(aspect), (r * Math.sin(t)) / Math.sqrt(aspect)]);
  }
  const unit = ringAreaM2(pts);
  const s = Math.sqrt(areaM2 / unit);
  const c = Math.cos(rot),
    sn = Math.sin(rot);
  return pts.map(([u, v]) => [cx + s * (u * c - v * sn), cy + s * (u * sn + v * c)]);
}

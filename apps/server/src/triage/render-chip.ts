import sharp from 'sharp';
import { bboxOf, polygonsOf, type Polygonal, type Transformer } from '@tiandi/geo';
import type { GeoTiffSource } from '@tiandi/tiles/node';
import type { RasterSource } from '../tiles/raster-source';
import { heatColour } from '../tiles/render-tile';

/** Largest chip side, pixels: a 40-m plot at 5 cm with its margin still fits at full resolution. */
export const MAX_CHIP_PX = 1024;

/**
 * A PNG chip of the orthophoto around a target: the outline's bounding box grown `context`× about its centre
 * (1.5 for the chip, 4 or more for the surroundings), read at full resolution up to {@link MAX_CHIP_PX}, with
 * the target's outline drawn in. Null when the target is outside the image.
 */
export async function renderChip(
  reader: GeoTiffSource,
  toSource: Transformer,
  outline: Polygonal,
  opts: { context?: number; minPx?: number; heat?: RasterSource | null; signal?: AbortSignal } = {},
): Promise<Buffer | null> {
  const [g0, g1, g2, g3, g4, g5] = reader.geoTransform;
  const det = g1 * g5 - g2 * g4;
  const toPixel = ([lon, lat]: readonly [number, number]): [number, number] => {
    const [sx, sy] = toSource.forward([lon, lat]);
    const dx = sx - g0,
      dy = sy - g3;
    return [(g5 * dx - g2 * dy) / det, (-g4 * dx + g1 * dy) / det];
  };
  const [w, s, e, n] = bboxOf(outline);
  const corners = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
  ].map((c) => toPixel(c as [number, number]));
  const xs = corners.map((c) => c[0]),
    ys = corners.map((c) => c[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2,
    cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const side = Math.max(opts.minPx ?? 96, Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * (opts.context ?? 1.5));
  const sidePx = Math.round(side),
    x0 = Math.round(cx - side / 2),
    y0 = Math.round(cy - side / 2);
  const box = [x0, y0, x0 + sidePx, y0 + sidePx] as const;
  if (box[2] <= 0 || box[3] <= 0 || box[0] >= reader.width || box[1] >= reader.height) return null;
  const out = Math.min(MAX_CHIP_PX, box[2] - box[0]);
  const k = out / (box[2] - box[0]);
  const r = await reader.readWindow(box, out, out, opts.signal);
  const rgba = Buffer.alloc(out * out * 4);
  for (let i = 0; i < out * out; i++) {
    rgba[4 * i] = r.rgb[3 * i];
    rgba[4 * i + 1] = r.rgb[3 * i + 1];
    rgba[4 * i + 2] = r.rgb[3 * i + 2];
    rgba[4 * i + 3] = r.valid[i] ? 255 : 0;
  }
  if (opts.heat) {
    // Chip pixel → CRS of the image → WGS 84 → the heatmap's grid.
    const toCrs = (px: number, py: number): [number, number] => [
      g0 + (box[0] + (px + 0.5) / k) * g1 + (box[1] + (py + 0.5) / k) * g2,
      g3 + (box[0] + (px + 0.5) / k) * g4 + (box[1] + (py + 0.5) / k) * g5,
    ];
    await overlayHeat(rgba, out, (px, py) => opts.heat!.toSource.forward(toSource.inverse(toCrs(px, py))), opts.heat, opts.signal);
  }
  // The outline, one pixel wide, in yellow: where the detector drew the plot.
  for (const poly of polygonsOf(outline)) {
    for (const ring of poly) {
      for (let j = 1; j < ring.length; j++) {
        const [x0, y0] = toPixel(ring[j - 1] as [number, number]),
          [x1, y1] = toPixel(ring[j] as [number, number]);
        const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * k));
        for (let t = 0; t <= steps; t++) {
          const px = Math.round((x0 + ((x1 - x0) * t) / steps - box[0]) * k),
            py = Math.round((y0 + ((y1 - y0) * t) / steps - box[1]) * k);
          if (px < 0 || py < 0 || px >= out || py >= out) continue;
          const o = 4 * (py * out + px);
          rgba[o] = 255;
          rgba[o + 1] = 221;
          rgba[o + 2] = 0;
          rgba[o + 3] = 255;
        }
      }
    }
  }
  return sharp(rgba, { raw: { width: out, height: out, channels: 4 } })
    .png({ compressionLevel: 3 })
    .toBuffer();
}

/** Blends the heatmap's colour ramp (as on the map) over a chip, pixel by pixel, at the heatmap's full resolution. */
async function overlayHeat(
  rgba: Buffer,
  out: number,
  heatCrsOf: (px: number, py: number) => [number, number],
  heat: RasterSource,
  signal?: AbortSignal,
): Promise<void> {
  const level = heat.levels[0];
  const cell = (x: number, y: number) => [Math.floor((x - heat.originX) / level.resX), Math.floor((heat.originY - y) / level.resY)];
  const corners = [heatCrsOf(0, 0), heatCrsOf(out - 1, 0), heatCrsOf(0, out - 1), heatCrsOf(out - 1, out - 1)].map(([x, y]) => cell(x, y));
  const wx0 = Math.max(0, Math.min(...corners.map((c) => c[0]))),
    wy0 = Math.max(0, Math.min(...corners.map((c) => c[1])));
  const wx1 = Math.min(level.width, Math.max(...corners.map((c) => c[0])) + 1),
    wy1 = Math.min(level.height, Math.max(...corners.map((c) => c[1])) + 1);
  if (!(wx1 > wx0 && wy1 > wy0)) return;
  const ww = wx1 - wx0;
  const values = await heat.reader.readSamples(level.index, [wx0, wy0, wx1, wy1], signal);
  const px4 = new Uint8Array(4);
  for (let py = 0; py < out; py++) {
    for (let px = 0; px < out; px++) {
      const [c, r] = cell(...heatCrsOf(px, py));
      if (c < wx0 || r < wy0 || c >= wx1 || r >= wy1) continue;
      const v = values[((r - wy0) * ww + (c - wx0)) * heat.bands];
      if (v === heat.nodata || !Number.isFinite(v) || !heatColour(v / heat.scaleMax, px4, 0)) continue;
      const o = 4 * (py * out + px),
        a = px4[3] / 255;
      for (let b = 0; b < 3; b++) rgba[o + b] = Math.round(rgba[o + b] * (1 - a) + px4[b] * a);
    }
  }
}

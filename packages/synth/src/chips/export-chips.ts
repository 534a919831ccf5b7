import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { getCrs, transformer } from '@tiandi/geo';
import { createPrng } from '../prng';
import { SynthError, throwIfAborted } from '../errors';
import { readResampled } from './read-resampled';
import { rasterizeCoverage } from './rasterize-coverage';

/** Options of {@link exportChips}; validated once, unknown keys rejected. */
export const ChipOptionsSchema = z
  .object({
    /** Model ground sample distance: chips are resampled (area average) to it. */
    gsdM: z.number().min(0.01).max(2).default(0.15),
    /** Chip edge in pixels at gsdM. */
    sizePx: z.number().int().min(16).max(1024).default(128),
    /** Label property naming the class, and the value that is poppy. */
    classField: z.string().default('class'),
    positiveClass: z.string().default('poppy'),
    /** Chips per positive polygon (jittered so the polygon sits anywhere in the chip). */
    perPositive: z.number().int().min(0).max(50).default(3),
    /** Chips per other labelled polygon (hard negatives: look-alikes). */
    perNegativeLabel: z.number().int().min(0).max(10).default(1),
    /** Random chips per hectare of image. */
    randomPerHa: z.number().min(0).max(100).default(4),
    seed: z.number().int().default(1),
    /** Stem used in chip file names (default: image file name). */
    stem: z.string().optional(),
  })
  .strict();

export type ChipOptions = z.input<typeof ChipOptionsSchema>;

/** One chip as recorded in manifest.geojson. */
export interface ChipRecord {
  file: string;
  mask: string | null;
  class: string;
  source: string;
  window_px: [number, number, number, number];
  gsd_m: number;
  poppy_fraction: number;
}

type Ring = Array<[number, number]>;

/**
 * Exports labelled training chips from a GeoTIFF and polygon labels (GeoJSON in WGS 84):
 * `<out>/poppy/*.png` (with `*.mask.png`, coverage 0–255 of poppy at chip resolution) and
 * `<out>/background/*.png`, plus `<out>/manifest.geojson` recording each chip's footprint, source
 * and window. Appends to an existing manifest, so several images can share one chip folder — the
 * layout `models/poppy-synth/train.py` reads.
 */
export async function exportChips(
  imagePath: string, labels: { features: Array<{ properties?: Record<string, unknown> | null; geometry: { type: string; coordinates: unknown } | null }> },
  outDir: string, input: ChipOptions = {}, opts: { signal?: AbortSignal } = {},
): Promise<ChipRecord[]> {
  const parsed = ChipOptionsSchema.safeParse(input);
  if (!parsed.success) throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `切片参数无效 invalid chip option: ${z.prettifyError(parsed.error)}`);
  const o = parsed.data;
  const { rgb: small, width: w, height: h, factor: f, crs, geoTransform } = await readResampled(imagePath, o.gsdM, opts.signal);
  const [ox, rx, , oy, , ry] = geoTransform;
  const toCrs = transformer(getCrs(4326), crs);
  // 2. Labels in chip pixel coordinates.
  const toPx = ([lon, lat]: [number, number]): [number, number] => {
    const [x, y] = toCrs.forward([lon, lat]);
    return [(x - ox) / rx / f, (y - oy) / ry / f];
  };
  const pos: Ring[][] = [], neg: Ring[][] = [];
  for (const feat of labels.features) {
    const g = feat.geometry;
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : [];
    const isPos = String(feat.properties?.[o.classField] ?? '') === o.positiveClass;
    for (const p of polys) (isPos ? pos : neg).push(p.map((ring) => ring.map(toPx)));
  }
  const mask = rasterizeCoverage(pos, w, h, 4);
  // 3. Chip windows.
  const r = createPrng(o.seed);
  const S = o.sizePx;
  if (w < S || h < S) return [];
  const windows: Array<[number, number]> = [];
  const around = (ring: Ring, n: number) => {
    const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    for (let k = 0; k < n; k++) windows.push([clamp(Math.round(cx - r.range(0.15, 0.85) * S), 0, w - S), clamp(Math.round(cy - r.range(0.15, 0.85) * S), 0, h - S)]);
  };
  for (const p of pos) around(p[0], o.perPositive);
  for (const p of neg) around(p[0], o.perNegativeLabel);
  const nRandom = Math.round(((w * h * o.gsdM * o.gsdM) / 10_000) * o.randomPerHa);
  for (let k = 0; k < nRandom; k++) windows.push([r.int(0, w - S), r.int(0, h - S)]);
  // 4. Write chips and the manifest.
  const stem = o.stem ?? basename(imagePath).replace(/\.[^.]+$/, '');
  await mkdir(join(outDir, o.positiveClass), { recursive: true });
  await mkdir(join(outDir, 'background'), { recursive: true });
  const toLonLat = transformer(crs, getCrs(4326));
  const records: ChipRecord[] = [];
  const features: unknown[] = [];
  for (const [k, [x0, y0]] of windows.entries()) {
    throwIfAborted(opts.signal);
    const rgb = new Uint8Array(S * S * 3), m = new Uint8Array(S * S);
    let cover = 0;
    for (let y = 0; y < S; y++) {
      rgb.set(small.subarray(((y0 + y) * w + x0) * 3, ((y0 + y) * w + x0 + S) * 3), y * S * 3);
      m.set(mask.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + S), y * S);
    }
    for (let i = 0; i < m.length; i++) cover += m[i];
    const cls = cover > 0 ? o.positiveClass : 'background';
    const name = `${stem}-${String(k).padStart(4, '0')}`;
    const file = `${cls}/${name}.png`;
    await sharp(Buffer.from(rgb), { raw: { width: S, height: S, channels: 3 } }).png({ compressionLevel: 3 }).toFile(join(outDir, file));
    let maskFile: string | null = null;
    if (cover > 0) {
      maskFile = `${cls}/${name}.mask.png`;
      await sharp(Buffer.from(m), { raw: { width: S, height: S, channels: 1 } }).png({ compressionLevel: 3 }).toFile(join(outDir, maskFile));
    }
    const win: [number, number, number, number] = [Math.round(x0 * f), Math.round(y0 * f), Math.round(S * f), Math.round(S * f)];
    const rec: ChipRecord = { file, mask: maskFile, class: cls, source: imagePath, window_px: win, gsd_m: o.gsdM, poppy_fraction: Math.round((cover / 255 / m.length) * 1e4) / 1e4 };
    records.push(rec);
    const corner = (cx: number, cy: number) => toLonLat.forward([ox + cx * f * rx, oy + cy * f * ry]).map((v) => Math.round(v * 1e8) / 1e8);
    features.push({ type: 'Feature', properties: rec, geometry: { type: 'Polygon', coordinates: [[corner(x0, y0), corner(x0 + S, y0), corner(x0 + S, y0 + S), corner(x0, y0 + S), corner(x0, y0)]] } });
  }
  const manifestPath = join(outDir, 'manifest.geojson');
  const prev = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')).features as unknown[]) : [];
  await writeFile(manifestPath, JSON.stringify({ type: 'FeatureCollection', features: [...prev, ...features] }) + '\n');
  return records;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

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
  imagePath: string,
  labels: ChipLabels,
  outDir: string,
  input: ChipOptions = {},
  opts: { signal?: AbortSignal } = {},
): Promise<ChipRecord[]> {
  const parsed = ChipOptionsSchema.safeParse(input);
  if (!parsed.success) throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `切片参数无效 invalid chip option: ${z.prettifyError(parsed.error)}`);
  const o = parsed.data;
  const image = await readResampled(imagePath, o.gsdM, opts.signal);
  const { width: w, height: h } = image;
  const { pos, neg } = labelRingsPx(labels, image, o);
  const mask = rasterizeCoverage(pos, w, h, 4);
  const S = o.sizePx;
  if (w < S || h < S) return [];
  const windows = chipWindows(pos, neg, w, h, o);
  const stem = o.stem ?? basename(imagePath).replace(/\.[^.]+$/, '');
  await mkdir(join(outDir, o.positiveClass), { recursive: true });
  await mkdir(join(outDir, 'background'), { recursive: true });
  const footprint = chipFootprint(image, S);
  const records: ChipRecord[] = [];
  const features: unknown[] = [];
  for (const [k, [x0, y0]] of windows.entries()) {
    throwIfAborted(opts.signal);
    const chip = cutChip(image.rgb, mask, w, x0, y0, S);
    const cls = chip.cover > 0 ? o.positiveClass : 'background';
    const { file, maskFile } = await writeChip(outDir, `${cls}/${stem}-${String(k).padStart(4, '0')}`, chip, S);
    const f = image.factor;
    const win: [number, number, number, number] = [Math.round(x0 * f), Math.round(y0 * f), Math.round(S * f), Math.round(S * f)];
    const rec: ChipRecord = {
      file,
      mask: maskFile,
      class: cls,
      source: imagePath,
      window_px: win,
      gsd_m: o.gsdM,
      poppy_fraction: Math.round((chip.cover / 255 / chip.mask.length) * 1e4) / 1e4,
    };
    records.push(rec);
    features.push({ type: 'Feature', properties: rec, geometry: { type: 'Polygon', coordinates: [footprint(x0, y0)] } });
  }
  await appendToManifest(join(outDir, 'manifest.geojson'), features);
  return records;
}

/** Polygon labels in WGS 84, as GeoJSON features. */
type ChipLabels = { features: Array<{ properties?: Record<string, unknown> | null; geometry: { type: string; coordinates: unknown } | null }> };
type Resampled = Awaited<ReturnType<typeof readResampled>>;
type ParsedChipOptions = z.output<typeof ChipOptionsSchema>;

/** The label polygons in resampled pixel coordinates, split into poppy (positive) and the rest. */
function labelRingsPx(labels: ChipLabels, image: Resampled, o: ParsedChipOptions): { pos: Ring[][]; neg: Ring[][] } {
  const [ox, rx, , oy, , ry] = image.geoTransform;
  const f = image.factor;
  const toCrs = transformer(getCrs(4326), image.crs);
  const toPx = ([lon, lat]: [number, number]): [number, number] => {
    const [x, y] = toCrs.forward([lon, lat]);
    return [(x - ox) / rx / f, (y - oy) / ry / f];
  };
  const pos: Ring[][] = [],
    neg: Ring[][] = [];
  for (const feat of labels.features) {
    const g = feat.geometry;
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : [];
    const isPos = String(feat.properties?.[o.classField] ?? '') === o.positiveClass;
    for (const p of polys) (isPos ? pos : neg).push(p.map((ring) => ring.map(toPx)));
  }
  return { pos, neg };
}

/** Top-left corners of the chips: jittered around each labelled polygon, then random ones by area (seeded). */
function chipWindows(pos: Ring[][], neg: Ring[][], w: number, h: number, o: ParsedChipOptions): Array<[number, number]> {
  const r = createPrng(o.seed);
  const S = o.sizePx;
  const windows: Array<[number, number]> = [];
  const around = (ring: Ring, n: number) => {
    const xs = ring.map((p) => p[0]),
      ys = ring.map((p) => p[1]);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2,
      cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    for (let k = 0; k < n; k++)
      windows.push([clamp(Math.round(cx - r.range(0.15, 0.85) * S), 0, w - S), clamp(Math.round(cy - r.range(0.15, 0.85) * S), 0, h - S)]);
  };
  for (const p of pos) around(p[0], o.perPositive);
  for (const p of neg) around(p[0], o.perNegativeLabel);
  const nRandom = Math.round(((w * h * o.gsdM * o.gsdM) / 10_000) * o.randomPerHa);
  for (let k = 0; k < nRandom; k++) windows.push([r.int(0, w - S), r.int(0, h - S)]);
  return windows;
}

/** One chip's pixels and poppy mask, and the mask's sum (0 = no poppy). */
function cutChip(small: Uint8Array, mask: Uint8Array, w: number, x0: number, y0: number, S: number): { rgb: Uint8Array; mask: Uint8Array; cover: number } {
  const rgb = new Uint8Array(S * S * 3),
    m = new Uint8Array(S * S);
  let cover = 0;
  for (let y = 0; y < S; y++) {
    rgb.set(small.subarray(((y0 + y) * w + x0) * 3, ((y0 + y) * w + x0 + S) * 3), y * S * 3);
    m.set(mask.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + S), y * S);
  }
  for (let i = 0; i < m.length; i++) cover += m[i];
  return { rgb, mask: m, cover };
}

/** Writes `<name>.png`, and `<name>.mask.png` when the chip holds poppy; returns both paths relative to `outDir`. */
async function writeChip(
  outDir: string,
  name: string,
  chip: { rgb: Uint8Array; mask: Uint8Array; cover: number },
  S: number,
): Promise<{ file: string; maskFile: string | null }> {
  const file = `${name}.png`;
  await sharp(Buffer.from(chip.rgb), { raw: { width: S, height: S, channels: 3 } })
    .png({ compressionLevel: 3 })
    .toFile(join(outDir, file));
  if (!(chip.cover > 0)) return { file, maskFile: null };
  const maskFile = `${name}.mask.png`;
  await sharp(Buffer.from(chip.mask), { raw: { width: S, height: S, channels: 1 } })
    .png({ compressionLevel: 3 })
    .toFile(join(outDir, maskFile));
  return { file, maskFile };
}

/** The closed lon/lat ring (8 decimals) of the chip whose top-left resampled pixel is (x0, y0). */
function chipFootprint(image: Resampled, S: number): (x0: number, y0: number) => number[][] {
  const [ox, rx, , oy, , ry] = image.geoTransform;
  const f = image.factor;
  const toLonLat = transformer(image.crs, getCrs(4326));
  const corner = (cx: number, cy: number) => toLonLat.forward([ox + cx * f * rx, oy + cy * f * ry]).map((v) => Math.round(v * 1e8) / 1e8);
  return (x0, y0) => [corner(x0, y0), corner(x0 + S, y0), corner(x0 + S, y0 + S), corner(x0, y0 + S), corner(x0, y0)];
}

/** Appends features to the chip folder's manifest, so several images can share one folder. */
async function appendToManifest(manifestPath: string, features: unknown[]): Promise<void> {
  const prev = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')).features as unknown[]) : [];
  await writeFile(manifestPath, JSON.stringify({ type: 'FeatureCollection', features: [...prev, ...features] }) + '\n');
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

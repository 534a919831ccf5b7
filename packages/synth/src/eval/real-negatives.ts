import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { scanImages } from '@tiandi/tiles/node';
import { SynthError } from '../errors';

/** False candidates on one real image known to hold no poppy. */
export interface RealNegativeFile {
  file: string;
  areaKm2: number;
  gsdM: number;
  crs: string;
  /** Every candidate is false: the imagery holds no poppy. */
  candidates: number;
  /** Of those, candidates no second stage judged (`unverified: true`). */
  unverified: number;
  perKm2: number;
}

/** One folder of real negatives: its totals and each file. */
export interface RealNegativeFolder {
  /** The folder or pattern as given. */
  folder: string;
  files: RealNegativeFile[];
  areaKm2: number;
  candidates: number;
  unverified: number;
  perKm2: number;
  /** Images that could not be scanned, with the reason. */
  failed: Array<{ image: string; message: string }>;
}

const TIFF = /\.(tif|tiff)$/i;

/**
 * The GeoTIFFs a real-negative argument names, sorted: those directly in a folder, or those in a folder whose
 * names match a pattern with `*` (`real-aerial/harv-*.tif`, quoted so the shell leaves it alone).
 * @throws SynthError `TIANDI_E_BAD_REAL_NEGATIVES` naming the argument when it is unreadable or matches none.
 */
export function tiffsIn(arg: string, cwd = process.cwd()): string[] {
  const pattern = basename(arg).includes('*');
  const folder = resolve(cwd, pattern ? dirname(arg) : arg);
  const match = pattern
    ? new RegExp(
        '^' +
          basename(arg)
            .split('*')
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*') +
          '$',
        'i',
      )
    : TIFF;
  let names: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    names = readdirSync(folder);
  } catch {
    throw new SynthError('TIANDI_E_BAD_REAL_NEGATIVES', `--real-negatives '${arg}': '${folder}' is not a readable folder`);
  }
  const tifs = names.filter((n) => TIFF.test(n) && match.test(n)).sort();
  if (!tifs.length) throw new SynthError('TIANDI_E_BAD_REAL_NEGATIVES', `--real-negatives '${arg}' matches no .tif/.tiff file`);
  return tifs.map((n) => join(folder, n));
}

/** False candidates per km² (0 on no ground). */
export const perKm2 = (n: number, km2: number) => (km2 > 0 ? n / km2 : 0);

/**
 * Scans every GeoTIFF of each folder (real imagery known to hold no poppy) with the full scan pipeline and
 * counts its candidates, all of them false, per km² of imaged ground: per folder and per file.
 */
export async function evaluateRealNegatives(opts: {
  modelDir: string;
  folders: string[];
  cwd?: string;
  signal?: AbortSignal;
  onFolder?: (done: number, total: number) => void;
}): Promise<RealNegativeFolder[]> {
  const work = mkdtempSync(join(tmpdir(), 'tiandi-real-neg-'));
  const out: RealNegativeFolder[] = [];
  try {
    for (const [k, folder] of opts.folders.entries()) {
      const images = tiffsIn(folder, opts.cwd);
      const dir = join(work, `scan-${k}`);
      const summary = await scanImages({ images, modelDir: opts.modelDir, outDir: dir, signal: opts.signal });
      const failed = summary.failed.map((f) => ({ image: basename(f.image), message: f.message }));
      const files: RealNegativeFile[] = [];
      if (summary.out_dir) {
        const feet = JSON.parse(readFileSync(join(dir, 'footprint.geojson'), 'utf8')).features as Array<{
          properties: { image: string; area_km2: number; gsd_m: number; crs: string };
        }>;
        const cands = JSON.parse(readFileSync(join(dir, 'candidates.geojson'), 'utf8')).features as Array<{
          properties: { image: string; unverified?: boolean };
        }>;
        for (const f of feet) {
          const mine = cands.filter((c) => c.properties.image === f.properties.image);
          const area = f.properties.area_km2;
          files.push({
            file: f.properties.image,
            areaKm2: area,
            gsdM: f.properties.gsd_m,
            crs: String(f.properties.crs),
            candidates: mine.length,
            unverified: mine.filter((c) => c.properties.unverified).length,
            perKm2: perKm2(mine.length, area),
          });
        }
      }
      const areaKm2 = files.reduce((s, f) => s + f.areaKm2, 0);
      const candidates = files.reduce((s, f) => s + f.candidates, 0);
      out.push({ folder, files, areaKm2, candidates, unverified: files.reduce((s, f) => s + f.unverified, 0), perKm2: perKm2(candidates, areaKm2), failed });
      opts.onFolder?.(k + 1, opts.folders.length);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeScene } from '../write-scene';
import { buildDemoSurvey } from './demo-survey';
import { demoFlightBlocks, type DemoFlightBlock } from './demo-flight-blocks';
import { acquireDirLock } from './dir-lock';
import type { SceneOptionsInput } from '../scene-options';

/** Bumped whenever the generator's output changes, so stale caches are rebuilt. */
export const DEMO_IMAGERY_VERSION = 2;

/** Where the demo survey lives: the repository's seeds/ folder. */
export const DEFAULT_SEEDS_DIR = join(import.meta.dirname, '../../../../seeds');

/** Expected poppy plots per hectare in the demo blocks ("a few poppy plots"). */
const DEMO_PLOTS_PER_HA = 0.6;

/** A demo flight block with the paths of its imagery and its (separately kept) ground truth. */
export interface DemoImage extends DemoFlightBlock {
  path: string;
  truthPath: string;
}

/** Progress of {@link ensureDemoImagery}: pixel rows done over all blocks. */
export interface DemoProgress {
  block: string;
  blockIndex: number;
  blocks: number;
  rowsDone: number;
  rowsTotal: number;
}

/** The scene options of a demo block (exported so tests can regenerate any band). */
export function demoBlockScene(b: DemoFlightBlock): SceneOptionsInput {
  return {
    seed: b.seed,
    gsdM: b.gsdM,
    crs: b.crs,
    widthPx: b.widthPx,
    heightPx: b.heightPx,
    originXY: [b.originX, b.originY],
    plotsPerHa: DEMO_PLOTS_PER_HA,
    acquired: `${b.acquired}T03:00:00Z`,
  };
}

/**
 * Makes sure the demo imagery exists: 5 Cloud-Optimised GeoTIFFs (106 Mpx in all, EPSG:4522) under
 * `seeds/.generated/`, generated deterministically on first use and reused afterwards (a stamp file
 * records the generator version). Ground truth goes to `seeds/.generated/truth/`, apart from the imagery.
 * @example
 * const blocks = await ensureDemoImagery({ onProgress: (p) => bar.update(p.rowsDone / p.rowsTotal) });
 */
export async function ensureDemoImagery(opts: { seedsDir?: string; onProgress?: (p: DemoProgress) => void; signal?: AbortSignal } = {}): Promise<DemoImage[]> {
  const seedsDir = opts.seedsDir ?? DEFAULT_SEEDS_DIR;
  const outDir = join(seedsDir, '.generated');
  const truthDir = join(outDir, 'truth');
  const { blocks } = demoFlightBlocks(buildDemoSurvey());
  const images = blocks.map((b) => ({ ...b, path: join(outDir, b.file), truthPath: join(truthDir, b.file.replace(/\.tif$/, '.truth.geojson')) }));
  const stampPath = join(outDir, 'stamp.json');
  const stamp = JSON.stringify({ version: DEMO_IMAGERY_VERSION, blocks });
  const isFresh = () =>
    existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp && images.every((i) => existsSync(i.path) && existsSync(i.truthPath));
  if (isFresh()) return images;
  await mkdir(truthDir, { recursive: true });
  // Several processes (parallel test files, a server and a CLI) may ask at once: one generates, the others
  // wait for it and then find the imagery fresh, so no two write the same files.
  const release = await acquireDirLock(join(outDir, '.generating.lock'), opts.signal);
  try {
    if (isFresh()) return images;
    const rowsTotal = blocks.reduce((t, b) => t + b.heightPx, 0);
    let before = 0;
    for (const [k, img] of images.entries()) {
      const w = await writeScene(demoBlockScene(img), outDir, {
        name: img.file.replace(/\.tif$/, ''),
        signal: opts.signal,
        onProgress: (rowsDone) => opts.onProgress?.({ block: img.id, blockIndex: k, blocks: blocks.length, rowsDone: before + rowsDone, rowsTotal }),
      });
      await rename(w.truthPath, img.truthPath);
      before += img.heightPx;
    }
    await writeFile(stampPath, stamp);
    return images;
  } finally {
    await release();
  }
}

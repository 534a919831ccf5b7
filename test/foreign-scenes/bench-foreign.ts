/**
 * npm run bench:foreign -- [--generator foreign|third] [--scenes 12] [--seed 500] [--size-m 110] [--gsd 0.03,0.05,...] [--model models/poppy-synth] [--keep DIR] [--misses DIR]
 *
 * --generator third uses test/third-scenes/third_scenes.py instead (hill terraces, villages, forest edges, written
 * apart from both other generators; its seeds 200-231 are kept for gates: the default seed is then 100).
 * Generates scenes with the foreign generator (test/foreign-scenes/foreign_scenes.py: its own textures, crops,
 * roofs, tarps, rapeseed, blossoming trees and poppy plots; 3-8 cm or --gsd in turn; EPSG:4547, 32648, 3857), then runs
 * `tiandi eval --labelled` on them with the model and prints the table. The numbers are SYNTHETIC, from a
 * generator the model was never trained on; they say nothing direct about real imagery. Never train on these scenes.
 * --misses DIR saves a PNG chip of each missed plot (3 m margin) named by stage, colour, density, area and GSD.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { formatTruthReport, main } from '@tiandi/cli';
import type { TruthReport } from '@tiandi/synth/node';
import { foreignUnavailable, generateForeignScenes, THIRD_GENERATOR } from './foreign-scenes';

const { values: v } = parseArgs({
  options: {
    scenes: { type: 'string' },
    seed: { type: 'string' },
    'size-m': { type: 'string' },
    gsd: { type: 'string' },
    model: { type: 'string' },
    keep: { type: 'string' },
    misses: { type: 'string' },
    generator: { type: 'string' },
  },
});
const third = v.generator === 'third';
if (v.generator !== undefined && !third && v.generator !== 'foreign') {
  process.stderr.write(`bench:foreign: --generator is foreign or third, not '${v.generator}'\n`);
  process.exit(2);
}
const scenes = Number(v.scenes ?? 12),
  seed = Number(v.seed ?? (third ? 100 : 500)),
  sizeM = Number(v['size-m'] ?? 110);

/** Runs `tiandi eval --labelled <dir> --json` in-process and returns the labelled report. */
async function evalLabelled(dir: string): Promise<TruthReport> {
  let out = '',
    err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(c, _e, cb) {
        f(String(c));
        cb();
      },
    });
  const argv = ['eval', '--labelled', dir, '--json', ...(v.model ? ['--model', v.model] : [])];
  const code = await main(argv, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd: process.cwd() });
  if (code !== 0) throw new Error(`tiandi ${argv.join(' ')} exited ${code}: ${err}`);
  return JSON.parse(out).labelled;
}

/** A PNG of each missed plot with a 3 m margin, cut from its scene by gdal_translate in the scene's own CRS. */
function saveMissChips(r: TruthReport, dir: string, out: string): void {
  mkdirSync(out, { recursive: true });
  for (const m of r.missed) {
    const truth = JSON.parse(readFileSync(m.source, 'utf8'));
    const f = truth.features.find((x: { properties: { id: string } }) => x.properties.id === m.id);
    const ring = f.geometry.coordinates[0] as Array<[number, number]>;
    const xs = ring.map((p) => p[0]),
      ys = ring.map((p) => p[1]);
    const p = f.properties;
    const name = `${m.id}_${p.stage}_${p.colour}_d${p.density}_${p.area_m2}m2_${Math.round(p.gsd_m * 1000)}mm${p.rows ? '_rows' : ''}.png`;
    spawnSync(
      'gdal_translate',
      [
        '-q',
        '-of',
        'PNG',
        '-projwin',
        String(Math.min(...xs) - 3),
        String(Math.max(...ys) + 3),
        String(Math.max(...xs) + 3),
        String(Math.min(...ys) - 3),
        join(dir, m.file),
        join(out, name),
      ],
      { stdio: 'inherit' },
    );
    rmSync(join(out, `${name}.aux.xml`), { force: true });
  }
  // False candidates: 6 m around each (about 0.00006° of latitude), cut by lon/lat.
  for (const [i, c] of r.falseCandidates.entries()) {
    const d = 0.00003,
      name = `false-${i + 1}_${c.file.replace(/\.tif$/, '')}_score${c.score.toFixed(2)}.png`;
    spawnSync(
      'gdal_translate',
      [
        '-q',
        '-of',
        'PNG',
        '-projwin_srs',
        'EPSG:4326',
        '-projwin',
        String(c.lonLat[0] - d),
        String(c.lonLat[1] + d),
        String(c.lonLat[0] + d),
        String(c.lonLat[1] - d),
        join(dir, c.file),
        join(out, name),
      ],
      { stdio: 'inherit' },
    );
    rmSync(join(out, `${name}.aux.xml`), { force: true });
  }
}

async function run(): Promise<void> {
  const missing = foreignUnavailable();
  if (missing) {
    process.stderr.write(`bench:foreign cannot run: ${missing}\n`);
    process.exit(1);
  }
  const dir = v.keep ? resolve(v.keep) : mkdtempSync(join(tmpdir(), 'tiandi-foreign-'));
  mkdirSync(dir, { recursive: true });
  try {
    const t0 = performance.now();
    generateForeignScenes(dir, { scenes, seed, sizeM, gsd: v.gsd, show: true, script: third ? THIRD_GENERATOR : undefined });
    const t1 = performance.now();
    const r = await evalLabelled(dir);
    const t2 = performance.now();
    process.stdout.write(
      `== ${third ? '第三生成器 THIRD generator (synthetic, never trained on)' : '外来生成器 FOREIGN generator (synthetic)'}: ${scenes} scenes, seeds ${seed}-${seed + scenes - 1}, ${sizeM} m square${v.gsd ? `, GSD ${v.gsd} m` : ''} ==\n`,
    );
    process.stdout.write(formatTruthReport(r));
    process.stdout.write(
      `generated in ${((t1 - t0) / 1000).toFixed(0)} s, evaluated in ${((t2 - t1) / 1000).toFixed(0)} s (shared machine: timings are noisy)\n`,
    );
    if (v.misses) {
      saveMissChips(r, dir, resolve(v.misses));
      process.stdout.write(`chips of the ${r.missed.length} missed plots and ${r.falseCandidates.length} false candidates in ${resolve(v.misses)}\n`);
    }
  } finally {
    if (!v.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await run();

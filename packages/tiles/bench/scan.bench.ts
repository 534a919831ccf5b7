/**
 * `npm run bench:scan`: generates a 64-Mpx orthophoto in three layouts (COG JPEG 512-px tiles, tiled
 * deflate, striped LZW), a 64-Mpx synthetic farmland scene (COG, `tiandi synth scene`) and a ≥ 1.5-Gpx
 * BigTIFF into packages/tiles/bench/data (gitignored, reused),
 * and, with GDAL, the usual drone export (a JPEG COG without overviews, 64 Mpx and 1.6 Gpx), a 1.6-Gpx
 * tiled deflate file without overviews, a 1.6-Gpx striped LZW file with alpha, a 1.6-Gpx striped JPEG file (GDAL's 16-row strips), and (with ../shared/real-aerial) a 1.6-Gpx
 * JPEG COG of REAL content, the real tiles side by side (real-mosaic.ts);
 * then prints per file: decode-only, inference-only and end-to-end Mpx/s, peak RSS, and the ratio to
 * `gdal_translate` decoding the same file in the same run; and the whole `tiandi scan` command (start-up and
 * outputs included, its own process under /usr/bin/time: seconds, Mpx/s, CPU %, peak RSS) beside GDAL's rate, and
 * (64-Mpx files) how many blocks a one-thread scan decompressed against how many full-resolution blocks the file has.
 * End to end is run BENCH_RUNS times (default 3; once for the BigTIFF) and the median run reported, with every
 * run's Mpx/s beside it: one run on a shared 2-core machine varies by ±15 %.
 * Env: BENCH_DATA (folder for the generated files; keep it under /tmp: the 1.6-Gpx ones take ~5 GB),
 * BENCH_ONLY=<regex> (rows to measure), BENCH_GEN_ONLY=1, BENCH_BIG_SIDE (default 40000 → 1.6 Gpx), BENCH_SKIP_BIG=1, BENCH_MODEL (default models/poppy-synth
 * when it has model.onnx, else the redness test model), BENCH_WORKERS, BENCH_RUNS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getCrs, toWgs84 } from '@tiandi/geo';
import { writeGeoTiff } from '../src/write/index';
import { ensureRealMosaic } from './real-mosaic';
// The CLI's own rule for when a scan runs with glibc told to give memory back.
import { largeScanEnv } from '../env/scan-malloc-env.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const data = resolve(process.env.BENCH_DATA ?? join(here, 'data'));
mkdirSync(data, { recursive: true });
const GSD = 0.05;
const real = join(repo, 'models/poppy-synth');
const modelDir = process.env.BENCH_MODEL
  ? resolve(process.env.BENCH_MODEL)
  : existsSync(join(real, 'model.onnx'))
    ? real
    : join(here, '../fixtures/models/redness-seg');

/** Deterministic farmland-like rows: parcels, furrow texture, a few red plots. */
function farmRows(width: number) {
  return (y0: number, rows: number) => {
    const a = new Uint8Array(width * rows * 3);
    for (let yy = 0; yy < rows; yy++) {
      const y = y0 + yy;
      for (let x = 0; x < width; x++) {
        const px = x >> 8;
        const py = y >> 8;
        const h = ((px * 73856093) ^ (py * 19349663)) >>> 0;
        const o = (yy * width + x) * 3;
        // Furrows plus per-pixel grain (−8…7): without the grain GDAL's JPEG smooths the furrows away and a
        // 64-Mpx COG shrinks to 1.4 MB, far cheaper to decode than a real orthophoto (≈ 1–2 bits a pixel).
        const n = Math.imul(x, 374761393) + Math.imul(y, 668265263);
        const tex = ((x * 7 + y * 3) & 31) - 16 + (Math.imul(n ^ (n >>> 13), 1274126177) >>> 28) - 8;
        if (h % 97 === 0 && ((x & 255) - 128) ** 2 + ((y & 255) - 128) ** 2 < 60 ** 2) {
          a[o] = 210 + (tex >> 1);
          a[o + 1] = 50;
          a[o + 2] = 60;
        } else {
          a[o] = 70 + (h % 60) + tex;
          a[o + 1] = 90 + ((h >> 8) % 60) + tex;
          a[o + 2] = 40 + ((h >> 16) % 40) + (tex >> 1);
        }
      }
    }
    return a;
  };
}

async function ensure(path: string, side: number, opts: { bigTiff?: boolean }) {
  if (existsSync(path)) return;
  const [cx, cy] = toWgs84(getCrs(4522)).inverse([102.5, 25.3]);
  const t = performance.now();
  await writeGeoTiff(path, {
    width: side,
    height: side,
    bands: 3,
    epsg: 4522,
    compression: 'jpeg',
    jpegQuality: 85,
    tileSize: 512,
    geoTransform: [cx - (side * GSD) / 2, GSD, 0, cy + (side * GSD) / 2, 0, -GSD],
    readRows: farmRows(side),
    bigTiff: opts.bigTiff,
    acquired: '2026-04-12T03:00:00Z',
  });
  process.stderr.write(`generated ${path} (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
}

function gdalTranslate(args: string[]) {
  const r = spawnSync('gdal_translate', ['-q', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/**
 * One scan-once measurement in its own process. A scan of a file runs with the allocator settings `tiandi scan`
 * gives it (largeScanEnv: files of 48 MB and more; the server's scan processes always), so its peak RSS is the one a
 * user meets: without them a 1.6-Gpx striped JPEG file peaked at 732-775 MB in-process, 505-547 MB through the CLI.
 */
function child(args: string[]): Record<string, number> {
  const env = (args[0].startsWith('e2e') || args[0] === 'decodes' ? largeScanEnv(['scan', args[1]]) : undefined) ?? process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'scan-once.ts'), ...args], { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 24, env });
  if (r.status !== 0) throw new Error(`scan-once ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/**
 * The whole `tiandi scan` command as a user runs it (start-up, model loading, writing the outputs), in its own
 * process under /usr/bin/time: wall seconds, peak RSS and CPU use.
 */
function cliScan(path: string, out: string): { seconds: number; maxRssMb?: number; cpuPct?: number } {
  const bin = join(repo, 'apps/cli/bin/tiandi.mjs');
  const timed = existsSync('/usr/bin/time');
  const args = [bin, 'scan', path, '--model', modelDir, '--out', out, ...(process.env.BENCH_WORKERS ? ['--workers', process.env.BENCH_WORKERS] : [])];
  const t = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %P', process.execPath, ...args], { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 24 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`tiandi scan ${path} failed: ${r.stderr}`);
  const m = /TIME ([\d.]+) (\d+) (\d+)%/.exec(r.stderr ?? '');
  return m ? { seconds: Number(m[1]), maxRssMb: Math.round(Number(m[2]) / 1024), cpuPct: Number(m[3]) } : { seconds };
}

function gdalDecodeS(path: string): number | undefined {
  if (spawnSync('gdal_translate', ['--version']).status !== 0) return undefined;
  const out = join(data, 'gdal-decode.raw');
  const t = performance.now();
  gdalTranslate(['-of', 'ENVI', path, out]);
  const s = (performance.now() - t) / 1000;
  rmSync(out, { force: true });
  rmSync(out.replace(/\.raw$/, '.hdr'), { force: true });
  rmSync(`${out}.aux.xml`, { force: true });
  return s;
}

const side64 = 8192;
const cog = join(data, 'ortho-64mpx-cog-jpeg.tif');
await ensure(cog, side64, {});
const layouts: [string, string][] = [['COG JPEG 512', cog]];
const tiled = join(data, 'ortho-64mpx-tiled-deflate.tif');
const striped = join(data, 'ortho-64mpx-striped-lzw.tif');
if (spawnSync('gdal_translate', ['--version']).status === 0) {
  if (!existsSync(tiled)) gdalTranslate(['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=2', cog, tiled]);
  if (!existsSync(striped)) gdalTranslate(['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', cog, striped]);
  layouts.push(['tiled deflate no overviews', tiled], ['striped LZW', striped]);
} else process.stderr.write('NOTICE: GDAL absent: only the COG layout is measured and no gdal_translate ratio is given\n');
// The same size of synthetic farmland from packages/synth (poppy plots among brassica, garlic, blossom and the
// other look-alikes `tiandi eval` scans): the files above are a plain texture, so this shows what a two-stage
// model's verifier costs where the first stage flags candidates as densely as on the eval scenes.
const scene = join(data, 'scene-9101.tif');
if (!existsSync(scene)) {
  const r = spawnSync(
    process.execPath,
    [join(repo, 'apps/cli/bin/tiandi.mjs'), 'synth', 'scene', '--seed', '9101', '--gsd', String(GSD), '--size', String(side64), '--out', data],
    { encoding: 'utf8', cwd: repo },
  );
  if (r.status !== 0) throw new Error(`tiandi synth scene failed: ${r.stderr}`);
}
layouts.push(['synthetic farmland COG JPEG', scene]);
// The usual drone export: JPEG without internal overviews (Pix4D, Metashape, DJI Terra, COGs written with
// OVERVIEWS=NONE), so the first stage decodes every full-resolution block, and its tiled-deflate twin.
const hasGdal = spawnSync('gdal_translate', ['--version']).status === 0;
const noOverviews = (from: string, to: string, co: string[]) => {
  if (!existsSync(to)) gdalTranslate([...co, from, to]);
  return to;
};
const COG_NO_OVR = ['-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'QUALITY=85', '-co', 'BLOCKSIZE=512', '-co', 'OVERVIEWS=NONE', '-co', 'BIGTIFF=YES'];
const TILED_NO_OVR = [
  '-co',
  'TILED=YES',
  '-co',
  'BLOCKXSIZE=512',
  '-co',
  'BLOCKYSIZE=512',
  '-co',
  'COMPRESS=DEFLATE',
  '-co',
  'PREDICTOR=2',
  '-co',
  'BIGTIFF=YES',
];
if (hasGdal) {
  layouts.push(['COG JPEG no overviews', noOverviews(cog, join(data, 'ortho-64mpx-cog-jpeg-noovr.tif'), COG_NO_OVR)]);
}
if (!process.env.BENCH_SKIP_BIG) {
  const side = Number(process.env.BENCH_BIG_SIDE ?? 40000);
  const big = join(data, `ortho-${side}-bigtiff-jpeg.tif`);
  await ensure(big, side, { bigTiff: true });
  const gpx = ((side * side) / 1e9).toFixed(2);
  layouts.push([`BigTIFF ${gpx} Gpx`, big]);
  if (hasGdal) {
    layouts.push([`BigTIFF ${gpx} Gpx COG JPEG no overviews`, noOverviews(big, join(data, `ortho-${side}-cog-jpeg-noovr.tif`), COG_NO_OVR)]);
    layouts.push([`BigTIFF ${gpx} Gpx tiled deflate no overviews`, noOverviews(big, join(data, `ortho-${side}-tiled-deflate-noovr.tif`), TILED_NO_OVR)]);
    // Striped, with an alpha band: a strip spans the image, so its cache is a tile row of the whole width.
    const STRIPED_ALPHA = [
      '-co',
      'COMPRESS=LZW',
      '-co',
      'PREDICTOR=2',
      '-co',
      'BIGTIFF=YES',
      '-b',
      '1',
      '-b',
      '2',
      '-b',
      '3',
      '-b',
      'mask',
      '-colorinterp_4',
      'alpha',
    ];
    // REAL content at the same size (the real-aerial tiles side by side), when ../shared is beside the repository.
    const realMosaic = ensureRealMosaic(resolve(repo, '../shared/real-aerial'), join(data, `real-${side}-cog-jpeg-noovr.tif`), side, gdalTranslate, COG_NO_OVR);
    if (realMosaic) layouts.push([`BigTIFF ${gpx} Gpx REAL mosaic COG JPEG no overviews`, realMosaic]);
    else process.stderr.write('NOTICE: ../shared/real-aerial absent: no REAL mosaic row\n');
    layouts.push([
      `BigTIFF ${gpx} Gpx striped LZW alpha`,
      noOverviews(join(data, `ortho-${side}-cog-jpeg-noovr.tif`), join(data, `ortho-${side}-striped-lzw-alpha.tif`), STRIPED_ALPHA),
    ]);
    // GDAL's own striped JPEG (no TILED=YES: 16-row strips, each a JPEG of the whole width), as a reviewer writes it.
    const STRIPED_JPEG = ['-co', 'COMPRESS=JPEG', '-co', 'JPEG_QUALITY=85', '-co', 'BIGTIFF=YES'];
    layouts.push([
      `BigTIFF ${gpx} Gpx striped JPEG`,
      noOverviews(join(data, `ortho-${side}-cog-jpeg-noovr.tif`), join(data, `ortho-${side}-striped-jpeg.tif`), STRIPED_JPEG),
    ]);
  }
}
// BENCH_ONLY=<regex>: measure only the files whose row name matches (the 1.6-Gpx rows take minutes each).
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
if (only) layouts.splice(0, layouts.length, ...layouts.filter(([name]) => only.test(name)));

if (process.env.BENCH_GEN_ONLY) process.exit(0);
const os = await import('node:os');
process.stdout.write(
  `model: ${modelDir}\nmachine: ${os.availableParallelism()} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n\n`,
);
// A model with a second stage (a verifier in its card) is also timed without it: the first stage is the scan
// pipeline proper; the verifier's cost grows with how many candidates the first stage flags.
const twoStage = Boolean(JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')).verifier);
const header = [
  'file',
  'MB',
  'decode Mpx/s',
  'infer Mpx/s',
  'e2e Mpx/s',
  'e2e s',
  'e2e CPU s',
  'peak RSS MB',
  'gdal_translate s',
  'e2e / gdal',
  ...(twoStage ? ['e2e first stage Mpx/s', 'candidates first → verified'] : []),
  'e2e Mpx/s, every run',
  'block decodes / blocks',
  'tiandi scan s, every run',
  'tiandi scan Mpx/s',
  'tiandi scan CPU %',
  'tiandi scan peak RSS MB',
  'gdal Mpx/s',
  'tiandi scan / gdal rate',
];
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const rows: string[][] = [];
for (const [name, path] of layouts) {
  const dec = child(['decode', path, modelDir]);
  const inf = child(['infer', path, modelDir]);
  const out = join(data, 'scan-out');
  const workersArg = process.env.BENCH_WORKERS ? [process.env.BENCH_WORKERS] : [];
  // The median of several end-to-end runs (the BigTIFF once: half a minute a run); peak RSS is the highest.
  const runs = Array.from({ length: name.startsWith('BigTIFF') ? 1 : RUNS }, () => child(['e2e', path, modelDir, out, ...workersArg]));
  const e2e = [...runs].sort((a, b) => a.seconds - b.seconds)[(runs.length - 1) >> 1];
  e2e.maxRssMb = Math.max(...runs.map((r) => r.maxRssMb));
  const first = twoStage ? child(['e2e-first', path, modelDir, out, ...workersArg]) : undefined;
  // Every block decompression of a one-thread scan against the file's full-resolution blocks (not for the 1.6-Gpx rows: one more long run).
  const dc = name.startsWith('BigTIFF') ? undefined : child(['decodes', path, modelDir, out]);
  // The whole command too: the median of as many runs as end to end (one run swung 1.7–2.8 s on a shared machine).
  const clis = Array.from({ length: runs.length }, () => cliScan(path, out));
  const cli = [...clis].sort((a, b) => a.seconds - b.seconds)[(clis.length - 1) >> 1];
  cli.maxRssMb = Math.max(...clis.map((c) => c.maxRssMb ?? 0)) || undefined;
  rmSync(out, { recursive: true, force: true });
  const g = gdalDecodeS(path);
  const mpx = e2e.mpx;
  const row = [
    name,
    (statSync(path).size / 1e6).toFixed(0),
    dec.mpxPerS.toFixed(1),
    inf.mpxPerS.toFixed(1),
    e2e.mpxPerS.toFixed(1),
    e2e.seconds.toFixed(1),
    e2e.cpuS.toFixed(1),
    String(e2e.maxRssMb),
    g === undefined ? '-' : g.toFixed(1),
    g === undefined ? '-' : (g / e2e.seconds).toFixed(2),
    ...(first ? [first.mpxPerS.toFixed(1), `${first.candidates} → ${e2e.candidates}`] : []),
    runs.map((r) => r.mpxPerS.toFixed(1)).join(' / '),
    dc ? `${dc.decodes} / ${dc.blocks}` : '-',
    clis.map((c) => c.seconds.toFixed(2)).join(' / '),
    (mpx / cli.seconds).toFixed(1),
    cli.cpuPct === undefined ? '-' : String(cli.cpuPct),
    cli.maxRssMb === undefined ? '-' : String(cli.maxRssMb),
    g === undefined ? '-' : (mpx / g).toFixed(1),
    g === undefined ? '-' : (g / cli.seconds).toFixed(2),
  ];
  rows.push(row);
  process.stdout.write(header.map((h, i) => `${h}: ${row[i]}`).join(' | ') + '\n');
}
process.stdout.write('\n| ' + header.join(' | ') + ' |\n|' + header.map(() => '---').join('|') + '|\n');
for (const r of rows) process.stdout.write('| ' + r.join(' | ') + ' |\n');
process.stdout.write('\n"e2e / gdal" = gdal_translate decode time ÷ our end-to-end time (> 1: the whole scan is faster than GDAL only decoding).\n');
process.stdout.write(
  `"e2e" columns: the median of ${RUNS} end-to-end runs (the BigTIFF: one), every run's Mpx/s in the last column; peak RSS the highest. "tiandi scan" columns: the median run of as many (Mpx/s, CPU %), every run's seconds, peak RSS the highest.\n`,
);
// The floors on a 2-core machine, checked against this run's figures.
const e2eOf = (name: string) => {
  const r = rows.find((x) => x[0] === name);
  return r ? Number(r[4]) : undefined;
};
const cogE2e = e2eOf('COG JPEG 512'),
  tiledE2e = e2eOf('tiled deflate no overviews'),
  stripedE2e = e2eOf('striped LZW');
const bigRow = rows.find((x) => x[0].startsWith('BigTIFF'));
const mark = (ok: boolean) => (ok ? '✔' : '✗');
const floors: string[] = [];
if (cogE2e !== undefined) floors.push(`COG end to end ≥ 40 Mpx/s: ${cogE2e} ${mark(cogE2e >= 40)}`);
if (tiledE2e !== undefined) floors.push(`tiled end to end ≥ 40 Mpx/s: ${tiledE2e} ${mark(tiledE2e >= 40)}`);
if (tiledE2e !== undefined && stripedE2e !== undefined)
  floors.push(`striped ≥ 1/3 of tiled: ${(stripedE2e / tiledE2e).toFixed(2)} ${mark(stripedE2e >= tiledE2e / 3)}`);
if (bigRow) floors.push(`BigTIFF peak RSS ≤ 600 MB: ${bigRow[7]} ${mark(Number(bigRow[7]) <= 600)}`);
// Issue 19: the whole command on files without overviews, and peak RSS of every 1.6-Gpx layout.
const col = (h: string) => header.indexOf(h);
for (const [label, rowName] of [
  ['no-overview COG', 'COG JPEG no overviews'],
  ['no-overview tiled', 'tiled deflate no overviews'],
]) {
  const r = rows.find((x) => x[0] === rowName);
  if (!r) continue;
  floors.push(`${label}, whole tiandi scan ≥ 40 Mpx/s: ${r[col('tiandi scan Mpx/s')]} ${mark(Number(r[col('tiandi scan Mpx/s')]) >= 40)}`);
  const ratio = r[col('tiandi scan / gdal rate')];
  if (ratio !== '-') floors.push(`${label}, whole tiandi scan ≥ 0.6 × GDAL's decode rate: ${ratio} ${mark(Number(ratio) >= 0.6)}`);
  const cpu = Number(r[col('tiandi scan CPU %')]);
  if (cpu) floors.push(`${label}, both cores busy (≥ 180 % CPU, for long jobs): ${cpu} % ${mark(cpu >= 180)}`);
  const [d, b] = r[col('block decodes / blocks')].split(' / ').map(Number);
  if (b) floors.push(`${label}, no block decoded twice: ${d} decodes of ${b} blocks ${mark(d <= b)}`);
}
for (const r of rows.filter((x) => x[0].startsWith('BigTIFF'))) {
  const rss = Math.max(Number(r[7]), Number(r[col('tiandi scan peak RSS MB')]) || 0);
  floors.push(`${r[0]} peak RSS ≤ 600 MB: ${rss} ${mark(rss <= 600)}`);
}
process.stdout.write(`\nfloors (${os.availableParallelism()} cores, end to end the median of ${RUNS} runs): ${floors.join('; ')}\n`);

/**
 * `npm run bench:layouts`: the scan as issue 19's reviewer will check it, on TIFF layouts GDAL writes with its
 * defaults or common options (striped with GDAL's rows per strip or 64 / 256, tiled 256 / 1024, JPEG YCbCr,
 * deflate, LZW, uncompressed, an alpha band, an internal mask, nodata, BigTIFF or not), all written by
 * gdal_translate from one source image: the 1.6-Gpx no-overview JPEG COG of `npm run bench:scan`
 * (`BENCH_DATA=/tmp/bench19 BENCH_GEN_ONLY=1 npm run bench:scan`), or its top-left BENCH_SIDE² cut.
 * Per file, the whole `tiandi scan` command under /usr/bin/time (wall, Mpx/s, CPU %, peak RSS, candidates) and
 * `gdal_translate -q -of ENVI` of the same file in the same run, against the issue's floors. Files written are
 * reused. Lossless layouts hold the same pixels, so their candidates.geojson must agree: checked at the end.
 * Every timed command runs under `flock /tmp/bench.lock` in an autogroup of its own at nice −10; writing the
 * files runs at nice 19.
 * Env: BENCH_SOURCE (default /tmp/bench19/ortho-40000-cog-jpeg-noovr.tif), BENCH_SIDE (default: the source's
 * width; smaller cuts it, e.g. 8192 for a quick 64-Mpx run), BENCH_DATA (default /tmp; the 1.6-Gpx files take
 * 2–5 GB each), BENCH_ONLY=<regex> (layout names), BENCH_RUNS (default 1), BENCH_MODEL, BENCH_CLEAN=1 (delete
 * each written file after its row: at 1.6 Gpx the layouts take ~25 GB together).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const source = resolve(process.env.BENCH_SOURCE ?? '/tmp/bench19/ortho-40000-cog-jpeg-noovr.tif');
const data = resolve(process.env.BENCH_DATA ?? '/tmp');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const model = resolve(process.env.BENCH_MODEL ?? join(repo, 'models/poppy-synth'));
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
mkdirSync(data, { recursive: true });

const run = (cmd: string[], what: string) => {
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stderr;
};
/** Heavy work that is not measured: its own autogroup at nice 19. */
const background = (cmd: string[]) => run(['setsid', '-w', 'sh', '-c', 'echo 19 > /proc/self/autogroup; exec nice -n 19 "$@"', 'sh', ...cmd], cmd.join(' '));
/** A measured command: under the shared lock, its own autogroup at nice −10, `/usr/bin/time`: wall s, CPU %, peak RSS MB. */
function timed(cmd: string[]): { s: number; cpu: number; rssMb: number; stderr: string } {
  const err = run(
    [
      'flock',
      '/tmp/bench.lock',
      'setsid',
      '-w',
      'sh',
      '-c',
      'echo -10 > /proc/self/autogroup; exec "$@"',
      'sh',
      '/usr/bin/time',
      '-f',
      'TIME %e %P %M',
      ...cmd,
    ],
    cmd.join(' '),
  );
  const m = /TIME ([\d.]+) (\d+)% (\d+)/.exec(err);
  if (!m) throw new Error(`no /usr/bin/time line in: ${err}`);
  return { s: Number(m[1]), cpu: Number(m[2]), rssMb: Math.round(Number(m[3]) / 1024), stderr: err };
}

const sourceSide: number = JSON.parse(spawnSync('gdalinfo', ['-json', source], { encoding: 'utf8' }).stdout || '{"size":[0]}').size[0];
if (!sourceSide) throw new Error(`cannot read ${source}: make it with BENCH_DATA=/tmp/bench19 BENCH_GEN_ONLY=1 npm run bench:scan, or set BENCH_SOURCE`);
const side = Math.min(sourceSide, Number(process.env.BENCH_SIDE ?? sourceSide));
const mpx = (side * side) / 1e6;
const cut = side < sourceSide ? ['-srcwin', '0', '0', String(side), String(side)] : [];
const co = (...kv: string[]) => kv.flatMap((o) => ['-co', o]);
const ALPHA = ['-b', '1', '-b', '2', '-b', '3', '-b', 'mask', '-colorinterp_4', 'alpha', ...co('ALPHA=YES')];
const TILED = (n: number) => co('TILED=YES', `BLOCKXSIZE=${n}`, `BLOCKYSIZE=${n}`);
const JPEG = co('COMPRESS=JPEG', 'PHOTOMETRIC=YCBCR');
const DEFLATE2 = co('COMPRESS=DEFLATE', 'PREDICTOR=2');

/** name → gdal_translate options (from the source, or from another layout's file); lossless: the source's pixels. */
type Layout = { name: string; args: string[]; from?: string; lossless?: boolean; config?: string[] };
const layouts: Layout[] = [
  { name: 'striped-deflate', args: co('COMPRESS=DEFLATE'), lossless: true },
  { name: 'striped-lzw', args: co('COMPRESS=LZW'), lossless: true },
  { name: 'striped-deflate-rps64', args: co('COMPRESS=DEFLATE', 'ROWSPERSTRIP=64'), lossless: true },
  { name: 'striped-deflate-rps256-bigtiff', args: co('COMPRESS=DEFLATE', 'ROWSPERSTRIP=256', 'BIGTIFF=YES'), lossless: true },
  { name: 'striped-jpeg-ycbcr', args: JPEG },
  { name: 'striped-none', args: [], lossless: true },
  { name: 'tiled256-jpeg-ycbcr', args: [...TILED(256), ...JPEG] },
  { name: 'tiled1024-jpeg-ycbcr-bigtiff', args: [...TILED(1024), ...JPEG, ...co('BIGTIFF=YES')] },
  { name: 'tiled256-deflate-p2', args: [...TILED(256), ...DEFLATE2], lossless: true },
  { name: 'tiled1024-deflate-p2-bigtiff', args: [...TILED(1024), ...DEFLATE2, ...co('BIGTIFF=YES')], lossless: true },
  { name: 'tiled512-deflate-p2-alpha', args: [...TILED(512), ...DEFLATE2, ...ALPHA], lossless: true },
  // The alpha file's fourth band as an internal mask (a mask IFD), RGB in JPEG YCbCr: what GDAL writes for masked JPEG.
  {
    name: 'tiled512-jpeg-ycbcr-mask',
    from: 'tiled512-deflate-p2-alpha',
    args: ['-b', '1', '-b', '2', '-b', '3', '-mask', '4', ...TILED(512), ...JPEG],
    config: ['--config', 'GDAL_TIFF_INTERNAL_MASK', 'YES'],
  },
  { name: 'striped-lzw-nodata0', args: [...co('COMPRESS=LZW'), '-a_nodata', '0'] },
  { name: 'tiled256-zstd-p2', args: [...TILED(256), ...co('COMPRESS=ZSTD', 'PREDICTOR=2')], lossless: true },
  { name: 'tiled512-webp', args: [...TILED(512), ...co('COMPRESS=WEBP', 'WEBP_LEVEL=85')] },
];
const fileOf = (name: string) => join(data, `layout-${side}-${name}.tif`);
const wanted = layouts.filter((l) => !only || only.test(l.name));

function write(l: Layout): string {
  const path = fileOf(l.name);
  if (existsSync(path)) return path;
  const from = l.from ? write(layouts.find((x) => x.name === l.from)!) : source;
  background(['gdal_translate', '-q', '-of', 'GTiff', ...(l.config ?? []), ...(l.from ? [] : cut), ...l.args, from, `${path}.part`]);
  background(['mv', `${path}.part`, path]);
  return path;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const mark = (ok: boolean) => (ok ? '✔' : '✘');

process.stdout.write(
  `source ${source} (${side}² = ${mpx.toFixed(0)} Mpx), model ${model}, ${RUNS} run(s) a file, load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
const header = [
  'layout',
  'MB',
  'BigTIFF',
  'scan s',
  'Mpx/s',
  'CPU %',
  'peak RSS MB',
  'candidates',
  'GDAL s',
  'scan / GDAL rate',
  'floors: RSS ≤ 600, CPU ≥ 180 %, ≥ 40 Mpx/s, ≥ 0.6× GDAL',
  'load',
  'CLI built',
];
/** When the precompiled CLI the row ran was built (others rebuild it during long runs). */
const built = () => statSync(join(repo, 'node_modules/.cache/tiandi-cli/main.mjs')).mtime.toISOString().slice(11, 16);
const rows: string[][] = [];
const candidates = new Map<string, string>();
for (const l of wanted) {
  let path: string;
  try {
    path = write(l);
  } catch (e) {
    rows.push([l.name, '-', '-', `write failed: ${String(e).split('\n')[0]}`]);
    continue;
  }
  const out = join(data, `layout-out-${l.name}`);
  const scans: ReturnType<typeof timed>[] = [];
  const gdal: number[] = [];
  let error = '';
  for (let i = 0; i < RUNS && !error; i++) {
    rmSync(out, { recursive: true, force: true });
    try {
      scans.push(timed([process.execPath, join(repo, 'apps/cli/bin/tiandi.mjs'), 'scan', path, '--model', model, '--out', out]));
    } catch (e) {
      error = String(e).split('\n').slice(0, 3).join(' ');
    }
    const raw = join(data, 'layout-gdal.raw');
    gdal.push(timed(['gdal_translate', '-q', '-of', 'ENVI', path, raw]).s);
    for (const f of [raw, raw.replace(/raw$/, 'hdr'), `${raw}.aux.xml`, `${raw}.msk`]) rmSync(f, { force: true });
  }
  const load = loadavg()[0].toFixed(2);
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  const bigTiff = head.readUInt16LE(2) === 43 ? 'yes' : 'no';
  const g = median(gdal);
  if (!scans.length) {
    rows.push([l.name, (statSync(path).size / 1e6).toFixed(0), bigTiff, `✘ ${error}`, '', '', '', '', g.toFixed(1), '', '', load, built()]);
  } else {
    const s = median(scans.map((x) => x.s));
    const cpu = median(scans.map((x) => x.cpu));
    const rss = Math.max(...scans.map((x) => x.rssMb));
    const geo = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8'));
    // What identifies a candidate apart from the file's name (its id and chip are hashed from it).
    const key = JSON.stringify(geo.features.map((f: any) => [f.geometry, { ...f.properties, id: 0, image: 0, chip: 0 }]));
    if (l.lossless) candidates.set(l.name, key);
    const floors = [rss <= 600, s < 20 || cpu >= 180, mpx / s >= 40, g / s >= 0.6].map(mark).join(' ');
    rows.push([
      l.name,
      (statSync(path).size / 1e6).toFixed(0),
      bigTiff,
      scans.map((x) => x.s.toFixed(2)).join(' / '),
      (mpx / s).toFixed(1),
      scans.map((x) => x.cpu).join(' / '),
      scans.map((x) => x.rssMb).join(' / '),
      String(geo.features.length),
      gdal.map((x) => x.toFixed(2)).join(' / '),
      (g / s).toFixed(2),
      floors + (error ? ` (a later run failed: ${error})` : ''),
      load,
      built(),
    ]);
  }
  process.stdout.write(header.map((h, i) => `${h}: ${rows.at(-1)![i] ?? ''}`).join(' | ') + '\n');
  rmSync(out, { recursive: true, force: true });
  if (process.env.BENCH_CLEAN) rmSync(path, { force: true });
}

process.stdout.write(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
process.stdout.write('CPU ≥ 180 % is asked of long jobs only (✔ under 20 s); 40 Mpx/s is the floor at 64 Mpx.\n');
const groups = [...new Set(candidates.values())];
process.stdout.write(
  groups.length <= 1
    ? `lossless layouts (${[...candidates.keys()].join(', ')}): the same candidates ✔\n`
    : `lossless layouts disagree ✘: ${groups
        .map((k) =>
          [...candidates]
            .filter(([, v]) => v === k)
            .map(([n]) => n)
            .join(' = '),
        )
        .join(' ≠ ')}\n`,
);

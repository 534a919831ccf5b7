import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command, fail } from '../command';
import { resolveModelDir } from '../default-model';
import type { ScanProgress, ScanSummary } from '@tiandi/tiles/node';
import { createProgressBar } from '../progress';
import { actorOf } from '../workspace-command';
import { seasonWarnings, workspaceSeason } from '../season-checks';

type Io = Parameters<Command['run']>[1];
type Season = NonNullable<Awaited<ReturnType<typeof workspaceSeason>>>;
type Recorded = Awaited<ReturnType<typeof recordInWorkspace>>;

/** Chinese names of the quality reasons, for the summary line. */
const REASON_ZH: Record<string, string> = { blurred: '模糊', overexposed: '过曝', dark: '过暗', hazy: '雾霾' };

const usage = `用法 Usage:
  tiandi scan <image.tif>... [--model models/<name>] [--out <dir>] [--threshold <p>]
              [--workers <n>] [--crs "<EPSG:code | proj4>"] [--no-verify] [--no-prefilter] [--allow-unverified]
              [--workspace <file.gpkg>] [--json]

扫描无人机正射影像，找出疑似罂粟地块。Scan drone orthophotos for candidate poppy plots.
  --model      模型目录 model folder with model.onnx + model.json (default models/poppy-synth: the working folder's, else the one shipped with tiandi)
  --out        输出目录 output folder (default ./scan-<first image name>)
  --threshold  种子阈值 seed score threshold in (0, 1] (default: the model card's)
  --workers    线程数 threads scanning tile rows (default: one per core for long jobs, 1 below about 128 Mpx, or 512 Mpx of JPEG)
  --crs        坐标系 CRS for files whose GeoTIFF keys lack a known EPSG code
  --no-verify  不复核 skip the model's second stage (its verifier), to see what the first stage alone finds
  --no-prefilter 不初筛 send every candidate to the verifier, not only those its cheaper prefilter passes (slower; the prefilter can miss a few plots under 4 m²)
  --allow-unverified 允许未复核 also scan imagery coarser than the verifier can judge (above 12.5 cm for the default model),
               keeping its candidates marked unverified, each owed a ground visit; without it such a file is not scanned
               and is named with the reason (exit 2), while the other files still are
  --workspace  工作区 also record the images, footprints and candidates in this workspace (as 'tiandi scans import')
  --actor      审计记录的操作人 who the audit log names (default $TIANDI_ACTOR or cli:<login>)
  --json       打印 summary.json instead of a progress bar and text

写出 Writes candidates.geojson, footprint.geojson, heatmap.tif, quality.geojson (poor blocks: blurred, over-exposed,
dark, hazy — left out of the footprint, so coverage counts them as gaps), summary.json. With --workspace, the
season's policy.imagery_quality sets the thresholds, and images coarser than its max_gsd_m or taken outside its
flowering window are named.
退出码 Exit status: 0 ok; 2 a file or option is bad (the other files are still scanned); 1 the scan failed.
`;

const scan: Command = {
  summary: '扫描正射影像找疑似罂粟地块 Scan orthophotos for candidate poppy plots',
  usage,
  async run(argv, io) {
    try {
      return await runScan(argv, io);
    } catch (e) {
      if (e instanceof Exit) return e.code;
      throw e;
    }
  },
};

/** Ends the command early with this exit status; its message is already written. */
class Exit {
  constructor(readonly code: number) {}
}

interface ScanFlags {
  model?: string;
  out?: string;
  threshold?: string;
  workers?: string;
  crs?: string;
  json?: boolean;
  workspace?: string;
  actor?: string;
  'no-verify'?: boolean;
  'no-prefilter'?: boolean;
  'allow-unverified'?: boolean;
}

/** The checked options: everything is validated before the scan, so an hour of scanning is not lost to a typo. */
interface ScanSetup {
  threshold?: number;
  workers?: number;
  modelDir: string;
  workspaceFile?: string;
}

/** Checks the flags, leaves out imagery the workspace already scanned, scans with progress bars, records, and prints the summary. */
async function runScan(argv: string[], io: Io): Promise<number> {
  const { v, images } = parseScanArgs(argv, io);
  const setup = await checkScanOptions(io, v);
  const { workspaceFile } = setup;
  // The models' thread starts now, beside the loading of the scan's modules (~0.1 s each), not after it.
  (await import('@tiandi/tiles/onnx-early')).startOnnxThreadEarly();
  const { scanImages, TilesError } = await loadTiles();
  // The season's quality thresholds judge the imagery; its GSD and flowering window are checked after the scan.
  const season = workspaceFile ? await workspaceSeason(workspaceFile) : undefined;
  // The store (SQLite and friends) is loaded only for a workspace: without one there is no season to ask.
  const quality = season ? (await import('@tiandi/store')).scanQualityOption(season) : undefined;
  const toScan = workspaceFile ? await imagesNotYetScanned(io, v, images, workspaceFile, setup.modelDir, TilesError) : images;
  const progress = scanProgressBars(io, v.json);
  let summary: ScanSummary;
  try {
    summary = await scanImages({
      images: toScan,
      modelDir: setup.modelDir,
      outDir: v.out,
      cwd: io.cwd,
      threshold: setup.threshold,
      workers: setup.workers,
      crs: v.crs,
      verify: !v['no-verify'],
      ...(quality !== undefined ? { quality } : {}),
      prefilter: !v['no-prefilter'],
      allowUnverified: v['allow-unverified'] === true,
      signal: io.signal,
      onProgress: progress.onProgress,
    });
  } catch (err) {
    progress.stop();
    if (err instanceof TilesError) {
      const where = err.path ? path.relative(io.cwd, err.path) || err.path : 'scan';
      return fail(io, where, err.message, err.code === 'TIANDI_E_ABORTED' ? EXIT.failed : EXIT.badInput);
    }
    return fail(io, 'scan', `扫描失败 scan failed: ${(err as Error).message}`, EXIT.failed);
  }
  progress.stop();
  const recorded = workspaceFile && summary.out_dir ? await recordScan(io, v, workspaceFile, summary.out_dir) : undefined;
  for (const f of summary.failed) fail(io, path.relative(io.cwd, f.image) || f.image, f.message);
  if (v.json) io.stdout.write(JSON.stringify(recorded ? { ...summary, workspace: recorded } : summary, null, 2) + '\n');
  else if (summary.out_dir) await printScanSummary(io, v, summary, summary.out_dir, recorded, season);
  if (summary.failed.some((f) => f.code === 'TIANDI_E_INTERNAL')) return EXIT.failed;
  return summary.failed.length ? EXIT.badInput : EXIT.ok;
}

function parseScanArgs(argv: string[], io: Io): { v: ScanFlags; images: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: 'string', short: 'm' },
        out: { type: 'string', short: 'o' },
        threshold: { type: 'string' },
        workers: { type: 'string' },
        crs: { type: 'string' },
        json: { type: 'boolean' },
        workspace: { type: 'string', short: 'w' },
        actor: { type: 'string' },
        'no-verify': { type: 'boolean' },
        'no-prefilter': { type: 'boolean' },
        'allow-unverified': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new Exit(fail(io, 'scan', `${(err as Error).message}. Run 'tiandi scan --help'.`));
  }
  const { values: v, positionals: images } = parsed;
  if (!images.length) throw new Exit(fail(io, 'scan', "缺少影像 no image given. Usage: tiandi scan <image.tif>... (see 'tiandi scan --help')"));
  return { v, images };
}

/** Threshold, workers, model folder, --crs and the workspace file, each checked with a message naming it. */
async function checkScanOptions(io: Io, v: ScanFlags): Promise<ScanSetup> {
  let threshold: number | undefined;
  if (v.threshold !== undefined) {
    threshold = Number(v.threshold);
    if (!(threshold > 0 && threshold <= 1)) throw new Exit(fail(io, 'scan', `--threshold '${v.threshold}' must be a number in (0, 1]`));
  }
  let workers: number | undefined;
  if (v.workers !== undefined) {
    workers = Number(v.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new Exit(fail(io, 'scan', `--workers '${v.workers}' must be a whole number 0–256`));
  }
  const modelDir = resolveModelDir(io.cwd, v.model);
  if (!existsSync(path.join(modelDir, 'model.json'))) {
    throw new Exit(
      fail(
        io,
        path.relative(io.cwd, modelDir) || modelDir,
        '找不到模型 no model.json here: pass --model models/<name> (a folder with model.onnx + model.json)',
      ),
    );
  }
  if (v.crs !== undefined) {
    const { getCrs, CrsError } = await import('@tiandi/geo');
    try {
      getCrs(v.crs);
    } catch (err) {
      if (err instanceof CrsError) throw new Exit(fail(io, 'scan', `--crs: ${err.message}`));
      throw err;
    }
  }
  const workspaceFile = v.workspace === undefined ? undefined : path.resolve(io.cwd, v.workspace);
  if (workspaceFile && !existsSync(workspaceFile)) {
    throw new Exit(fail(io, v.workspace!, "找不到工作区 no workspace here: create it with 'tiandi init <file.gpkg>' or fix --workspace"));
  }
  return { threshold, workers, modelDir, workspaceFile };
}

/**
 * Imagery the workspace already holds, under any file name, is recognised by content and not scanned again: says so
 * for each, and ends the command when nothing is left.
 */
async function imagesNotYetScanned(
  io: Io,
  v: ScanFlags,
  images: string[],
  workspaceFile: string,
  modelDir: string,
  TilesError: Awaited<ReturnType<typeof loadTiles>>['TilesError'],
): Promise<string[]> {
  let same: SameImageNote[];
  try {
    same = await sameImageryInWorkspace(
      workspaceFile,
      images.map((i) => path.resolve(io.cwd, i)),
      modelDir,
      io.signal,
    );
  } catch (err) {
    if (err instanceof TilesError) throw new Exit(fail(io, err.path ? path.relative(io.cwd, err.path) || err.path : 'scan', err.message));
    throw err;
  }
  for (const d of same) {
    io.stderr.write(
      `tiandi: ${path.relative(io.cwd, d.path) || d.path}: 与工作区影像 ${d.sameAs} 内容相同（${d.by === 'sha256' ? '文件 sha256' : '像素摘要'}），已用此模型版本扫描过，不再扫描 same imagery as workspace image '${d.sameAs}' (by ${d.by === 'sha256' ? 'file sha256' : 'pixel digest'}), already scanned with this model version: not scanned again\n`,
    );
  }
  const skip = new Set(same.map((d) => d.path));
  const toScan = images.filter((i) => !skip.has(path.resolve(io.cwd, i)));
  if (toScan.length === 0) {
    if (v.json)
      io.stdout.write(
        JSON.stringify({ images: 0, same_imagery: same.map((d) => ({ image: path.basename(d.path), same_as: d.sameAs, by: d.by })) }, null, 2) + '\n',
      );
    else io.stdout.write(`工作区已有这些影像，未扫描 the workspace already holds this imagery: nothing scanned\n`);
    throw new Exit(EXIT.ok);
  }
  return toScan;
}

/** One bar for the tile rows, then one for the verifier's windows (a second stage can take as long again); none with --json. */
function scanProgressBars(io: Io, json: boolean | undefined): { onProgress: (p: ScanProgress) => void; stop: () => void } {
  let bar = json ? undefined : createProgressBar(io.stderr, { unit: '瓦片 tiles', rateUnit: 'Mpx/s' });
  let phase: 'tiles' | 'verify' = 'tiles';
  let verifyT0 = 0;
  const onProgress = (p: ScanProgress) => {
    if (!bar) return;
    if (p.phase === 'tiles') {
      if (phase === 'verify') {
        bar.stop();
        bar = createProgressBar(io.stderr, { unit: '瓦片 tiles', rateUnit: 'Mpx/s' });
        phase = 'tiles';
      }
      bar.update(p.tilesDone, p.tilesTotal, p.mpxDone / Math.max(p.elapsedS, 1e-3));
      return;
    }
    if (phase === 'tiles') {
      bar.stop();
      bar = createProgressBar(io.stderr, { unit: '复核窗口 verifier windows', rateUnit: 'windows/s' });
      phase = 'verify';
      verifyT0 = p.elapsedS;
    }
    bar.update(p.windowsDone, p.windowsTotal, p.windowsDone / Math.max(p.elapsedS - verifyT0, 1e-3));
  };
  return { onProgress, stop: () => bar?.stop() };
}

/** Records the scan folder in the workspace; a store error names the workspace and says the scan output is kept. */
async function recordScan(io: Io, v: ScanFlags, workspaceFile: string, outDir: string): Promise<Recorded> {
  try {
    return await recordInWorkspace(workspaceFile, outDir, actorOf(v.actor), io.signal);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (typeof e.code === 'string' && e.code.startsWith('TIANDI_E_'))
      throw new Exit(fail(io, v.workspace!, `${e.message} [${e.code}]; the scan output is kept in ${outDir}`));
    throw err;
  }
}

/** The human summary: counts and speed, CRS notes, poor imagery, season warnings, the verifier's work, and what was recorded. */
async function printScanSummary(
  io: Io,
  v: ScanFlags,
  summary: ScanSummary,
  outDir: string,
  recorded: Recorded | undefined,
  season: Season | undefined,
): Promise<void> {
  const rel = path.relative(io.cwd, outDir) || '.';
  io.stdout.write(
    `扫描完成 scanned ${summary.images} image(s): ${summary.candidates} 个疑似地块 candidates, ` +
      `${summary.area_km2} km², ${summary.tiles_inferred}/${summary.tiles_total} tiles, ` +
      `${summary.seconds} s (${summary.mpx_per_s} Mpx/s) → ${rel}/\n`,
  );
  for (const note of [...(summary.crs_notes ?? []), ...(summary.band_notes ?? [])]) io.stderr.write(`tiandi: 注意 note: ${note}\n`);
  const q = summary.quality;
  if (q?.blocks_poor) {
    const why = Object.entries(q.by_reason)
      .map(([r, n]) => `${REASON_ZH[r] ?? r} ${r} ${n}`)
      .join(', ');
    io.stdout.write(
      `影像质量 imagery quality: ${q.blocks_poor}/${q.blocks_judged} 块较差 blocks poor (${why}), ${q.poor_area_km2} km² 不计入覆盖 left out of coverage → ${rel}/quality.geojson\n`,
    );
  }
  if (season) for (const w of await seasonWarnings(outDir, season)) io.stderr.write(`tiandi: 注意 note: ${w}\n`);
  printVerifier(io, summary);
  // Every scan says what its model has not seen, so no one reads "no candidate" as proof beyond the model's word.
  if (summary.model_warning) io.stdout.write(`模型 model ${summary.model} ${summary.model_version}: ${summary.model_warning}\n`);
  if (recorded) {
    io.stdout.write(
      `已记入工作区 recorded in ${v.workspace}: ${recorded.imagesAdded.length} 影像 images, ${recorded.candidatesAdded} 候选 candidates → ` +
        `${recorded.targetsCreated.length} 新目标 new targets, ${recorded.targetsChanged.length} 更新 updated` +
        (recorded.staleCertificates.length ? `; 证书证据已变化 certificates now stale: ${recorded.staleCertificates.join(', ')}` : '') +
        '\n',
    );
  }
}

/** What the verifier (and its prefilter) ruled out, what it could not look at, and how many candidates stay unverified. */
function printVerifier(io: Io, summary: ScanSummary): void {
  const vf = summary.verifier;
  if (vf) {
    io.stdout.write(
      `复核 verifier ${vf.model}: ${vf.candidates_rejected} 个候选被排除 candidates ruled out by a closer second look (threshold ${vf.threshold})\n`,
    );
    if (vf.prefilter)
      io.stdout.write(
        `  其中初筛 of which by the prefilter ${vf.prefilter.model}: ${vf.prefilter.candidates_rejected} (threshold ${vf.prefilter.threshold})\n`,
      );
    for (const s of vf.skipped) io.stdout.write(`  未复核 not verified ${s.image}: ${s.reason}; all its candidates are kept\n`);
  }
  if (summary.candidates_unverified) {
    io.stdout.write(
      `注意 note: ${summary.candidates_unverified} 个候选未经复核 candidates are unverified (only the first stage looked; "unverified": true in candidates.geojson)\n`,
    );
  }
}

/** Records a finished scan folder in the workspace, in one transaction (re-recording changes nothing). */
async function recordInWorkspace(file: string, outDir: string, actor: string, signal?: AbortSignal) {
  const { Workspace, importScanDir } = await import('@tiandi/store');
  const ws = Workspace.open(file);
  try {
    return await importScanDir(ws, outDir, actor, { signal });
  } finally {
    ws.close();
  }
}

interface SameImageNote {
  path: string;
  sameAs: string;
  by: 'sha256' | 'pixels';
}

/**
 * Which of these image files the workspace already holds (same file sha256 or pixel digest, under any name) and
 * has scanned with this model's version: those need no scan. A new model version scans them again.
 */
async function sameImageryInWorkspace(file: string, paths: string[], modelDir: string, signal?: AbortSignal): Promise<SameImageNote[]> {
  const [{ Workspace, alreadyScanned }, { imageDigests, loadModelCard }] = await Promise.all([import('@tiandi/store'), import('@tiandi/tiles/node')]);
  const card = await loadModelCard(modelDir);
  const ws = Workspace.open(file);
  try {
    const out: SameImageNote[] = [];
    for (const p of paths) {
      if (!existsSync(p)) continue; // the scan names a missing file itself
      const d = await imageDigests(p, { signal });
      const same = alreadyScanned(ws, d, card.name, card.version);
      if (same) out.push({ path: p, ...same });
    }
    return out;
  } finally {
    ws.close();
  }
}

async function loadTiles() {
  const [node, root] = await Promise.all([import('@tiandi/tiles/node'), import('@tiandi/tiles')]);
  return { scanImages: node.scanImages, TilesError: root.TilesError };
}

export default scan;

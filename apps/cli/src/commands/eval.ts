import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command, fail } from '../command';
import { resolveModelDir } from '../default-model';
import type { TruthReport } from '@tiandi/synth/node';
import { formatTruthReport, landLine, namedInputs } from './eval-truth';

const usage = `用法 Usage:
  tiandi eval [--scenes 20] [--seed 9000] [--model models/poppy-synth] [--size-m 150] [--gsd 0.03,0.05,...] [--engine scan|bare] [--json] [--write-card]
              [--variety classic|wide] [--real-negatives <folder | 'folder/name-*.tif'>...]
  tiandi eval --truth <truth.geojson> <image.tif>...   |   tiandi eval --labelled <folder>...   [--misses <folder>]

在未参与训练的合成场景上评估模型 Evaluate a model on held-out synthetic scenes (seeds never used in
training or calibration: 1000-1299 and 8000-8099 are reserved). Each scene (3-8 cm GSD, one of six CRSs) is written as a COG,
read back at the model's GSD, scanned in tiles and its candidate plots compared with the truth.
Prints plot-level recall / precision / F1, recall by plot size and stage, false-positive candidates
per km², tile-level ROC AUC and the threshold reaching 95 % recall.
  --engine      scan (默认 default: the full scan pipeline of @tiandi/tiles) or bare (tiled session.run only)
  --gsd         场景分辨率 scene GSDs in metres, used in turn (default: each scene draws one in 3-8 cm)
  --real-negatives 真实负样本 folders of REAL imagery known to hold no poppy (or quoted patterns such as
                'real-aerial/harv-*.tif'); every candidate there is false: prints false candidates per km² per
                folder and per file, beside the synthetic table. --scenes 0 runs only these.
  --truth       标注真值 a GeoJSON of poppy plot polygons (WGS 84, or a CRS named in its "crs" member; features
                whose class is set and not "poppy" are ignored), followed by the GeoTIFFs it labels: scans them with
                the normal scan pipeline and prints plot recall (all and >= 4 m²), precision and false candidates
                per km², per image and overall, and each plot missed. Repeat --truth for several truth files.
  --labelled    标注文件夹 a folder holding GeoTIFFs and their truth GeoJSON (all *.geojson in it), as --truth.
                With --truth or --labelled, --scenes defaults to 0 (no synthetic scenes).
  --misses      漏检误报图片 with --truth or --labelled: a PNG of each plot missed (its outline in red) and each false
                candidate (a yellow ring), cut from the image, into this folder
  --variety     场景世界 classic (默认 default: the renderer the model was trained on) or wide (domain-randomised:
                other flower colours, rosettes, rows, intercrops, irregular plots, shade, camera and processing);
                with --write-card, wide writes its numbers beside the classic ones as wide_*
  --json        机器可读 print the report as JSON
  --write-card  把指标写入模型说明 write the metrics into <model>/model.json
`;

const FLAGS = {
  scenes: { type: 'string' },
  seed: { type: 'string' },
  model: { type: 'string' },
  'size-m': { type: 'string' },
  json: { type: 'boolean' },
  'write-card': { type: 'boolean' },
  engine: { type: 'string' },
  gsd: { type: 'string' },
  variety: { type: 'string' },
  'real-negatives': { type: 'string', multiple: true },
  truth: { type: 'string', multiple: true },
  labelled: { type: 'string', multiple: true },
  misses: { type: 'string' },
} as const;

const evalCommand: Command = {
  summary: '在合成场景上评估模型 Evaluate a model on held-out synthetic scenes',
  usage,
  async run(argv, io) {
    const o = evalOptions(argv, io.cwd);
    if ('error' in o) return fail(io, o.file, o.error);
    const S = await import('@tiandi/synth/node');
    try {
      for (const a of o.realArgs) S.tiffsIn(a, io.cwd);
      for (const t of o.truthIn?.truth ?? []) S.readTruthFile(t); // before any scan: a bad truth file costs no wait
    } catch (err) {
      return fail(io, 'eval', (err as Error).message);
    }
    const { report, real, labelled } = await runEvaluations(S, o, io);
    io.stdout.write(
      o.json
        ? JSON.stringify({ ...report, ...(real ? { realNegatives: real } : {}), ...(labelled ? { labelled } : {}) }, null, 2) + '\n'
        : printedReports(report, real, labelled),
    );
    if (o.misses && labelled) {
      const n = await S.writeMissChips(labelled, o.truthIn!.images, o.misses);
      (o.json ? io.stderr : io.stdout).write(
        `漏检与误报图片 ${n} pictures of missed plots and false candidates → ${path.relative(io.cwd, o.misses) || '.'}/\n`,
      );
    }
    if (o.writeCard) {
      writeCardMetrics(o.cardPath, o.variety, report, real);
      io.stdout.write(`指标已写入 metrics written to ${path.relative(io.cwd, o.cardPath)}\n`);
    }
    return EXIT.ok;
  },
};

type Io = Parameters<Command['run']>[1];
type Synth = typeof import('@tiandi/synth/node');
/** A problem with the command line: the message, and the name to show it under. */
type Problem = { file: string; error: string };
interface EvalOptions {
  realArgs: string[];
  truthIn?: { truth: string[]; images: string[] };
  n: number;
  seed: number;
  sizeM: number;
  gsds?: number[];
  engine: 'scan' | 'bare';
  variety: 'classic' | 'wide';
  modelDir: string;
  cardPath: string;
  json?: boolean;
  writeCard?: boolean;
  /** Where the pictures of missed plots and false candidates go (--misses). */
  misses?: string;
}

/** The checked command line, or the first problem with it (and the name to show it under). */
function evalOptions(argv: string[], cwd: string): EvalOptions | Problem {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, options: FLAGS, allowPositionals: true });
  } catch (err) {
    return { file: 'eval', error: `${(err as Error).message}. Run 'tiandi eval --help'.` };
  }
  const v = parsed.values;
  const bad = (error: string): Problem => ({ file: 'eval', error });
  const named = namedInputs(v, parsed.positionals, cwd);
  if ('error' in named) return bad(named.error);
  const { realArgs, truthIn } = named;
  const n = Number(v.scenes ?? (truthIn ? 0 : 20)),
    seed = Number(v.seed ?? 9000),
    sizeM = Number(v['size-m'] ?? 150);
  if (!Number.isInteger(n) || n < (realArgs.length || truthIn ? 0 : 1) || n > 1000)
    return bad(`--scenes '${v.scenes}' must be an integer 1-1000 (0 only with --real-negatives, --truth or --labelled).`);
  const gsds = v.gsd === undefined ? undefined : v.gsd.split(',').map(Number);
  if (gsds && !gsds.every((g) => g >= 0.01 && g <= 0.2)) return bad(`--gsd '${v.gsd}' must be comma-separated GSDs of 0.01-0.2 m.`);
  if (!Number.isInteger(seed) || seed < 0) return bad(`--seed '${v.seed}' must be a non-negative integer.`);
  if (!(sizeM >= 20 && sizeM <= 2000)) return bad(`--size-m '${v['size-m']}' must be 20-2000 metres.`);
  const reserved: Array<[number, number]> = [
    [1000, 1299],
    [8000, 8099],
  ];
  const clash = reserved.find(([a, b]) => seed <= b && seed + n - 1 >= a);
  if (clash)
    return bad(
      `seeds ${seed}-${seed + n - 1} overlap seeds ${clash[0]}-${clash[1]} used for training or threshold calibration; choose held-out seeds (e.g. --seed 9000).`,
    );
  const engine = (v.engine ?? 'scan') as 'scan' | 'bare';
  if (engine !== 'scan' && engine !== 'bare') return bad(`--engine '${v.engine}' must be scan or bare.`);
  const variety = (v.variety ?? 'classic') as 'classic' | 'wide';
  if (variety !== 'classic' && variety !== 'wide') return bad(`--variety '${v.variety}' must be classic or wide.`);
  if (v.misses !== undefined && !truthIn) return bad('--misses needs --truth or --labelled: it pictures the plots a labelled evaluation missed.');
  const modelDir = resolveModelDir(cwd, v.model);
  const cardPath = path.join(modelDir, 'model.json');
  if (!fs.existsSync(cardPath) || !fs.existsSync(path.join(modelDir, 'model.onnx')))
    return { file: path.relative(cwd, modelDir) || modelDir, error: '找不到 model.json 或 model.onnx missing model.json or model.onnx in this folder.' };
  const misses = v.misses === undefined ? undefined : path.resolve(cwd, v.misses);
  return { realArgs, truthIn, n, seed, sizeM, gsds, engine, variety, modelDir, cardPath, json: v.json, writeCard: v['write-card'], misses };
}

/** Runs whichever evaluations the options ask for: synthetic scenes, real negatives, labelled imagery. */
async function runEvaluations(S: Synth, o: EvalOptions, io: Io): Promise<{ report?: Report; real?: RealReport; labelled?: TruthReport }> {
  const { modelDir, n, seed, sizeM, engine, gsds, variety, realArgs, truthIn } = o;
  const seeds = Array.from({ length: n }, (_, i) => seed + i);
  const report = n
    ? await S.evaluateModel({
        modelDir,
        seeds,
        sizeM,
        engine,
        signal: io.signal,
        gsds,
        variety,
        onScene: (d, t) => {
          if (io.stderr.isTTY) io.stderr.write(`\r场景 scene ${d}/${t}`);
        },
      })
    : undefined;
  if (io.stderr.isTTY && report) io.stderr.write('\n');
  const real = realArgs.length ? await S.evaluateRealNegatives({ modelDir, folders: realArgs, cwd: io.cwd, signal: io.signal }) : undefined;
  const labelled = truthIn ? await S.evaluateTruth({ modelDir, truth: truthIn.truth, images: truthIn.images, signal: io.signal }) : undefined;
  return { report, real, labelled };
}

/** --write-card: the synthetic metrics (wide ones beside the classic ones) and the real-negative ones into model.json. */
function writeCardMetrics(cardPath: string, variety: 'classic' | 'wide', report?: Report, real?: RealReport): void {
  const card = JSON.parse(fs.readFileSync(cardPath, 'utf8'));
  if (report && variety === 'wide') Object.assign((card.metrics ??= {}), wideCardMetrics(report));
  else if (report) card.metrics = cardMetrics(report);
  if (real) Object.assign((card.metrics ??= {}), realCardMetrics(real));
  fs.writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
}

type Report = Awaited<ReturnType<typeof import('@tiandi/synth/node').evaluateModel>>;

/** The tables of whichever evaluations ran: synthetic scenes, real negatives, labelled imagery. */
function printedReports(report?: Report, real?: RealReport, labelled?: TruthReport): string {
  return [
    report && '== 合成场景 SYNTHETIC held-out scenes ==\n' + formatReport(report),
    real && '== 真实影像（无罂粟）REAL imagery without poppy: every candidate is false ==\n' + formatRealNegatives(real),
    labelled && '== 标注影像 LABELLED imagery: candidates against the truth ==\n' + formatTruthReport(labelled),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The card's `metrics` block (flat numbers and strings, per docs/model-card.md). */
export function cardMetrics(r: Report): Record<string, number | string | null> {
  const p = r.plot;
  const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    eval_seeds: r.seeds,
    eval_scenes: r.scenes,
    eval_area_km2: r3(p.areaKm2),
    eval_plots: p.plots,
    plot_recall: r3(p.recall),
    plot_recall_ge4m2: r3(p.recallGe4m2),
    plot_precision: r3(p.precision),
    f1: r3(p.f1),
    fp_per_km2: r3(p.fpPerKm2),
    // Land inside candidates: what teams search (absent from reports made before it was measured).
    ...(p.candidateLand ? { candidate_land_share: r3(p.candidateLand.share), candidate_largest_m2: Math.round(p.candidateLand.largestM2) } : {}),
    recall_lt5m2: r3(p.bySize.lt5m2.recall),
    recall_5to20m2: r3(p.bySize.m2_5to20.recall),
    recall_gt20m2: r3(p.bySize.gt20m2.recall),
    recall_flowering: r3(p.byStage.flowering?.recall ?? null),
    recall_capsule: r3(p.byStage.capsule?.recall ?? null),
    tile_roc_auc: r3(r.tileRocAuc),
    threshold_at_95_recall: r3(r.thresholdAt95Recall),
    verifier_threshold: r.verifier?.threshold ?? null,
    ...(r.verifier?.prefilter ? { prefilter_threshold: r.verifier.prefilter.threshold } : {}),
    issue_targets: targetsVerdict(r),
    ...Object.fromEntries(
      r.byGsd.flatMap((g) => {
        const k = `${Math.round(g.gsdM * 100)}cm`;
        return [
          [`recall_ge4m2_${k}`, r3(g.plot.recallGe4m2)],
          [`precision_${k}`, r3(g.plot.precision)],
          [`fp_per_km2_${k}`, r3(g.plot.fpPerKm2)],
        ];
      }),
    ),
  };
}

/** The wide world's numbers, written beside the classic ones: recall of plots ≥ 4 m², precision, FP / km², per GSD too. */
export function wideCardMetrics(r: Report): Record<string, number | string | null> {
  const keep =
    /^(eval_seeds|eval_scenes|eval_plots|plot_recall|plot_recall_ge4m2|plot_precision|fp_per_km2|recall_(flowering|capsule|rosette)|recall_ge4m2_\d+cm|precision_\d+cm)$/;
  const r3 = (x: number | null | undefined) => (x == null ? null : Math.round(x * 1000) / 1000);
  const all = { ...cardMetrics(r), recall_rosette: r3(r.plot.byStage.rosette?.recall) };
  return Object.fromEntries(
    Object.entries(all)
      .filter(([k]) => keep.test(k))
      .map(([k, v]) => [`wide_${k}`, v]),
  );
}

type RealReport = Awaited<ReturnType<typeof import('@tiandi/synth/node').evaluateRealNegatives>>;

/** A short key for a real-negative argument: the folder's name, or the pattern's name part without `*` and extension. */
export function realKey(arg: string): string {
  const b = path.basename(arg.replace(/[\\/]+$/, ''));
  return (
    b
      .replace(/\.(tif|tiff)$/i, '')
      .replace(/\*/g, '')
      .replace(/[^0-9A-Za-z]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'real'
  );
}

/** The card's real-negative metrics: false candidates per km² and the ground they were counted on, per argument. */
export function realCardMetrics(real: RealReport): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const f of real) {
    const k = realKey(f.folder);
    out[`real_${k}_files`] = f.files.length;
    out[`real_${k}_area_km2`] = Math.round(f.areaKm2 * 1e4) / 1e4;
    out[`real_${k}_false_candidates`] = f.candidates;
    out[`real_${k}_fp_per_km2`] = Math.round(f.perKm2 * 10) / 10;
  }
  return out;
}

/** The real-negative table: each folder's total, then each file with any false candidate (the rest summed up). */
export function formatRealNegatives(real: RealReport): string {
  const lines: string[] = [];
  for (const f of real) {
    lines.push(
      `${f.folder}: ${f.files.length} files, ${f.areaKm2.toFixed(4)} km², ${f.candidates} 误报 false candidates = ${f.perKm2.toFixed(1)} / km²` +
        (f.unverified ? ` (${f.unverified} unverified)` : '') +
        (f.failed.length ? `; ${f.failed.length} failed` : ''),
    );
    for (const x of f.files) {
      lines.push(
        `  ${x.file.padEnd(24)} ${x.gsdM.toFixed(4)} m  ${x.crs.padEnd(11)} ${x.areaKm2.toFixed(4)} km²  ${String(x.candidates).padStart(4)} false = ${x.perKm2.toFixed(1).padStart(7)} / km²` +
          (x.unverified ? ` (${x.unverified} unverified)` : ''),
      );
    }
    for (const x of f.failed) lines.push(`  ${x.image}: 失败 failed: ${x.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Plain statement of whether the synthetic floors (recall ≥ 0.95 for plots ≥ 4 m² at precision ≥ 0.90, ≤ 2 FP/km²) are met. */
export function targetsVerdict(r: Report): string {
  const p = r.plot;
  const fails: string[] = [];
  // Three decimals: 0.947 must not print as "0.95 < 0.95".
  if ((p.recallGe4m2 ?? 0) < 0.95) fails.push(`recall >=4 m2 ${(p.recallGe4m2 ?? 0).toFixed(3)} < 0.95`);
  if ((p.precision ?? 0) < 0.9) fails.push(`precision ${(p.precision ?? 0).toFixed(3)} < 0.90`);
  if (p.fpPerKm2 > 2) fails.push(`${p.fpPerKm2.toFixed(0)} FP/km2 > 2`);
  return fails.length ? `NOT MET: ${fails.join('; ')}` : 'met';
}

function formatReport(r: Report): string {
  const p = r.plot;
  const pc = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
  const rows: Array<[string, string]> = [
    ['模型 model', `${r.model.name} ${r.model.version}`],
    ['场景 scenes (seeds)', `${r.scenes} (${r.seeds}), ${p.areaKm2.toFixed(3)} km²${r.variety === 'wide' ? ', wide (domain-randomised) world' : ''}`],
    ['阈值 thresholds high/low/min m²', `${r.thresholds.high} / ${r.thresholds.low} / ${r.thresholds.min_area_m2}`],
    [
      '复核 verifier',
      r.verifier ? `${r.verifier.model}/, keeps candidates scoring ≥ ${r.verifier.threshold} on ${r.verifier.max_windows} windows` : '— (first stage only)',
    ],
    ...(r.verifier?.prefilter
      ? [
          [
            '初筛 prefilter',
            `${r.verifier.prefilter.model}/, passes candidates scoring ≥ ${r.verifier.prefilter.threshold} on ${r.verifier.prefilter.max_windows ?? 4} windows to the verifier`,
          ] as [string, string],
        ]
      : []),
    ['真实地块 true plots', `${p.plots} (found ${p.plotsFound})`],
    ['召回率 plot recall', pc(p.recall)],
    ['召回率 ≥4 m² recall', pc(p.recallGe4m2)],
    ['精确率 plot precision', `${pc(p.precision)} (${p.candidatesTrue}/${p.candidates} candidates)`],
    ['F1', p.f1 === null ? '—' : p.f1.toFixed(3)],
    ['误报 FP candidates / km²', `${p.fpPerKm2.toFixed(2)} (${p.fpCandidates})`],
    ['候选面积 land in candidates', landLine(p.candidateLand)],
    ['召回 <5 m²', `${pc(p.bySize.lt5m2.recall)} (${p.bySize.lt5m2.found}/${p.bySize.lt5m2.plots})`],
    ['召回 5–20 m²', `${pc(p.bySize.m2_5to20.recall)} (${p.bySize.m2_5to20.found}/${p.bySize.m2_5to20.plots})`],
    ['召回 >20 m²', `${pc(p.bySize.gt20m2.recall)} (${p.bySize.gt20m2.found}/${p.bySize.gt20m2.plots})`],
    ...Object.entries(p.byStage).map(([s, g]) => [`召回 stage ${s}`, `${pc(g.recall)} (${g.found}/${g.plots})`] as [string, string]),
    ...r.byGsd.map(
      (g) =>
        [
          `GSD ${g.gsdM} m (${g.scenes} scenes)`,
          `recall ≥4 m² ${pc(g.plot.recallGe4m2)}, all ${pc(g.plot.recall)} (${g.plot.plotsFound}/${g.plot.plots}), precision ${pc(g.plot.precision)}, ${g.plot.fpCandidates} FP; ${g.crss.join(' ')}`,
        ] as [string, string],
    ),
    ['瓦片 tile ROC AUC', r.tileRocAuc === null ? '—' : `${r.tileRocAuc.toFixed(4)} (${r.tiles} tiles)`],
    ['95 %召回阈值 threshold @95 % recall', r.thresholdAt95Recall === null ? '—' : r.thresholdAt95Recall.toFixed(3)],
    ['速度 speed', `${r.imageryMpxPerS.toFixed(0)} Mpx/s of imagery (${r.engine === 'scan' ? 'full scan' : 'bare session.run'})`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, val]) => `${k.padEnd(w + 2)}${val}`).join('\n') + '\n';
}

export default evalCommand;

import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { resolveModelDir } from '../default-model';
import { imageFinder } from '../find-images';
import { UsageError, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi adapt --workspace <file.gpkg> --images <folder> [--model <dir>] [--out <dir>]
                    [--synthetic <scenes>] [--seed 1] [--held-out 0.3]
                    [--lambda <l>] [--raise-threshold] [--json]

本地适配 Local adaptation: 用工作区的标注重新拟合复核模型的最后一层，并重新选择阈值。
Fits the verifier's last layer to the workspace's labels and re-chooses its threshold, in TypeScript:
  - 室内判为"非罂粟" desk "not poppy" → negative (a desk "poppy-like" only asks for a visit: no label)
  - 地面核实 ground: confirmed / eradicated → positive; inspected negative → negative
  - 漏检地块 plots the scan missed (missed_by_scan) → positive
Each label's verifier window is read from its image in --images (found by content, sha256, or by name).
--synthetic N adds positive windows from N synthetic scenes (合成阳性样本, for offices with few confirmed
plots; recorded as source 'synthetic'). By default the pull toward the shipped layer (lambda 0.05, 0.015 or 0.005)
and how far the threshold may rise above the shipped one (0, 1/2 or 3/4 of the way to the lowest fit positive kept)
are chosen by 3-fold cross-validation on the fit labels (fewest false positives at the shipped recall, then the
lowest out-of-fold log loss, then the higher threshold); --lambda fixes lambda, --raise-threshold a rise of 1/2. Labels are split by image (seeded) into fit and held-out; the new model version (--out, default
<model>-adapted-N beside the model) carries adaptation.json with the labels used and held-out metrics
before and after. Where it is not better on the held-out labels it says so: do not adopt it.
`;

/** The first free <model>-adapted-N folder beside the model. */
function nextOutDir(modelDir: string): string {
  const base = modelDir.replace(/-adapted-\d+$/, '');
  for (let n = 1; ; n++) if (!existsSync(`${base}-adapted-${n}`)) return `${base}-adapted-${n}`;
}

const FLAGS = {
  images: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  'held-out': { type: 'string' },
  synthetic: { type: 'string' },
  lambda: { type: 'string' },
  'raise-threshold': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const adapt: Command = {
  summary: "本地适配复核模型 Adapt the verifier to the workspace's labels (new model version)",
  usage,
  async run(argv, io) {
    return runCommand(io, 'adapt', async () => {
      const { values: v } = parseFlags('adapt', argv, FLAGS);
      const o = adaptOptions(v, io);
      const points = await readLabels(v.workspace, io);
      const { windows, missing, outside } = await readWindows(o.modelDir, o.images, points, io);
      if (missing.size)
        io.stderr.write(
          `未找到影像 ${missing.size} image(s) not in --images (their labels are left out): ${[...missing].slice(0, 5).join(', ')}${missing.size > 5 ? ' …' : ''}\n`,
        );
      if (o.synthetic) {
        const { syntheticPositiveWindows } = await import('@tiandi/synth/node');
        windows.push(
          ...(await syntheticPositiveWindows(o.modelDir, {
            scenes: o.synthetic,
            onScene: (seed, n) => io.stderr.write(`合成场景 synthetic scene ${seed}: ${n} positive windows\n`),
          })),
        );
      }
      if (!windows.length) throw new UsageError(o.images, '没有可读取的标注窗口 no label could be read: put the scanned GeoTIFFs in this folder');
      const { adaptVerifier } = await import('@tiandi/tiles/node');
      const rec = await adaptVerifier({
        modelDir: o.modelDir,
        windows,
        outDir: o.out,
        seed: o.seed,
        heldOut: o.heldOut,
        lambda: o.lambda,
        raiseThreshold: v['raise-threshold'],
        onProgress: (m) => io.stderr.write(`${m}\n`),
      });
      if (v.json) io.stdout.write(JSON.stringify({ out: o.out, ...rec, images_missing: [...missing], points_outside: outside }) + '\n');
      else printAdaptation(io, rec, o.out);
      return EXIT.ok;
    });
  },
};

export default adapt;

type Io = Parameters<Command['run']>[1];
type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];
type LabelPoint = ReturnType<typeof import('@tiandi/store').adaptationPoints>[number];
type LabelWindow = Awaited<ReturnType<typeof import('@tiandi/tiles/node').readLabelWindows>>['windows'][number];
type Adaptation = Awaited<ReturnType<typeof import('@tiandi/tiles/node').adaptVerifier>>;

/** The checked flags: a UsageError naming the first bad one, in the order the usage lists them. */
function adaptOptions(v: Values, io: Io) {
  if (!v.images) throw new UsageError('adapt', '缺少 --images missing --images <folder> (where the scanned GeoTIFFs are)');
  const seed = v.seed === undefined ? 1 : Number(v.seed),
    heldOut = v['held-out'] === undefined ? 0.3 : Number(v['held-out']);
  if (!Number.isInteger(seed)) throw new UsageError('adapt', `--seed '${v.seed}' 应为整数 must be an integer`);
  const synthetic = v.synthetic === undefined ? 0 : Number(v.synthetic);
  if (!(Number.isInteger(synthetic) && synthetic >= 0 && synthetic <= 50))
    throw new UsageError('adapt', `--synthetic '${v.synthetic}' 应为 0–50 的整数 must be a whole number of scenes, 0–50`);
  const lambda = v.lambda === undefined ? undefined : Number(v.lambda);
  if (lambda !== undefined && !(lambda > 0)) throw new UsageError('adapt', `--lambda '${v.lambda}' 应为正数 must be a number > 0`);
  if (!(heldOut > 0 && heldOut < 1)) throw new UsageError('adapt', `--held-out '${v['held-out']}' 应在 0 与 1 之间 must be between 0 and 1`);
  const modelDir = resolveModelDir(io.cwd, v.model);
  const out = v.out ? path.resolve(io.cwd, v.out) : nextOutDir(modelDir);
  return { images: v.images, seed, heldOut, synthetic, lambda, modelDir, out };
}

/** The workspace's labels (desk decisions, ground reports, missed plots); a UsageError when there are none. */
async function readLabels(workspace: string | undefined, io: Io): Promise<LabelPoint[]> {
  const { Workspace, adaptationPoints } = await import('@tiandi/store');
  const ws = Workspace.open(workspacePath(workspace, io));
  let points;
  try {
    points = adaptationPoints(ws);
  } finally {
    ws.close();
  }
  if (!points.length)
    throw new UsageError('adapt', '工作区没有标注 the workspace has no labels yet: decide candidates "not poppy" at the desk, or import ground reports');
  return points;
}

/** Reads each label's verifier window from its image in --images; images not found are listed, not fatal. */
async function readWindows(
  modelDir: string,
  images: string,
  points: LabelPoint[],
  io: Io,
): Promise<{ windows: LabelWindow[]; missing: Set<string>; outside: number }> {
  const { readLabelWindows } = await import('@tiandi/tiles/node');
  const find = await imageFinder(path.resolve(io.cwd, images));
  const windows: LabelWindow[] = [];
  const missing = new Set<string>();
  let outside = 0;
  for (const imageId of [...new Set(points.map((p) => p.image_id))]) {
    const mine = points.filter((p) => p.image_id === imageId);
    const file = find(imageId, mine[0].image_sha256);
    if (!file) {
      missing.add(imageId);
      continue;
    }
    const r = await readLabelWindows(
      modelDir,
      file,
      imageId,
      mine.map((p) => ({ lonLat: p.lonLat, label: p.label, item: p.target_id, source: p.source })),
    );
    windows.push(...r.windows);
    outside += r.outside;
  }
  return { windows, missing, outside };
}

/** The new version, its labels, threshold and held-out metrics before → after, and whether to adopt it. */
function printAdaptation(io: Io, rec: Adaptation, out: string): void {
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  const { before, after } = rec.held_out;
  io.stdout.write(`新模型版本 New model version ${rec.version} → ${rel(io, out)}\n`);
  io.stdout.write(
    `标注 Labels: ${Object.entries(rec.labels.by_source)
      .map(([s, c]) => `${s} +${c.positive}/−${c.negative}`)
      .join(', ')} (${rec.labels.fit_items} fit, ${rec.labels.held_out_items} held out) in ${rec.seconds.toFixed(1)} s\n`,
  );
  io.stdout.write(
    `阈值 Threshold ${rec.threshold.before} → ${rec.threshold.after.toFixed(4)}${rec.settings ? ` (lambda ${rec.settings.lambda}, rise ${rec.settings.raise}: ${rec.settings.chosen_by})` : ''}\n`,
  );
  io.stdout.write(
    `留出 Held out: recall ${f(before.recall)} → ${f(after.recall)}, false-positive rate ${f(before.false_positive_rate)} → ${f(after.false_positive_rate)}\n`,
  );
  io.stdout.write(rec.adopt ? `可采用 Better on held-out labels: ${rec.why}\n` : `不采用 Not adopted — ${rec.why}\n`);
}

import fs from 'node:fs';
import path from 'node:path';
import { adaptationPoints, adoptModel, verifiedCandidates, type Workspace } from '@tiandi/store';
import type { ServerContext } from '../context';
import { ServerError } from '../errors';
import { DEFAULT_MODEL_DIR } from '../jobs/default-scan-runner';
import { rasterCatalogOf } from '../routes/rasters';

/** The server's model folder (the one scans use) and the folder adapted versions are written to. */
export function modelDirs(ctx: ServerContext): { modelDir: string; adaptedDir: string } {
  return { modelDir: path.resolve(ctx.options.modelDir ?? DEFAULT_MODEL_DIR), adaptedDir: path.join(ctx.options.dataDir, 'models') };
}

/** The orthophoto files the server holds, by workspace image id (uploads and listed rasters). */
async function imageFiles(ctx: ServerContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await rasterCatalogOf(ctx).list()) if (e.kind === 'ortho') out.set(e.imageId ?? e.name, e.file);
  return out;
}

/** The first free `<model>-adapted-N` folder name under the adapted-models folder. */
function nextVersionDir(adaptedDir: string, modelDir: string): string {
  const base = path.basename(modelDir).replace(/-adapted-\d+$/, '');
  for (let n = 1; ; n++) if (!fs.existsSync(path.join(adaptedDir, `${base}-adapted-${n}`))) return path.join(adaptedDir, `${base}-adapted-${n}`);
}

/** Refuses up front (before any job starts) when the workspace has no label to learn from. */
export function checkHasLabels(ws: Workspace): void {
  if (!adaptationPoints(ws).length)
    throw new ServerError(
      'TIANDI_E_CONFLICT',
      '工作区还没有标注 the workspace has no labels yet: decide candidates "not poppy" in desk triage, or import ground reports, first',
      { field: 'labels' },
    );
}

/**
 * `tiandi adapt` on the server: the workspace's labels read as verifier windows from the orthophotos the server holds,
 * optional synthetic positives, a new version written under `<dataDir>/models`, audited as `model.adapt`.
 */
export async function runAdaptation(
  ctx: ServerContext,
  ws: Workspace,
  actor: string,
  o: { synthetic: number },
  say: (line: string) => void,
): Promise<Record<string, unknown>> {
  const { modelDir, adaptedDir } = modelDirs(ctx);
  const { adaptVerifier, readLabelWindows } = await import('@tiandi/tiles/node');
  const points = adaptationPoints(ws);
  const files = await imageFiles(ctx);
  const windows = [];
  const missing: string[] = [];
  const imageIds = [...new Set(points.map((p) => p.image_id))];
  for (const [k, imageId] of imageIds.entries()) {
    const file = files.get(imageId);
    if (!file) {
      missing.push(imageId);
      continue;
    }
    say(`读取标注窗口 reading label windows ${k + 1}/${imageIds.length}: ${imageId}`);
    const mine = points.filter((p) => p.image_id === imageId);
    windows.push(
      ...(
        await readLabelWindows(
          modelDir,
          file,
          imageId,
          mine.map((p) => ({ lonLat: p.lonLat, label: p.label, item: p.target_id, source: p.source })),
        )
      ).windows,
    );
  }
  if (missing.length) say(`未找到影像 ${missing.length} image(s) not on the server, their labels left out: ${missing.slice(0, 5).join(', ')}`);
  if (o.synthetic) {
    const { syntheticPositiveWindows } = await import('@tiandi/synth/node');
    windows.push(
      ...(await syntheticPositiveWindows(modelDir, {
        scenes: o.synthetic,
        onScene: (seed, n) => say(`合成场景 synthetic scene ${seed}: ${n} positive windows`),
      })),
    );
  }
  if (!windows.length)
    throw new ServerError('TIANDI_E_CONFLICT', '没有可读取的标注窗口 no label could be read: the server holds none of the labelled images', {
      field: 'labels',
    });
  fs.mkdirSync(adaptedDir, { recursive: true });
  const outDir = nextVersionDir(adaptedDir, modelDir);
  const rec = await adaptVerifier({ modelDir, windows, outDir, onProgress: say });
  const summary = {
    dir: path.basename(outDir),
    version: rec.version,
    labels: rec.labels.by_source,
    threshold: rec.threshold,
    settings: rec.settings,
    held_out: rec.held_out,
    adopt: rec.adopt,
    why: rec.why,
    seconds: rec.seconds,
    images_missing: missing,
  };
  ws.write(actor, (audit) => audit('model.adapt', `${path.basename(outDir)}@${rec.version}`, summary));
  say(rec.adopt ? `可采用 better on held-out labels: ${rec.why}` : `不建议采用 not recommended: ${rec.why}`);
  return summary;
}

/** The adapted version folder `name` under `<dataDir>/models` with its adaptation record, or a 404 naming it. */
export function adaptedVersion(ctx: ServerContext, name: string): { dir: string; record: { adopt: boolean; why: string } } {
  const dir = path.join(modelDirs(ctx).adaptedDir, name);
  const recPath = path.join(dir, 'adaptation.json');
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !fs.existsSync(recPath))
    throw new ServerError('TIANDI_E_NOT_FOUND', `没有适配版本 no adapted version '${name}' on the server (run an adaptation first)`, { field: 'version' });
  return { dir, record: JSON.parse(fs.readFileSync(recPath, 'utf8')) };
}

/** Every adapted version on the server, newest first, with what its record says. */
export function listAdaptedVersions(ctx: ServerContext): Record<string, unknown>[] {
  const { adaptedDir } = modelDirs(ctx);
  if (!fs.existsSync(adaptedDir)) return [];
  return fs
    .readdirSync(adaptedDir)
    .filter((n) => fs.existsSync(path.join(adaptedDir, n, 'adaptation.json')))
    .map((name) => {
      const r = JSON.parse(fs.readFileSync(path.join(adaptedDir, name, 'adaptation.json'), 'utf8'));
      return {
        dir: name,
        version: r.version,
        created_at: r.created_at,
        adopt: r.adopt,
        why: r.why,
        labels: r.labels?.by_source,
        threshold: r.threshold,
        held_out: r.held_out,
      };
    })
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
}

/**
 * `tiandi model adopt` on the server: every verified candidate re-scored from its orthophoto by the version's verifier
 * (no rescan), the scores stored, targets below its threshold dismissed by the model (their own status), audited.
 * An image the server does not hold stops it before anything is changed.
 */
export async function runAdoption(
  ctx: ServerContext,
  ws: Workspace,
  actor: string,
  o: { name: string; force: boolean },
  say: (line: string) => void,
): Promise<Record<string, unknown>> {
  const { dir, record } = adaptedVersion(ctx, o.name);
  const { loadModelCard, rescoreCandidates } = await import('@tiandi/tiles/node');
  const card = await loadModelCard(dir);
  const files = await imageFiles(ctx);
  const cands = verifiedCandidates(ws);
  const imageIds = [...new Set(cands.map((c) => c.image_id))];
  const missing = imageIds.filter((id) => !files.has(id));
  if (missing.length)
    throw new ServerError(
      'TIANDI_E_CONFLICT',
      `服务器上没有影像 ${missing.slice(0, 5).join(', ')}: every verified candidate must be re-scored, so nothing was changed`,
      { field: 'images' },
    );
  const scores = new Map<string, number>();
  for (const [k, imageId] of imageIds.entries()) {
    const mine = cands.filter((c) => c.image_id === imageId);
    say(`重新评分 re-scoring ${mine.length} candidates of ${imageId} (${k + 1}/${imageIds.length})`);
    for (const [id, s] of await rescoreCandidates(
      dir,
      files.get(imageId)!,
      mine.map((c) => ({ id: c.candidate_id, boxes: c.boxes })),
    ))
      scores.set(id, s);
  }
  const threshold = card.verifier!.threshold;
  const r = adoptModel(ws, { dir, name: card.name, version: card.version, threshold }, scores, actor, record.adopt ? undefined : `forced: ${record.why}`);
  say(
    `已采用 adopted ${card.name} ${card.version}: ${r.rescored} re-scored, ${r.below_threshold} below ${threshold}, ${r.dismissed} targets dismissed by the model`,
  );
  return { dir: o.name, name: card.name, version: card.version, threshold, ...r };
}

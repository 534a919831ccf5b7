import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { imageFinder } from '../find-images';
import type { Workspace } from '@tiandi/store';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi model adopt <adapted-model-dir> --workspace <file.gpkg> --images <folder> [--force] [--actor <name>]
  tiandi model restore --workspace <file.gpkg> [--actor <name>]
  tiandi model status --workspace <file.gpkg>

采用本地适配的模型 Adopt a model version made by 'tiandi adapt': its verifier re-scores the workspace's verified
candidates from their images (no rescan); the new scores replace the stored ones and the old ones are kept.
A version whose adaptation.json says it is not better on held-out labels is refused unless --force.
restore 恢复上一版本 puts back the scores from before the last adoption. Both are audited.
`;

const model: Command = {
  summary: '采用或恢复复核模型版本 Adopt an adapted verifier (re-score without rescanning) or restore the previous one',
  usage,
  async run(argv, io) {
    return runCommand(io, 'model', async () => {
      const { values: v, positionals } = parseFlags('model', argv, { images: { type: 'string' }, force: { type: 'boolean' } });
      const action = positionals[0];
      const S = await import('@tiandi/store');
      const actor = actorOf(v.actor);
      if (action === 'status' || action === 'restore') {
        const ws = S.Workspace.open(workspacePath(v.workspace, io));
        try {
          if (action === 'status') printStatus(S, ws, io);
          else restore(S, ws, actor, io);
        } finally {
          ws.close();
        }
        return EXIT.ok;
      }
      if (action !== 'adopt') throw new UsageError('model', `未知操作 unknown action '${action ?? ''}': use adopt, restore or status`);
      await adopt(S, positionals[1], v, actor, io);
      return EXIT.ok;
    });
  },
};

export default model;

type Io = Parameters<Command['run']>[1];
type Store = typeof import('@tiandi/store');
type VerifiedCandidate = ReturnType<Store['verifiedCandidates']>[number];
/** What `tiandi model adopt` reads of an adapted version's adaptation.json. */
type AdaptationRecord = { adopt: boolean; why: string; from?: { dir: string; version: string }; threshold?: { before: number } };

function printStatus(S: Store, ws: Workspace, io: Io): void {
  const m = S.adoptedModel(ws);
  io.stdout.write(
    m
      ? `采用中 In force: ${m.name} ${m.version} (threshold ${m.threshold}) from ${m.dir}\n`
      : "扫描时的分数 The scans' own verifier scores (no adopted version)\n",
  );
}

function restore(S: Store, ws: Workspace, actor: string, io: Io): void {
  const r = S.restoreModel(ws, actor);
  io.stdout.write(
    `已恢复 Restored ${r.candidates} candidates' scores from before ${r.restored.name} ${r.restored.version}; now: ${r.now ? `${r.now.name} ${r.now.version}` : "the scans' own scores"}; ${r.undone} model dismissals undone\n`,
  );
}

/** adopt: checks the version may be adopted, re-scores every verified candidate with it, and records the new scores. */
async function adopt(S: Store, dirArg: string | undefined, v: { images?: string; force?: boolean; workspace?: string }, actor: string, io: Io): Promise<void> {
  if (!dirArg) throw new UsageError('model', '缺少模型目录 missing <adapted-model-dir> (made by tiandi adapt)');
  if (!v.images) throw new UsageError('model', '缺少 --images missing --images <folder> (where the scanned GeoTIFFs are)');
  const dir = path.resolve(io.cwd, dirArg);
  const recPath = path.join(dir, 'adaptation.json');
  if (!existsSync(recPath)) throw new UsageError(dirArg, "没有 adaptation.json: not a version made by 'tiandi adapt'");
  const rec = JSON.parse(readFileSync(recPath, 'utf8')) as AdaptationRecord;
  if (!rec.adopt && !v.force) throw new UsageError(dirArg, `不采用 not adopted: ${rec.why} (--force to adopt anyway)`);
  const { loadModelCard } = await import('@tiandi/tiles/node');
  const card = await loadModelCard(dir);
  const find = await imageFinder(path.resolve(io.cwd, v.images));
  const ws = S.Workspace.open(workspacePath(v.workspace, io));
  try {
    const { scores, missing, agree, compared } = await rescoreAll(S.verifiedCandidates(ws), dir, rec, find, io);
    if (missing.size)
      throw new UsageError(
        v.images,
        `未找到影像 ${missing.size} image(s) not in --images (${[...missing].slice(0, 5).join(', ')}): every verified candidate must be re-scored, so nothing was changed`,
      );
    const threshold = card.verifier!.threshold;
    const r = S.adoptModel(ws, { dir, name: card.name, version: card.version, threshold }, scores, actor, rec.adopt ? undefined : `forced: ${rec.why}`);
    io.stdout.write(
      `已采用 Adopted ${card.name} ${card.version} (${rel(io, dir)}): ${r.rescored} candidates re-scored, ${r.below_threshold} now below its threshold ${threshold}; ${r.dismissed} targets dismissed by the model (dismissed_model: not visited, counted only as policy.model_dismissal allows)${r.undone ? `, ${r.undone} earlier model dismissals undone` : ''}\n`,
    );
    if (compared)
      io.stdout.write(
        `复核一致性 Re-scoring check: the previous version on the same windows agrees with the scan's pass/fail on ${agree} of ${compared} candidates (the rest move by where the windows are, not by the adaptation)\n`,
      );
  } finally {
    ws.close();
  }
}

/**
 * Re-scores the candidates image by image with the version in `dir`; images not found are listed. Where the version
 * it came from is at hand, the same windows scored by it say how far the re-scoring grid alone moves pass/fail
 * (the scan chose its windows at the heatmap's strongest cells, which the workspace does not keep).
 */
async function rescoreAll(cands: VerifiedCandidate[], dir: string, rec: AdaptationRecord, find: Awaited<ReturnType<typeof imageFinder>>, io: Io) {
  const { rescoreCandidates } = await import('@tiandi/tiles/node');
  const scores = new Map<string, number>();
  const fromDir = rec.from?.dir && existsSync(path.join(rec.from.dir, 'model.json')) ? rec.from.dir : undefined;
  let agree = 0,
    compared = 0;
  const missing = new Set<string>();
  for (const imageId of [...new Set(cands.map((c) => c.image_id))]) {
    const mine = cands.filter((c) => c.image_id === imageId);
    const file = find(imageId, mine[0].image_sha256);
    if (!file) {
      missing.add(imageId);
      continue;
    }
    io.stderr.write(`重新评分 re-scoring ${mine.length} candidates of ${imageId}\n`);
    const parts = mine.map((c) => ({ id: c.candidate_id, boxes: c.boxes }));
    for (const [id, s] of await rescoreCandidates(dir, file, parts)) scores.set(id, s);
    if (fromDir && rec.threshold) {
      const t0 = rec.threshold.before;
      for (const [id, s] of await rescoreCandidates(fromDir, file, parts)) {
        compared++;
        if (s >= t0 === mine.find((c) => c.candidate_id === id)!.score_verify >= t0) agree++;
      }
    }
  }
  return { scores, missing, agree, compared };
}

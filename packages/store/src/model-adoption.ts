import { bboxOf, type Season } from '@tiandi/geo';
import { applyModelDismissals } from './model-dismissals';
import { readSeason } from './rows';
import { StoreError } from './errors';
import { fromGpkgBlob } from './gpkg-geometry';
import type { Geometry } from '@tiandi/geo';
import { dbOf, type Workspace } from './workspace';

/** The verifier a workspace's stored scores come from, after `tiandi model adopt`. */
export interface AdoptedModel {
  dir: string;
  name: string;
  version: string;
  threshold: number;
}

interface AdoptionEntry {
  model: AdoptedModel;
  at: string;
  /** candidate_id → its score_verify before this adoption (null: none). */
  previous: Record<string, number | null>;
  /** candidate_id → its p_poppy before this adoption, for those that had one (an adapted card has no calibration). */
  previousPPoppy?: Record<string, number>;
}

const KEY = 'model_adoptions';

function history(ws: Workspace): AdoptionEntry[] {
  const r = dbOf(ws).prepare('SELECT value FROM tiandi_meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  return r ? (JSON.parse(r.value) as AdoptionEntry[]) : [];
}

function saveHistory(ws: Workspace, h: AdoptionEntry[]): void {
  dbOf(ws).prepare('INSERT INTO tiandi_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(h));
}

/** The adopted verifier now in force, or null when the scores are the scans' own. */
export function adoptedModel(ws: Workspace): AdoptedModel | null {
  return history(ws).at(-1)?.model ?? null;
}

/** Candidates a two-stage scan verified (they have a verifier score): the ones an adopted verifier re-scores. */
export function verifiedCandidates(ws: Workspace): {
  candidate_id: string;
  image_id: string;
  image_sha256: string | null;
  target_id: string | null;
  boxes: [number, number, number, number][];
  score_verify: number;
}[] {
  const rows = dbOf(ws)
    .prepare(`SELECT c.candidate_id, c.image_id, i.sha256 AS image_sha256, c.target_id, c.geom, c.score_verify FROM candidates c LEFT JOIN images i ON i.image_id = c.image_id
    WHERE c.score_verify IS NOT NULL AND c.geom IS NOT NULL ORDER BY c.fid`)
    .all() as { candidate_id: string; image_id: string; image_sha256: string | null; target_id: string | null; geom: Buffer; score_verify: number }[];
  return rows.map(({ geom, ...r }) => ({ ...r, boxes: partBoxes(fromGpkgBlob(geom)) }));
}

/** The box of each polygon of a (multi)polygon: the blobs the scan traced, where its windows were. */
function partBoxes(g: Geometry): [number, number, number, number][] {
  if (g.type === 'MultiPolygon') return g.coordinates.map((p) => bboxOf({ type: 'Polygon', coordinates: p }));
  return [bboxOf(g)];
}

/** Sets each target's verifier score and calibrated probability to the best of its candidates'. */
function refreshTargetScores(ws: Workspace, targetIds: Set<string>): void {
  const best = dbOf(ws).prepare('SELECT max(score_verify) AS s, max(p_poppy) AS p FROM candidates WHERE target_id = ?');
  const set = dbOf(ws).prepare('UPDATE targets SET score_verify = ?, p_poppy = ? WHERE target_id = ?');
  for (const t of targetIds) {
    const b = best.get(t) as { s: number | null; p: number | null };
    set.run(b.s, b.p, t);
  }
}

/**
 * Adopts an adapted verifier: stores its scores for the candidates it re-scored (no rescan), remembers the
 * scores they replace so {@link restoreModel} can put them back, and audits it. Returns how many candidates
 * now fall below its threshold; targets still `detected` whose best score does become `dismissed_model` (their own
 * status: not inspected, counted for certification only as policy.model_dismissal allows; see applyModelDismissals).
 * @throws StoreError `TIANDI_E_NOT_FOUND` when a candidate id is unknown.
 */
export function adoptModel(
  ws: Workspace,
  model: AdoptedModel,
  scores: Map<string, number>,
  actor: string,
  note?: string,
): { rescored: number; below_threshold: number; dismissed: number; undone: number } {
  return ws.write(actor, (audit) => {
    const get = dbOf(ws).prepare('SELECT score_verify, p_poppy, target_id FROM candidates WHERE candidate_id = ?');
    // The old calibration does not map the adapted verifier's scores: its p_poppy goes (kept for a restore).
    const set = dbOf(ws).prepare('UPDATE candidates SET score_verify = ?, p_poppy = NULL WHERE candidate_id = ?');
    const previous: Record<string, number | null> = {};
    const previousPPoppy: Record<string, number> = {};
    const targets = new Set<string>();
    let below = 0;
    for (const [id, s] of scores) {
      const row = get.get(id) as { score_verify: number | null; p_poppy: number | null; target_id: string | null } | undefined;
      if (!row) throw new StoreError('TIANDI_E_NOT_FOUND', `候选不存在 no candidate '${id}' in this workspace`);
      previous[id] = row.score_verify;
      if (row.p_poppy !== null) previousPPoppy[id] = row.p_poppy;
      set.run(s, id);
      if (row.target_id) targets.add(row.target_id);
      if (s < model.threshold) below++;
    }
    refreshTargetScores(ws, targets);
    saveHistory(ws, [...history(ws), { model, at: new Date().toISOString(), previous, ...(Object.keys(previousPPoppy).length ? { previousPPoppy } : {}) }]);
    audit('model.adopt', `${model.name}@${model.version}`, {
      dir: model.dir,
      threshold: model.threshold,
      rescored: scores.size,
      below_threshold: below,
      ...(note ? { note } : {}),
    });
    const d = applyModelDismissals(ws, model, seasonOrNull(ws), audit);
    return { rescored: scores.size, below_threshold: below, dismissed: d.dismissed.length, undone: d.undone.length };
  });
}

/**
 * Returns to the version before the last adoption: the candidates' previous scores come back; audited.
 * @throws StoreError `TIANDI_E_NOT_FOUND` when no adopted version is in force.
 */
export function restoreModel(
  ws: Workspace,
  actor: string,
): { restored: AdoptedModel; now: AdoptedModel | null; candidates: number; dismissed: number; undone: number } {
  return ws.write(actor, (audit) => {
    const h = history(ws);
    const last = h.pop();
    if (!last) throw new StoreError('TIANDI_E_NOT_FOUND', "没有已采用的模型版本 no adopted model version to restore from: the scores are the scans' own");
    const set = dbOf(ws).prepare('UPDATE candidates SET score_verify = ?, p_poppy = ? WHERE candidate_id = ?');
    const tOf = dbOf(ws).prepare('SELECT target_id FROM candidates WHERE candidate_id = ?');
    const targets = new Set<string>();
    for (const [id, s] of Object.entries(last.previous)) {
      set.run(s, last.previousPPoppy?.[id] ?? null, id);
      const t = (tOf.get(id) as { target_id: string | null } | undefined)?.target_id;
      if (t) targets.add(t);
    }
    refreshTargetScores(ws, targets);
    saveHistory(ws, h);
    const now = h.at(-1)?.model ?? null;
    audit('model.restore', `${last.model.name}@${last.model.version}`, {
      back_to: now ? `${now.name}@${now.version}` : 'scan scores',
      candidates: Object.keys(last.previous).length,
    });
    const d = applyModelDismissals(ws, now, seasonOrNull(ws), audit);
    return { restored: last.model, now, candidates: Object.keys(last.previous).length, dismissed: d.dismissed.length, undone: d.undone.length };
  });
}

/** The season model dismissals are made in (the latest set), or null in a workspace without one. */
function seasonOrNull(ws: Workspace): Season | null {
  try {
    return readSeason(ws);
  } catch (e) {
    if (e instanceof StoreError && e.code === 'TIANDI_E_NOT_FOUND') return null;
    throw e;
  }
}

import type { Feature, FeatureCollection, Polygonal } from '@tiandi/geo';
import { listTargets } from './targets';
import { dbOf, type Workspace } from './workspace';

export interface LabelProperties {
  target_id: string;
  /** 'poppy' for confirmed (and eradicated) plots, 'not_poppy' for inspected negatives. */
  label: 'poppy' | 'not_poppy';
  /** Same as `label`: the field `tiandi chips export` reads by default (--class-field class). */
  class: 'poppy' | 'not_poppy';
  /** A team found it and no scan flagged it: a recall miss, the most valuable training label. */
  missed_by_scan: boolean;
  /** What a not_poppy plot was, from the ground report (e.g. "油菜 rapeseed"). */
  what: string | null;
  score_max: number;
  /** Images whose candidates formed the target (where to cut chips from). */
  images: string[];
  status: string;
  /** 'ground': a team's verdict (or a finding no scan flagged); 'desk': an office reviewer's triage decision, not visited. */
  source: 'ground' | 'desk';
  /** For desk labels: who decided. */
  decided_by?: string;
}

const POPPY = new Set(['confirmed', 'eradicated', 'eradication_verified']);

/**
 * Field-verified labels for the model's fine-tuning path: confirmed, negative and missed-by-scan targets
 * as GeoJSON polygons (WGS 84), ready for `tiandi chips export --labels`. Targets under review or not yet
 * inspected are left out. With `includeDesk`, targets decided only at the desk (triage: not poppy / poppy-like)
 * are added as `source: 'desk'` labels, kept apart from the ground's.
 */
export function trainingLabels(ws: Workspace, filter: { zoneId?: string; includeDesk?: boolean } = {}): FeatureCollection<Polygonal, LabelProperties> {
  const imagesOf = dbOf(ws).prepare('SELECT DISTINCT image_id FROM candidates WHERE target_id = ? ORDER BY image_id');
  const whatOf = dbOf(ws).prepare(`SELECT what FROM reports WHERE target_id = ? AND verdict = 'not_poppy' ORDER BY observed_at DESC LIMIT 1`);
  const deskOf = dbOf(ws).prepare('SELECT decision, reason, note, actor FROM triage_decisions WHERE target_id = ?');
  const features: Feature<Polygonal, LabelProperties>[] = [];
  for (const t of listTargets(ws, { zoneId: filter.zoneId })) {
    if (t.review) continue;
    const ground = POPPY.has(t.status) ? 'poppy' : t.status === 'inspected_negative' ? 'not_poppy' : null;
    const desk =
      !ground && filter.includeDesk
        ? (deskOf.get(t.id) as { decision: string; reason: string | null; note: string | null; actor: string } | undefined)
        : undefined;
    const label = ground ?? (desk ? (desk.decision === 'poppy_like' ? 'poppy' : 'not_poppy') : null);
    if (!label) continue;
    features.push({
      type: 'Feature',
      id: t.id,
      geometry: t.geometry,
      properties: {
        target_id: t.id,
        label,
        class: label,
        missed_by_scan: t.missedByScan,
        what: desk ? [desk.reason, desk.note].filter(Boolean).join(': ') || null : ((whatOf.get(t.id) as { what: string } | undefined)?.what ?? null),
        score_max: t.scoreMax,
        images: (imagesOf.all(t.id) as { image_id: string }[]).map((r) => r.image_id),
        status: t.status,
        source: desk ? 'desk' : 'ground',
        ...(desk ? { decided_by: desk.actor } : {}),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

import { fmtNumber, placeName, t } from '../i18n/index';
/** Columns the target list sorts by. */
export type TargetSortKey = 'score_max' | 'score_verify' | 'area_m2' | 'zone' | 'status' | 'id';

/** A target row: the feature's properties. */
export interface TargetRow {
  id: string;
  score_max: number;
  /** The verifier's score (second stage), null when the model has none or the target came from the ground. */
  score_verify: number | null;
  /** The verifier score calibrated by the model card (share that was poppy at that score), when the model has a calibration. */
  p_poppy?: number | null;
  area_m2: number;
  /** The zone's name, or its id when it has no name. */
  zone: string | null;
  status: string;
  /** A scan target no second stage judged (coarse imagery, a one-stage model, `--no-verify`): first stage only. */
  unverified?: boolean;
  /** 'scan' or 'ground'; a ground finding always needs a visit. */
  origin?: string;
}

/**
 * The i18n key of a row's status: a pending scan target scoring under the season's review threshold
 * owes no ground visit (the certification rules do not count it), so it is not "awaiting inspection".
 */
export function statusKey(r: Pick<TargetRow, 'status' | 'score_max' | 'origin'>, reviewThreshold: number | null): string {
  if (r.status === 'detected' && (r.origin ?? 'scan') === 'scan' && reviewThreshold !== null && r.score_max < reviewThreshold) return 'status.belowThreshold';
  return `status.${r.status}`;
}

/**
 * Whether a target feature's properties say a second stage left it unjudged: the server's `unverified` mark (which a
 * verifier score from another image does not clear); from an older server without it, a scan target without a score.
 */
export function isUnverified(p: Record<string, unknown>): boolean {
  if ((p.origin ?? 'scan') !== 'scan') return false;
  return typeof p.unverified === 'boolean' ? p.unverified : typeof p.score_verify !== 'number';
}

/**
 * A verifier score with enough digits that saturated scores still differ: three decimals, and "≥0.999" for a score
 * that would round up to 1 without being 1 (a verifier's scores of kept plots crowd just under 1).
 */
export function fmtScore(s: number): string {
  if (s < 1 && s >= 0.9995) return `≥${fmtNumber(0.999, 3)}`;
  return fmtNumber(s, 3);
}

/**
 * The "second look" cell: the calibrated probability, labelled as one, where the model card calibrates its verifier
 * (with the raw score beside it in `raw`: an isotonic calibration gives many plots the same step, often 1.00); the
 * raw verifier score otherwise; null where no second stage judged it (the caller shows the unverified badge), '—'
 * for a target no verifier could have judged (a ground finding). `title` says which of the two the number is.
 */
export function verifyCell(r: Pick<TargetRow, 'score_verify' | 'p_poppy' | 'unverified'>): { text: string | null; raw: string | null; title: string | null } {
  if (typeof r.p_poppy === 'number') {
    const raw = r.score_verify === null ? null : fmtScore(r.score_verify);
    return { text: t('targets.verify.calibrated', { p: fmtNumber(r.p_poppy, 2) }), raw, title: t('targets.verify.calibrated.why', { score: raw ?? '—' }) };
  }
  if (r.score_verify !== null) return { text: fmtScore(r.score_verify), raw: null, title: t('targets.verify.raw.why') };
  return { text: r.unverified ? null : '—', raw: null, title: null };
}

/** The village column of a target: its village's name, or null for a plot outside every village (not the township's name). */
export function villageOf(p: Record<string, unknown>): string | null {
  if (p.zone_level !== undefined && p.zone_level !== null && p.zone_level !== 'village') return null;
  return placeName(p.zone_name as string | null, p.zone_name_pinyin as string | null) ?? (p.zone as string | null) ?? null;
}

/** Sorts rows by a column (numbers numerically, text by locale), ties broken by id; returns a new array. */
export function sortTargets<T extends TargetRow>(rows: T[], key: TargetSortKey, descending: boolean): T[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = a[key];
    const vb = b[key];
    let c: number;
    if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    // No score sorts below every score, whichever the direction.
    else if (va === null && typeof vb === 'number') return 1;
    else if (typeof va === 'number' && vb === null) return -1;
    else c = String(va ?? '').localeCompare(String(vb ?? ''), 'zh-CN');
    return c !== 0 ? c * dir : a.id.localeCompare(b.id);
  });
}

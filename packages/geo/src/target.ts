import type { Polygonal } from './geojson';

/** Where a target is in its life (ARCHITECTURE "Target lifecycle"). */
export type TargetStatus =
  | 'detected'
  | 'planned'
  | 'inspected_negative'
  | 'dismissed_desk'
  | 'dismissed_model'
  | 'confirmed'
  | 'eradicated'
  | 'eradication_verified'
  | 'needs_revisit';

export const TARGET_STATUSES: readonly TargetStatus[] = [
  'detected',
  'planned',
  'inspected_negative',
  'dismissed_desk',
  'dismissed_model',
  'confirmed',
  'eradicated',
  'eradication_verified',
  'needs_revisit',
];

/** A candidate plot from one scan (one image × one model version). */
export interface Candidate {
  /** Unique across the workspace: `<scanId>/<id in candidates.geojson>`. */
  id: string;
  scanId: string;
  imageId: string;
  geometry: Polygonal;
  scoreMax: number;
  scoreMean: number;
  /** The model's second stage (verifier): its best window score, when the model has one. */
  scoreVerify?: number | null;
  /** That score calibrated by the model card (`verifier.calibration`): the share that was poppy at it; absent without one. */
  pPoppy?: number | null;
  /**
   * No second stage judged it (`"unverified": true` in candidates.geojson: a one-stage model, imagery too coarse for
   * the verifier, `--no-verify`). Absent: read as unverified when it has no verifier score.
   */
  unverified?: boolean;
  areaM2: number;
  model: string;
  modelVersion: string;
}

/** A place that needs a ground answer: merged candidates, or a finding no scan flagged. */
export interface Target {
  id: string;
  status: TargetStatus;
  /** 'scan' when it came from candidates, 'ground' when a team found it first. */
  origin: 'scan' | 'ground';
  /** A team found poppy here that no scan had flagged: counts against recall, becomes a training label. */
  missedByScan: boolean;
  geometry: Polygonal;
  /** Best candidate score (1 for ground findings). */
  scoreMax: number;
  /**
   * Best verifier score of its candidates; null when no second stage judged any of them (ground findings,
   * one-stage models, imagery too coarse for the verifier, `--no-verify`).
   */
  scoreVerify?: number | null;
  /** Best calibrated probability of its candidates (`p_poppy`); null when no candidate's model calibrates its verifier. */
  pPoppy?: number | null;
  /**
   * A scan target some of whose candidates no second stage judged: its first-stage score was not checked by a second
   * look, whatever verifier score another candidate gave it. See {@link isUnverifiedScan}.
   */
  unverified?: boolean;
  areaM2: number;
  /** Candidate ids (sorted) and, for ground findings, the report id that created it. */
  sources: string[];
  /** Set when evidence contradicts itself; the target needs a person's decision. */
  review: { reason: string; reportIds: string[] } | null;
  /** Observation time of the eradication, ISO 8601. */
  eradicatedAt: string | null;
  /** Report ids applied to this target, in order. */
  reportIds: string[];
  /** The last desk (office) decision that dismissed it, kept after a ground visit; null or absent when none. */
  desk?: DeskDecision | null;
  /** Drawn into the ground-audit sample of desk dismissals: it must be inspected on the ground. */
  groundAudit?: boolean;
}

/**
 * An office reviewer's dismissal of a target from the imagery alone (status `dismissed_desk`), or an adopted adapted
 * verifier's (status `dismissed_model`, `kind: 'model'`): its score fell below that version's threshold.
 */
export interface DeskDecision {
  /** The reviewer's account or actor name; for a model dismissal `model:<name>@<version>`. */
  by: string;
  /** 'model': made by adopting an adapted verifier, not by a person (absent: a person's desk decision). */
  kind?: 'desk' | 'model';
  /** When, ISO 8601 (null for dismissals migrated from before desk decisions were kept apart). */
  at: string | null;
  reason: string;
  /** The season the decision was made in (null when unknown). */
  seasonId: string | null;
  /** `<model>@<version>` of the candidates the reviewer looked at. */
  modelVersions: string[];
  /** The target's best score when it was dismissed (null when unknown). */
  scoreMax: number | null;
  /** For a model dismissal: the adapted verifier's score for the target and the threshold it fell below. */
  scoreVerify?: number | null;
  threshold?: number;
  /** Set when a ground finding of poppy on one of this reviewer's dismissals reopened it. */
  reopened?: { at: string; because: string } | null;
}

/**
 * A scan target whose first-stage score no second stage checked (its `unverified` mark, set at import and merge):
 * the first stage alone flags thousands of places per km² of real imagery, so its score never spares a visit.
 */
export function isUnverifiedScan(t: Pick<Target, 'origin' | 'unverified'>): boolean {
  return t.origin === 'scan' && t.unverified === true;
}

/** A candidate no second stage judged: its mark, else (files from before the mark) no verifier score. */
export function isUnverifiedCandidate(c: Pick<Candidate, 'unverified' | 'scoreVerify'>): boolean {
  return c.unverified ?? typeof c.scoreVerify !== 'number';
}

/**
 * A target is resolved on the ground when nothing more is owed on it. A desk dismissal is not: whether it
 * may stand in for a visit is the season policy's call (`evaluateCertification`, rule `desk_dismissals`).
 */
export function isResolved(t: Pick<Target, 'status' | 'review'>): boolean {
  return t.review === null && (t.status === 'inspected_negative' || t.status === 'eradication_verified');
}

import type { Polygonal } from './geojson';

/** Where a target is in its life (ARCHITECTURE "Target lifecycle"). */
export type TargetStatus =
  | 'detected'
  | 'planned'
  | 'inspected_negative'
  | 'confirmed'
  | 'eradicated'
  | 'eradication_verified'
  | 'needs_revisit';

export const TARGET_STATUSES: readonly TargetStatus[] = [
  'detected', 'planned', 'inspected_negative', 'confirmed', 'eradicated', 'eradication_verified', 'needs_revisit',
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
  /** Best verifier score of its candidates; null when none was verified (ground findings, one-stage models). */
  scoreVerify?: number | null;
  areaM2: number;
  /** Candidate ids (sorted) and, for ground findings, the report id that created it. */
  sources: string[];
  /** Set when evidence contradicts itself; the target needs a person's decision. */
  review: { reason: string; reportIds: string[] } | null;
  /** Observation time of the eradication, ISO 8601. */
  eradicatedAt: string | null;
  /** Report ids applied to this target, in order. */
  reportIds: string[];
}

/** A target is resolved for certification when nothing more is owed on it. */
export function isResolved(t: Pick<Target, 'status' | 'review'>): boolean {
  return t.review === null && (t.status === 'inspected_negative' || t.status === 'eradication_verified');
}

import type { Geometry } from '@tiandi/geo';
import { z } from 'zod';

/** What a team needs to know at a stop, beyond where and when (the planner's `stopInfo`). */
export interface StopInfo {
  /** Village (or the smallest zone) the target lies in. */
  village?: string;
  areaM2?: number;
  /** Detector score (0–1) of the target's best candidate. */
  score?: number;
  /** Model name and version that flagged it. */
  model?: string;
  /** What to look for and do there, Chinese first, English beside it. */
  lookFor: string;
}

/** One stop of a team's route as the field view shows it. */
export interface FieldStop {
  seq: number;
  targetId: string | null;
  lon: number;
  lat: number;
  /** Planned arrival, seconds after local midnight, when the plan has it. */
  arriveS: number | null;
  /** Gaode navigation link (coordinates converted to GCJ-02 for the app). */
  amapUriGcj02: string;
  /** Village, area, score, model and what to look for (absent for a stop without a target). */
  info?: StopInfo;
}

/** A target as a field team gets it. */
export interface FieldTargetFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry;
  properties: { target_id: string; status: string; score_max: number; area_m2: number; missed_by_scan: boolean } & Record<string, unknown>;
}

/** `GET /api/field/assignment`: what a field team needs to work offline — its route, its targets and the reports already received. */
export interface FieldAssignment {
  team: string;
  plan: { planId: string; createdAt: string; durationS: number | null; distanceM: number | null } | null;
  route: Geometry | null;
  stops: FieldStop[];
  targets: { type: 'FeatureCollection'; features: FieldTargetFeature[] };
  reports: { reportId: string; targetId: string | null; verdict: string; observedAt: string }[];
}

/**
 * `POST /api/field/reports` body: one ground report as a GeoJSON Point feature. The properties follow the
 * workspace's report schema and are checked field by field by `parseGroundReport` (@tiandi/geo), which names each
 * bad field; this schema checks the envelope.
 */
export const ReportBody = z.strictObject({
  type: z.literal('Feature'),
  geometry: z.strictObject({ type: z.literal('Point'), coordinates: z.array(z.number()).min(2).max(3) }),
  properties: z.record(z.string(), z.unknown()),
  id: z.union([z.string(), z.number()]).optional(),
});
export type ReportBody = z.infer<typeof ReportBody>;

/**
 * `POST /api/field/reports` answer: a report is stored once however often it is sent (`duplicate`, 200); a new one
 * (`created`, 201) says which target it matched, the target's status after it, and anything a reviewer must look at.
 */
export type ReportAnswer =
  | { outcome: 'duplicate'; reportId: string }
  | {
      outcome: 'created';
      reportId: string;
      targetId: string | null;
      /** How the report found its target (by id, by position, or none: a new `missed_by_scan` target). */
      match: string;
      status: string | null;
      newTarget: boolean;
      contradiction: string | null;
      review: string | null;
    };

/** `POST /api/field/reports/import` body: another field app's export (CSV or GeoJSON text) for a team. */
export const FieldImportBody = z.strictObject({
  fileName: z.string().min(1).max(300),
  text: z
    .string()
    .min(1)
    .max(20 * 1024 * 1024),
  team: z.string().min(1).max(64).optional(),
});
export type FieldImportBody = z.infer<typeof FieldImportBody>;

import { z } from 'zod';

/**
 * `POST /api/targets/:id/decision` body: an operator's decision on a target — `dismiss` is a desk dismissal (never a
 * ground inspection), `promote` confirms it from the imagery, `restore` undoes either.
 */
export const TargetDecisionBody = z.strictObject({
  decision: z.enum(['dismiss', 'promote', 'restore']),
  reason: z.string().trim().min(2, '请写明理由 a reason is required').max(1000),
});
export type TargetDecisionBody = z.infer<typeof TargetDecisionBody>;

/** Which targets the triage gallery shows: zone, image, score range, model version. */
const TriageFilter = {
  zone: z.string().min(1).max(200).optional(),
  image: z.string().min(1).max(300).optional(),
  minScore: z.number().min(0).max(1).optional(),
  maxScore: z.number().min(0).max(1).optional(),
  model: z.string().min(1).max(200).optional(),
};

/** `POST /api/triage/next` body: the next undecided targets, leased to the caller; `exclude` those it already holds. */
export const TriageNextBody = z.strictObject({
  ...TriageFilter,
  count: z.number().int().min(1).max(200).default(24),
  exclude: z.array(z.string().min(1).max(300)).max(1000).default([]),
});
export type TriageNextBody = z.input<typeof TriageNextBody>;

/** A reviewer's decision on a triage target, as the workspace keeps it. */
export interface TriageDecisionView {
  targetId: string;
  decision: 'poppy_like' | 'not_poppy';
  reason: string | null;
  note: string | null;
  actor: string;
  modelVersions: string[];
  scoreMax: number | null;
  decidedAt: string;
}

/** One target of the triage gallery: its scores, area, the images and model versions that flagged it, any decision. */
export interface TriageItemView {
  targetId: string;
  status: string;
  scoreMax: number;
  scoreVerify: number | null;
  areaM2: number;
  imageIds: string[];
  modelVersions: string[];
  decision: TriageDecisionView | null;
}

/** `POST /api/triage/next` answer: progress over the filtered targets, and the next ones, leased to the caller. */
export interface TriageBatch {
  reviewed: number;
  total: number;
  items: TriageItemView[];
}

/** `POST /api/triage/:id/decision` body: a reviewer's look at one target's chip. */
export const TriageDecisionBody = z.strictObject({
  decision: z.enum(['poppy_like', 'not_poppy', 'skip']),
  reason: z.enum(['roof', 'tarp', 'rapeseed', 'blossom', 'shadow', 'other']).optional(),
  note: z.string().trim().max(500).optional(),
});
export type TriageDecisionBody = z.infer<typeof TriageDecisionBody>;

import { z } from 'zod';
import { GeoError } from './errors';
import { didYouMean } from './did-you-mean';

/** The rules a zone × season must satisfy to be certified. */
export interface Policy {
  /** Share of the zone that valid imagery must cover, 0..1 (default 0.98). */
  minCoverageShare: number;
  /** Coarsest ground sample distance that counts as evidence, metres per pixel (default 0.10). */
  maxGsdM: number;
  /** Targets whose best score is at or above this must be resolved on the ground (default 0.35). */
  reviewThreshold: number;
  /** Confirmed plots must be eradicated AND the eradication verified on a later visit (default true); when false, eradicated is enough. */
  requireEradicationVerified: boolean;
  /** Added to a report's GPS accuracy when matching it to a target by position, metres (default 10). */
  matchMarginM: number;
  /** An eradication is verified only by a visit at least this many days after it (default 1). */
  verifyAfterDays: number;
  /** Whether office (desk) dismissals may stand in for a ground visit, and on what terms. */
  deskDismissal: DeskDismissalPolicy;
  /**
   * Whether targets an adopted, locally adapted verifier scores below its threshold (status `dismissed_model`) may
   * stand in for a ground visit, on the same terms as desk dismissals (file: policy.model_dismissal). Absent: not
   * allowed (see {@link modelDismissalPolicy}); absent from seasons that do not set it, so their stored form is unchanged.
   */
  modelDismissal?: DeskDismissalPolicy;
  /**
   * Imagery-quality thresholds the scan judges blocks by (file: policy.imagery_quality, snake_case); keys left out
   * take the scanner's documented defaults (docs/imagery-quality.md). Absent when the file sets none.
   */
  imageryQuality?: ImageryQualityPolicy;
}

/** The season's imagery-quality thresholds (any subset); `enabled: false` turns the quality check off. */
export interface ImageryQualityPolicy {
  enabled?: boolean;
  minSharpness?: number;
  maxBlurScaleRatio?: number;
  minTextureStd?: number;
  maxClippedShare?: number;
  maxDarkShare?: number;
  minHazeDarkChannel?: number;
  maxHazeStd?: number;
}

/** File keys of policy.imagery_quality and their camelCase names. */
const QUALITY_KEYS = {
  enabled: 'enabled',
  min_sharpness: 'minSharpness',
  max_blur_scale_ratio: 'maxBlurScaleRatio',
  min_texture_std: 'minTextureStd',
  max_clipped_share: 'maxClippedShare',
  max_dark_share: 'maxDarkShare',
  min_haze_dark_channel: 'minHazeDarkChannel',
  max_haze_std: 'maxHazeStd',
} as const;
const ImageryQualitySchema = z
  .object({
    enabled: z.boolean().optional(),
    min_sharpness: z.number().min(0).max(100).optional(),
    max_blur_scale_ratio: z.number().min(0).max(100).optional(),
    min_texture_std: z.number().min(0).max(255).optional(),
    max_clipped_share: z.number().min(0).max(1).optional(),
    max_dark_share: z.number().min(0).max(1).optional(),
    min_haze_dark_channel: z.number().min(0).max(255).optional(),
    max_haze_std: z.number().min(0).max(255).optional(),
  })
  .strict();

/**
 * The season's terms for desk dismissals (file: policy.desk_dismissal). Safe by default: not allowed, so a
 * target dismissed at the desk still needs a ground visit before its zone can be certified.
 */
export interface DeskDismissalPolicy {
  /** Desk dismissals may resolve targets for certification (default false). */
  allowed: boolean;
  /** Only targets scoring at most this may be dismissed at the desk (default 0.5). */
  maxScore: number;
  /** Share of a zone's desk dismissals drawn for a ground audit, 0..1 (default 0.1). */
  auditShare: number;
  /** At least this many per zone (or all of them, when fewer) are drawn for a ground audit (default 3). */
  auditMin: number;
}

/** Model dismissals' terms: the season's, or the safe default (not allowed; audit 10 %, at least 3). */
export function modelDismissalPolicy(p: Pick<Policy, 'modelDismissal'>): DeskDismissalPolicy {
  return p.modelDismissal ?? MODEL_DISMISSAL_DEFAULT;
}
const MODEL_DISMISSAL_DEFAULT: DeskDismissalPolicy = Object.freeze({ allowed: false, maxScore: 0.5, auditShare: 0.1, auditMin: 3 });

/** The ground-audit sample size a zone with `dismissals` desk dismissals needs: max(min, ⌈share·n⌉), at most n. */
export function auditSampleSize(dismissals: number, p: Pick<DeskDismissalPolicy, 'auditShare' | 'auditMin'>): number {
  return Math.min(dismissals, Math.max(p.auditMin, Math.ceil(p.auditShare * dismissals - 1e-9)));
}

/** A survey season: its flowering window (dates when imagery counts) and its policy. */
export interface Season {
  id: string;
  name: string;
  region: string;
  /** The zone (id or level) this season's survey covers, informational (e.g. "township"). */
  zone: string | null;
  /** First day of the flowering window, YYYY-MM-DD (file: flowering_window.start; default <year>-03-01). */
  floweringStart: string;
  /** Last day of the flowering window, inclusive, YYYY-MM-DD (default <year>-05-31). */
  floweringEnd: string;
  policy: Policy;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = z
  .string()
  .regex(DATE, 'YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(s + 'T00:00:00Z');
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

const DESK_DEFAULTS = { allowed: false, max_score: 0.5, audit_share: 0.1, audit_min: 3 };
const DeskDismissalSchema = z
  .object({
    allowed: z.boolean().default(DESK_DEFAULTS.allowed),
    max_score: z.number().min(0).max(1).default(DESK_DEFAULTS.max_score),
    audit_share: z.number().min(0).max(1).default(DESK_DEFAULTS.audit_share),
    audit_min: z.number().int().min(0).max(10000).default(DESK_DEFAULTS.audit_min),
  })
  .strict();

/** The season file (snake_case JSON, unknown keys rejected). Defaults are written here. */
export const SeasonFileSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    name: z.string().optional(),
    region: z.string().default(''),
    zone: z.string().optional(),
    year: z.number().int().min(2000).max(2100).optional(),
    flowering_window: z.object({ start: date, end: date }).strict().optional(),
    policy: z
      .object({
        min_coverage_share: z.number().min(0).max(1).default(0.98),
        max_gsd_m: z.number().positive().max(10).default(0.1),
        review_threshold: z.number().min(0).max(1).default(0.35),
        require_eradication_verified: z.boolean().default(true),
        match_margin_m: z.number().min(0).max(1000).default(10),
        verify_after_days: z.number().min(0).max(365).default(1),
        desk_dismissal: DeskDismissalSchema.default(DESK_DEFAULTS),
        model_dismissal: DeskDismissalSchema.optional(),
        imagery_quality: ImageryQualitySchema.optional(),
      })
      .strict()
      .default({
        min_coverage_share: 0.98,
        max_gsd_m: 0.1,
        review_threshold: 0.35,
        require_eradication_verified: true,
        match_margin_m: 10,
        verify_after_days: 1,
        desk_dismissal: DESK_DEFAULTS,
      }),
  })
  .strict();

const KNOWN_KEYS = [
  'id',
  'name',
  'region',
  'zone',
  'year',
  'flowering_window',
  'start',
  'end',
  'policy',
  'min_coverage_share',
  'max_gsd_m',
  'review_threshold',
  'require_eradication_verified',
  'match_margin_m',
  'verify_after_days',
  'desk_dismissal',
  'model_dismissal',
  'allowed',
  'max_score',
  'audit_share',
  'audit_min',
  'imagery_quality',
  ...Object.keys(QUALITY_KEYS),
];

/**
 * Validates a season file once and returns the typed, frozen season. Throws GeoError TIANDI_E_SEASON
 * naming the field (with a "did you mean" hint for misspelt keys).
 * @example parseSeason({ id: '2026', year: 2026 }).floweringStart // '2026-03-01'
 */
export function parseSeason(input: unknown): Season {
  const r = SeasonFileSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.join('.');
    let msg = issue.message;
    if (issue.code === 'unrecognized_keys') {
      msg = issue.keys.map((k) => `未知字段 unknown key '${k}'${didYouMean(k, KNOWN_KEYS)}`).join('; ');
    }
    throw new GeoError('TIANDI_E_SEASON', `${path ? path + ': ' : ''}${msg}`, path || undefined);
  }
  const s = r.data;
  const year = s.year ?? yearOf(s.flowering_window?.start) ?? yearOf(s.id);
  const floweringStart = s.flowering_window?.start ?? (year ? `${year}-03-01` : undefined);
  const floweringEnd = s.flowering_window?.end ?? (year ? `${year}-05-31` : undefined);
  if (!floweringStart || !floweringEnd) {
    throw new GeoError('TIANDI_E_SEASON', '缺少花期 flowering window unknown: give "year" or "flowering_window": {"start", "end"}', 'flowering_window');
  }
  if (floweringEnd < floweringStart) {
    throw new GeoError('TIANDI_E_SEASON', `花期结束早于开始 flowering_window.end ${floweringEnd} is before start ${floweringStart}`, 'flowering_window.end');
  }
  const p = s.policy;
  return Object.freeze({
    id: s.id,
    name: s.name ?? s.id,
    region: s.region,
    zone: s.zone ?? null,
    floweringStart,
    floweringEnd,
    policy: Object.freeze({
      minCoverageShare: p.min_coverage_share,
      maxGsdM: p.max_gsd_m,
      reviewThreshold: p.review_threshold,
      requireEradicationVerified: p.require_eradication_verified,
      matchMarginM: p.match_margin_m,
      verifyAfterDays: p.verify_after_days,
      deskDismissal: Object.freeze({
        allowed: p.desk_dismissal.allowed,
        maxScore: p.desk_dismissal.max_score,
        auditShare: p.desk_dismissal.audit_share,
        auditMin: p.desk_dismissal.audit_min,
      }),
      ...(p.model_dismissal
        ? {
            modelDismissal: Object.freeze({
              allowed: p.model_dismissal.allowed,
              maxScore: p.model_dismissal.max_score,
              auditShare: p.model_dismissal.audit_share,
              auditMin: p.model_dismissal.audit_min,
            }),
          }
        : {}),
      ...(p.imagery_quality ? { imageryQuality: qualityFromFile(p.imagery_quality) } : {}),
    }),
  });
}

/** policy.imagery_quality (snake_case, as given) → camelCase thresholds. */
function qualityFromFile(q: Record<string, number | boolean | undefined>): ImageryQualityPolicy {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[QUALITY_KEYS[k as keyof typeof QUALITY_KEYS]] = v;
  return Object.freeze(out) as ImageryQualityPolicy;
}

function yearOf(s: string | undefined): number | undefined {
  const m = s?.match(/^(\d{4})/);
  return m ? Number(m[1]) : undefined;
}

/** The season back as its snake_case file form (what the store keeps and the certificate cites). */
export function seasonToFile(s: Season): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    region: s.region,
    zone: s.zone ?? undefined,
    flowering_window: { start: s.floweringStart, end: s.floweringEnd },
    policy: {
      min_coverage_share: s.policy.minCoverageShare,
      max_gsd_m: s.policy.maxGsdM,
      review_threshold: s.policy.reviewThreshold,
      require_eradication_verified: s.policy.requireEradicationVerified,
      match_margin_m: s.policy.matchMarginM,
      verify_after_days: s.policy.verifyAfterDays,
      desk_dismissal: {
        allowed: s.policy.deskDismissal.allowed,
        max_score: s.policy.deskDismissal.maxScore,
        audit_share: s.policy.deskDismissal.auditShare,
        audit_min: s.policy.deskDismissal.auditMin,
      },
      ...(s.policy.modelDismissal
        ? {
            model_dismissal: {
              allowed: s.policy.modelDismissal.allowed,
              max_score: s.policy.modelDismissal.maxScore,
              audit_share: s.policy.modelDismissal.auditShare,
              audit_min: s.policy.modelDismissal.auditMin,
            },
          }
        : {}),
      // Only when the file set it, so seasons stored before it existed keep their canonical form (and certificates).
      ...(s.policy.imageryQuality
        ? {
            imagery_quality: Object.fromEntries(
              Object.entries(QUALITY_KEYS)
                .filter(([, c]) => s.policy.imageryQuality![c] !== undefined)
                .map(([f, c]) => [f, s.policy.imageryQuality![c]]),
            ),
          }
        : {}),
    },
  };
}

/** The part of a season that decides which footprints count for coverage. */
export function coverageRulesOf(s: Season): { floweringStart: string; floweringEnd: string; maxGsdM: number } {
  return { floweringStart: s.floweringStart, floweringEnd: s.floweringEnd, maxGsdM: s.policy.maxGsdM };
}

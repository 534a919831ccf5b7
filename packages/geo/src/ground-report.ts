import { z } from 'zod';
import type { LonLat } from './geojson';
import { didYouMean } from './did-you-mean';

export type Verdict = 'confirmed_poppy' | 'eradicated' | 'not_poppy' | 'nothing_found' | 'inaccessible';
export const VERDICTS: readonly Verdict[] = ['confirmed_poppy', 'eradicated', 'not_poppy', 'nothing_found', 'inaccessible'];

/** What a team found at a target or at a place no scan flagged. */
export interface GroundReport {
  /** Client-generated id; importing the same report twice is a no-op. */
  reportId: string;
  /** The target visited, when the team was sent to one. */
  targetId: string | null;
  verdict: Verdict;
  /** For not_poppy: what it was (e.g. "油菜 rapeseed"). */
  what: string | null;
  position: LonLat;
  accuracyM: number;
  /** When the observation was made, ISO 8601. */
  observedAt: string;
  team: string | null;
  plantCount: number | null;
  areaM2: number | null;
  /** sha256 hex of each photo, or (before import) a path relative to the report file. */
  photos: string[];
  notes: string | null;
}

const iso = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'ISO 8601 time, e.g. 2026-04-20T09:30:00+08:00');

/** The properties of one report (GeoJSON Point feature properties, or a CSV row without lon/lat). Unknown keys rejected. */
export const ReportPropertiesSchema = z
  .object({
    report_id: z.string().min(1).max(200),
    target_id: z.string().min(1).nullish(),
    verdict: z.enum(VERDICTS as [Verdict, ...Verdict[]]),
    what: z.string().nullish(),
    accuracy_m: z.number().min(0).max(10000),
    observed_at: iso,
    team: z.string().nullish(),
    plant_count: z.number().int().min(0).nullish(),
    area_m2: z.number().min(0).nullish(),
    photos: z.array(z.string().min(1)).default([]),
    notes: z.string().nullish(),
  })
  .strict()
  .refine((p) => p.verdict !== 'not_poppy' || (p.what ?? '').trim() !== '', { message: 'not_poppy 需填写 what (what it was)', path: ['what'] });

const KNOWN = ['report_id', 'target_id', 'verdict', 'what', 'accuracy_m', 'observed_at', 'team', 'plant_count', 'area_m2', 'photos', 'notes', 'lon', 'lat'];

/** Result of validating one report: the report, or one human message naming the field. */
export type ReportParse = { ok: true; report: GroundReport } | { ok: false; field: string; message: string };

/**
 * Validates one report's properties and position. Returns a message (not a throw) so an import can keep
 * good rows and list bad ones by row number.
 */
export function parseGroundReport(props: unknown, position: unknown): ReportParse {
  if (!Array.isArray(position) || position.length < 2 || !position.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return { ok: false, field: 'position', message: '缺少或无效的位置 missing or invalid position: need lon, lat numbers' };
  }
  const [lon, lat] = position as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    return { ok: false, field: 'position', message: `位置超出范围 position out of range: lon ${lon}, lat ${lat} (lon first, WGS 84)` };
  }
  const r = ReportPropertiesSchema.safeParse(props);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys[0] : '');
    const message =
      issue.code === 'unrecognized_keys' ? `未知字段 unknown field '${issue.keys[0]}'${didYouMean(issue.keys[0], KNOWN)}` : `${field}: ${issue.message}`;
    return { ok: false, field, message };
  }
  const p = r.data;
  return {
    ok: true,
    report: {
      reportId: p.report_id,
      targetId: p.target_id ?? null,
      verdict: p.verdict,
      what: p.what ?? null,
      position: [lon, lat],
      accuracyM: p.accuracy_m,
      observedAt: p.observed_at,
      team: p.team ?? null,
      plantCount: p.plant_count ?? null,
      areaM2: p.area_m2 ?? null,
      photos: p.photos,
      notes: p.notes ?? null,
    },
  };
}

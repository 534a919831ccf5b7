import type { ReportFeature } from '../pwa/outbox';

export type Verdict = ReportFeature['properties']['verdict'];
export const VERDICTS: readonly Verdict[] = ['confirmed_poppy', 'eradicated', 'not_poppy', 'nothing_found', 'inaccessible'];

/** What the report form holds, as typed by the user. */
export interface ReportFormValues {
  reportId: string;
  targetId: string | null;
  team: string | null;
  verdict: Verdict | null;
  what: string;
  plantCount: string;
  areaM2: string;
  notes: string;
  /** The phone's fix, or null when there is none. */
  fix: { lon: number; lat: number; accuracyM: number } | null;
  /** Where the stop is, used when there is no fix (accuracy then {@link STOP_POSITION_ACCURACY_M}). */
  stopPosition: [number, number] | null;
  photoShas: string[];
  observedAt: Date;
}

/** Accuracy recorded when a report at a stop is placed at the stop because the phone has no fix. */
export const STOP_POSITION_ACCURACY_M = 100;

/** A refused form: the field to fix and the i18n key of the message. */
export interface FormProblem {
  field: 'verdict' | 'what' | 'plantCount' | 'areaM2' | 'position';
  messageKey: string;
}

/** Local time with its UTC offset, e.g. 2026-04-20T09:30:00+08:00 (what the team saw on its watch). */
export function isoWithOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

/**
 * Turns the form into a report feature (the workspace's report schema), or says what to fix.
 * Pure: the caller supplies the id, the time and the fix.
 */
export function buildReport(v: ReportFormValues): { ok: true; report: ReportFeature } | { ok: false; problem: FormProblem } {
  if (!v.verdict || !VERDICTS.includes(v.verdict)) return { ok: false, problem: { field: 'verdict', messageKey: 'field.form.needVerdict' } };
  if (v.verdict === 'not_poppy' && !v.what.trim()) return { ok: false, problem: { field: 'what', messageKey: 'field.form.needWhat' } };
  const count = v.plantCount.trim() === '' ? null : Number(v.plantCount);
  if (count !== null && (!Number.isInteger(count) || count < 0)) return { ok: false, problem: { field: 'plantCount', messageKey: 'field.form.badCount' } };
  const area = v.areaM2.trim() === '' ? null : Number(v.areaM2);
  if (area !== null && (!Number.isFinite(area) || area < 0)) return { ok: false, problem: { field: 'areaM2', messageKey: 'field.form.badArea' } };
  let position: [number, number];
  let accuracyM: number;
  if (v.fix) {
    position = [v.fix.lon, v.fix.lat];
    accuracyM = Math.max(0, Math.round(v.fix.accuracyM * 10) / 10);
  } else if (v.stopPosition && v.targetId) {
    position = v.stopPosition;
    accuracyM = STOP_POSITION_ACCURACY_M;
  } else {
    return { ok: false, problem: { field: 'position', messageKey: 'field.form.needFix' } };
  }
  return {
    ok: true,
    report: {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round7(position[0]), round7(position[1])] },
      properties: {
        report_id: v.reportId,
        target_id: v.targetId,
        verdict: v.verdict,
        what: v.verdict === 'not_poppy' ? v.what.trim() : null,
        accuracy_m: accuracyM,
        observed_at: isoWithOffset(v.observedAt),
        team: v.team,
        plant_count: count,
        area_m2: area,
        photos: [...v.photoShas],
        notes: v.notes.trim() || null,
      },
    },
  };
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

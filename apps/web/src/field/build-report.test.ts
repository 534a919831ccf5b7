import { describe, expect, it } from 'vitest';
import { buildReport, isoWithOffset, STOP_POSITION_ACCURACY_M, type ReportFormValues } from './build-report';

const base: ReportFormValues = {
  reportId: 'r-1',
  targetId: 'T-7',
  team: 'T1',
  verdict: 'confirmed_poppy',
  what: '',
  plantCount: '120',
  areaM2: '35.5',
  notes: '  坡地 ',
  fix: { lon: 102.812345678, lat: 28.0123456789, accuracyM: 6.44 },
  stopPosition: [102.81, 28.01],
  photoShas: ['ab'.repeat(32)],
  observedAt: new Date('2026-04-20T01:30:00Z'),
};

describe('buildReport', () => {
  it('builds a report feature in the workspace schema', () => {
    const r = buildReport(base);
    if (!r.ok) throw new Error('expected ok');
    expect(r.report.geometry.coordinates).toEqual([102.8123457, 28.0123457]);
    expect(r.report.properties).toMatchObject({
      report_id: 'r-1',
      target_id: 'T-7',
      verdict: 'confirmed_poppy',
      what: null,
      accuracy_m: 6.4,
      team: 'T1',
      plant_count: 120,
      area_m2: 35.5,
      notes: '坡地',
    });
    expect(Date.parse(r.report.properties.observed_at)).toBe(Date.parse('2026-04-20T01:30:00Z'));
  });

  it('says which field to fix', () => {
    const problem = (v: Partial<ReportFormValues>) => {
      const r = buildReport({ ...base, ...v });
      return r.ok ? null : r.problem.field;
    };
    expect(problem({ verdict: null })).toBe('verdict');
    expect(problem({ verdict: 'not_poppy', what: ' ' })).toBe('what');
    expect(problem({ plantCount: '3.5' })).toBe('plantCount');
    expect(problem({ plantCount: '-1' })).toBe('plantCount');
    expect(problem({ areaM2: 'abc' })).toBe('areaM2');
    expect(problem({ fix: null, targetId: null })).toBe('position');
    expect(problem({ verdict: 'not_poppy', what: '油菜 rapeseed' })).toBeNull();
  });

  it('falls back to the stop position, with its coarse accuracy, when the phone has no fix', () => {
    const r = buildReport({ ...base, fix: null });
    if (!r.ok) throw new Error('expected ok');
    expect(r.report.geometry.coordinates).toEqual([102.81, 28.01]);
    expect(r.report.properties.accuracy_m).toBe(STOP_POSITION_ACCURACY_M);
  });

  it('writes local time with its offset', () => {
    const s = isoWithOffset(new Date('2026-04-20T01:30:00Z'));
    expect(s).toMatch(/^2026-04-2\dT\d\d:30:00[+-]\d\d:\d\d$/);
    expect(Date.parse(s)).toBe(Date.parse('2026-04-20T01:30:00Z'));
  });
});

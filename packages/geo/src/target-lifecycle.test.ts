import { describe, expect, it } from 'vitest';
import { applyReport, markPlanned, setStatusByDecision, targetFromFinding } from './target-lifecycle';
import { matchReport } from './match-report';
import { report, target, rect } from './fixtures.test-util';
import { isResolved } from './target';

describe('target lifecycle', () => {
  it('walks detected → planned → confirmed → eradicated → eradication_verified', () => {
    let t = markPlanned(target('T1')).target;
    expect(t.status).toBe('planned');
    t = applyReport(t, report('r1')).target;
    expect(t.status).toBe('confirmed');
    t = applyReport(t, report('r2', { verdict: 'eradicated', observedAt: '2026-04-21T10:00:00+08:00' })).target;
    expect(t.status).toBe('eradicated');
    expect(t.eradicatedAt).toBe('2026-04-21T10:00:00+08:00');
    const sameDay = applyReport(t, report('r3', { verdict: 'nothing_found', observedAt: '2026-04-21T15:00:00+08:00' }));
    expect(sameDay.to).toBe('eradicated');
    t = applyReport(sameDay.target, report('r4', { verdict: 'nothing_found', observedAt: '2026-04-28T10:00:00+08:00' })).target;
    expect(t.status).toBe('eradication_verified');
    expect(isResolved(t)).toBe(true);
    expect(t.reportIds).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('not_poppy and nothing_found resolve a detected target; inaccessible asks for a revisit', () => {
    expect(applyReport(target('T'), report('r', { verdict: 'not_poppy', what: '油菜' })).to).toBe('inspected_negative');
    const r = applyReport(target('T'), report('r', { verdict: 'inaccessible' }));
    expect(r.to).toBe('needs_revisit');
    expect(markPlanned(r.target).to).toBe('planned');
  });

  it('flags contradicting evidence for review and keeps the status', () => {
    const confirmed = applyReport(target('T'), report('r1')).target;
    const c = applyReport(confirmed, report('r2', { verdict: 'nothing_found' }));
    expect(c.to).toBe('confirmed');
    expect(c.contradiction).toMatch(/confirmed poppy/);
    expect(c.target.review?.reportIds).toEqual(['r1', 'r2']);
    expect(isResolved(c.target)).toBe(false);
    const decided = setStatusByDecision(c.target, 'inspected_negative', '复查：油菜');
    expect(decided.target.review).toBeNull();
    expect(() => setStatusByDecision(c.target, 'inspected_negative', ' ')).toThrow(/reason/);
  });

  it('applying the same report twice changes nothing', () => {
    const once = applyReport(target('T'), report('r1')).target;
    const twice = applyReport(once, report('r1'));
    expect(twice.target).toBe(once);
  });

  it('a finding no scan flagged becomes a missed_by_scan target', () => {
    const t = targetFromFinding(report('g1', { areaM2: 100, position: [100.5, 25.5] }));
    expect(t).toMatchObject({ origin: 'ground', missedByScan: true, status: 'confirmed', sources: ['report/g1'] });
    expect(t.areaM2).toBeCloseTo(100, 0);
  });
});

describe('matchReport', () => {
  const t1 = target('T1', { geometry: rect(100, 25, 100.0002, 25.0002) });
  const t2 = target('T2', { geometry: rect(100.001, 25, 100.0012, 25.0002) });
  it('matches by id, flags an unknown id', () => {
    expect(matchReport({ targetId: 'T2', position: [0, 0], accuracyM: 5 }, [t1, t2], 10)).toEqual({ kind: 'by_id', targetId: 'T2' });
    expect(matchReport({ targetId: 'T9', position: [0, 0], accuracyM: 5 }, [t1, t2], 10).kind).toBe('unknown_target');
  });
  it('matches by position within accuracy + margin, nearest first', () => {
    // 0.0003° east of T1's east edge ≈ 30.3 m at 25°N
    const m = matchReport({ targetId: null, position: [100.0005, 25.0001], accuracyM: 25 }, [t1, t2], 10);
    expect(m.kind).toBe('by_position');
    if (m.kind === 'by_position') {
      expect(m.targetId).toBe('T1');
      expect(m.distanceM).toBeCloseTo(0.0003 * 111320 * Math.cos((25 * Math.PI) / 180) * 1.0017, 0);
    }
    expect(matchReport({ targetId: null, position: [100.0005, 25.0001], accuracyM: 5 }, [t1], 10).kind).toBe('unmatched');
    expect(matchReport({ targetId: null, position: [100.0001, 25.0001], accuracyM: 0 }, [t1, t2], 0)).toEqual({
      kind: 'by_position',
      targetId: 'T1',
      distanceM: 0,
    });
  });
});

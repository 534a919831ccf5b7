import { describe, expect, it } from 'vitest';
import { auditSampleSize, modelDismissalPolicy, parseSeason, seasonToFile } from './season';
import { GeoError } from './errors';
import { canonicalJson } from './canonical-json';
import { digestOf, sha256Hex } from './sha256-hex';
import { parseGroundReport } from './ground-report';
import { gapsToKml } from './gaps-to-kml';
import { rect } from './fixtures.test-util';

describe('parseSeason', () => {
  it('fills defaults from ARCHITECTURE', () => {
    const s = parseSeason({ id: '2026', year: 2026 });
    expect(s).toEqual({
      id: '2026',
      name: '2026',
      region: '',
      zone: null,
      floweringStart: '2026-03-01',
      floweringEnd: '2026-05-31',
      policy: {
        minCoverageShare: 0.98,
        maxGsdM: 0.1,
        reviewThreshold: 0.35,
        requireEradicationVerified: true,
        matchMarginM: 10,
        verifyAfterDays: 1,
        deskDismissal: { allowed: false, maxScore: 0.5, auditShare: 0.1, auditMin: 3 },
      },
    });
    expect(Object.isFrozen(s)).toBe(true);
    expect(parseSeason(seasonToFile(s))).toEqual(s);
  });
  it('reads the demo season file (seeds/season.json)', () => {
    const s = parseSeason({
      id: 'yiluo-2026',
      name: '依洛乡',
      zone: 'township',
      year: 2026,
      flowering_window: { start: '2026-03-01', end: '2026-05-31' },
      policy: { min_coverage_share: 0.98, max_gsd_m: 0.1, review_threshold: 0.35, require_eradication_verified: true },
    });
    expect(s.floweringEnd).toBe('2026-05-31');
    expect(s.zone).toBe('township');
  });
  it('rejects unknown keys with a hint, and bad windows', () => {
    expect(() => parseSeason({ id: 'x', year: 2026, flowering_windw: { start: '2026-03-01', end: '2026-05-01' } })).toThrow(/flowering_window/);
    try {
      parseSeason({ id: 'x', year: 2026, policy: { min_coverage: 0.9 } });
    } catch (e) {
      expect((e as GeoError).code).toBe('TIANDI_E_SEASON');
      expect((e as Error).message).toMatch(/min_coverage_share/);
    }
    expect(() => parseSeason({ id: 'x', flowering_window: { start: '2026-05-01', end: '2026-03-01' } })).toThrow(/before/);
    expect(() => parseSeason({ id: 'x', flowering_window: { start: '2026-02-30', end: '2026-05-01' } })).toThrow();
    expect(() => parseSeason({ id: 'no year' })).toThrow(GeoError);
  });
  it('reads the desk-dismissal policy, safe by default, rejecting misspelt keys', () => {
    const s = parseSeason({ id: 'x', year: 2026, policy: { desk_dismissal: { allowed: true, max_score: 0.4 } } });
    expect(s.policy.deskDismissal).toEqual({ allowed: true, maxScore: 0.4, auditShare: 0.1, auditMin: 3 });
    expect(parseSeason(seasonToFile(s))).toEqual(s);
    expect(parseSeason({ id: 'x', year: 2026, policy: {} }).policy.deskDismissal.allowed).toBe(false);
    expect(() => parseSeason({ id: 'x', year: 2026, policy: { desk_dismissal: { allowed: true, audit_shar: 0.2 } } })).toThrow(/audit_share/);
    expect(() => parseSeason({ id: 'x', year: 2026, policy: { desk_dismissal: { audit_min: 1.5 } } })).toThrow(/desk_dismissal\.audit_min/);
  });
  it('sizes the ground-audit sample: max(min, ⌈share·n⌉), never more than n', () => {
    const p = { auditShare: 0.1, auditMin: 3 };
    expect([0, 1, 3, 10, 30, 31, 100].map((n) => auditSampleSize(n, p))).toEqual([0, 1, 3, 3, 3, 4, 10]);
    expect(auditSampleSize(50, { auditShare: 0, auditMin: 0 })).toBe(0);
  });
});

describe('canonical JSON and digests', () => {
  it('sorts keys and is independent of insertion order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }], u: undefined })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
    expect(digestOf({ a: 1, b: 2 })).toBe(digestOf({ b: 2, a: 1 }));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(() => canonicalJson({ x: NaN })).toThrow(/non-finite/);
  });
});

describe('parseGroundReport', () => {
  const ok = { report_id: 'r1', verdict: 'confirmed_poppy', accuracy_m: 4, observed_at: '2026-04-20T09:30:00+08:00' };
  it('accepts a valid report', () => {
    const r = parseGroundReport(ok, [100.1, 25.2]);
    expect(r.ok && r.report).toMatchObject({ reportId: 'r1', position: [100.1, 25.2], photos: [], targetId: null });
  });
  it('names the field that is wrong', () => {
    expect(parseGroundReport({ ...ok, verdict: 'poppy' }, [100, 25])).toMatchObject({ ok: false, field: 'verdict' });
    expect(parseGroundReport({ ...ok, verdict: 'not_poppy' }, [100, 25])).toMatchObject({ ok: false, field: 'what' });
    expect(parseGroundReport({ ...ok, acuracy_m: 3 }, [100, 25])).toMatchObject({ ok: false, message: expect.stringMatching(/accuracy_m/) });
    expect(parseGroundReport(ok, [25, 100])).toMatchObject({ ok: false, field: 'position' });
    expect(parseGroundReport({ ...ok, observed_at: 'yesterday' }, [100, 25])).toMatchObject({ ok: false, field: 'observed_at' });
  });
});

describe('gapsToKml', () => {
  it('writes one polygon placemark per gap above the minimum area, largest first', () => {
    const gaps = {
      type: 'MultiPolygon' as const,
      coordinates: [
        rect(100, 25, 100.001, 25.001).coordinates,
        rect(100.01, 25, 100.012, 25.002).coordinates,
        rect(100.02, 25, 100.020001, 25.000001).coordinates,
      ],
    };
    const { kml, count } = gapsToKml(gaps, { name: 'V1 <2026>' });
    expect(count).toBe(2);
    expect(kml.match(/<Placemark>/g)).toHaveLength(2);
    expect(kml).toContain('V1 &lt;2026&gt; gap 1');
    expect(kml.indexOf('100.01000000,25.00000000,0')).toBeLessThan(kml.indexOf('100.00000000,25.00000000,0'));
  });
});

describe('policy.model_dismissal', () => {
  it('is absent (not allowed) unless set, and written back only when set, so stored seasons keep their form', () => {
    const plain = parseSeason({ id: '2026', year: 2026 });
    expect(plain.policy.modelDismissal).toBeUndefined();
    expect(modelDismissalPolicy(plain.policy)).toEqual({ allowed: false, maxScore: 0.5, auditShare: 0.1, auditMin: 3 });
    expect('model_dismissal' in (seasonToFile(plain).policy as object)).toBe(false);
    const set = parseSeason({ id: '2026', year: 2026, policy: { model_dismissal: { allowed: true, max_score: 0.4 } } });
    expect(set.policy.modelDismissal).toEqual({ allowed: true, maxScore: 0.4, auditShare: 0.1, auditMin: 3 });
    expect((seasonToFile(set).policy as Record<string, unknown>).model_dismissal).toEqual({ allowed: true, max_score: 0.4, audit_share: 0.1, audit_min: 3 });
    expect(parseSeason(seasonToFile(set))).toEqual(set);
    expect(() => parseSeason({ id: '2026', year: 2026, policy: { model_dismisal: {} } })).toThrow(/did you mean 'model_dismissal'/);
  });
});

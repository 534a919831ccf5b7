import { describe, expect, it } from 'vitest';
import { matchReport, type ReportMatch } from './match-report';
import { TargetIndex } from './target-index';
import { rect, target } from './fixtures.test-util';
import type { Target } from './target';

/** A seeded generator, so a failure replays. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** 5 000 plots of 5–60 m in a 5 km square, some overlapping, some twins with the same outline (ties go by id). */
function plots(n: number, rnd: () => number): Target[] {
  const out: Target[] = [];
  for (let i = 0; i < n; i++) {
    const twin = i > 0 && rnd() < 0.05 ? out[Math.floor(rnd() * out.length)] : null;
    if (twin) {
      out.push(target(`P${String(n - i).padStart(5, '0')}`, { geometry: twin.geometry }));
      continue;
    }
    const x = 100 + rnd() * 0.05,
      y = 25 + rnd() * 0.045,
      w = (5 + rnd() * 55) / 100_000,
      h = (5 + rnd() * 55) / 110_000;
    out.push(target(`P${String(n - i).padStart(5, '0')}`, { geometry: rect(x, y, x + w, y + h) }));
  }
  return out;
}

describe('matchReport with a TargetIndex', () => {
  it('gives the brute-force matches for 20 000 reports against 5 000 targets, ties and team scope included', () => {
    const rnd = lcg(15);
    const targets = plots(5000, rnd);
    const index = new TargetIndex(targets);
    const team = new Set(targets.filter(() => rnd() < 0.5).map((t) => t.id));
    const inTeam = (t: Target) => team.has(t.id);
    const teamTargets = targets.filter(inTeam);
    const kinds: Record<string, number> = {};
    let differ = 0,
      scopedDiffer = 0,
      ties = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = { targetId: null, position: [100 + rnd() * 0.05, 25 + rnd() * 0.045] as [number, number], accuracyM: 2 + rnd() * 38 };
      const brute = matchReport(r, targets, 10);
      const fast = matchReport(r, index, 10);
      if (JSON.stringify(brute) !== JSON.stringify(fast)) differ++;
      if (JSON.stringify(matchReport(r, teamTargets, 10)) !== JSON.stringify(matchReport(r, index, 10, inTeam))) scopedDiffer++;
      kinds[brute.kind] = (kinds[brute.kind] ?? 0) + 1;
      if (brute.kind === 'by_position' && brute.distanceM === 0) ties++;
    }
    expect({ differ, scopedDiffer }).toEqual({ differ: 0, scopedDiffer: 0 });
    // The comparison means something: many reports match, many do not, and some sit inside (twin) plots.
    expect(kinds.by_position).toBeGreaterThan(3000);
    expect(kinds.unmatched).toBeGreaterThan(3000);
    expect(ties).toBeGreaterThan(100);
  });

  it('finds targets added or moved after it was built, and ids by lookup', () => {
    const index = new TargetIndex([target('T1', { geometry: rect(100, 25, 100.0002, 25.0002) })]);
    const at = (lon: number, lat: number): ReportMatch => matchReport({ targetId: null, position: [lon, lat], accuracyM: 5 }, index, 10);
    expect(at(100.01, 25.0001).kind).toBe('unmatched');
    index.set(target('T2', { geometry: rect(100.01, 25, 100.0102, 25.0002) }));
    expect(at(100.01, 25.0001)).toEqual({ kind: 'by_position', targetId: 'T2', distanceM: 0 });
    index.set(target('T1', { geometry: rect(100.02, 25, 100.0202, 25.0002) }));
    expect(at(100.0001, 25.0001).kind).toBe('unmatched');
    expect(at(100.0201, 25.0001)).toEqual({ kind: 'by_position', targetId: 'T1', distanceM: 0 });
    expect(matchReport({ targetId: 'T2', position: [0, 0], accuracyM: 5 }, index, 10)).toEqual({ kind: 'by_id', targetId: 'T2' });
    expect(matchReport({ targetId: 'T9', position: [0, 0], accuracyM: 5 }, index, 10).kind).toBe('unknown_target');
  });
});

import { describe, expect, it } from 'vitest';
import { mergeCandidates } from './merge-candidates';
import { geodesicAreaM2 } from './geodesic-area';
import { cand, rect } from './fixtures.test-util';

describe('mergeCandidates', () => {
  const a1 = cand('s1/a', rect(100, 25, 100.0002, 25.0002), 0.7);
  const a2 = cand('s2/a', rect(100.0001, 25, 100.0003, 25.0002), 0.9);
  const b = cand('s1/b', rect(100.01, 25, 100.0102, 25.0002), 0.5);

  it('merges overlapping candidates from two images into one target with the union outline and best score', () => {
    const r = mergeCandidates([], [a1, a2, b]);
    expect(r.targets).toHaveLength(2);
    const t = r.targets.find((x) => x.sources.includes('s1/a'))!;
    expect(t.sources).toEqual(['s1/a', 's2/a']);
    expect(t.scoreMax).toBe(0.9);
    expect(t.areaM2 / geodesicAreaM2(rect(100, 25, 100.0003, 25.0002))).toBeCloseTo(1, 4);
    expect(t.status).toBe('detected');
  });

  it('marks a scan target unverified while any of its candidates is, whatever verifier score another got; never a ground finding', () => {
    const verified = { ...a1, scoreVerify: 0.02, unverified: false };
    const judged = mergeCandidates([], [verified]).targets[0];
    expect([judged.unverified, judged.scoreVerify]).toEqual([false, 0.02]);
    // A one-stage model's candidate (no mark, no verifier score) is unverified by definition.
    expect(mergeCandidates([], [a1]).targets[0].unverified).toBe(true);
    // Coarser imagery's candidate joins the verified target: the place is no longer vouched for by a second look.
    const later = mergeCandidates([judged], [{ ...a2, unverified: true }]).targets[0];
    expect([later.id, later.unverified, later.scoreVerify, later.scoreMax]).toEqual([judged.id, true, 0.02, 0.9]);
    // And a verified candidate joining an unverified target does not clear the mark.
    expect(mergeCandidates([later], [{ ...b, geometry: a1.geometry, id: 's3/a', scoreVerify: 0.5, unverified: false }]).targets[0].unverified).toBe(true);
    const ground = { ...judged, id: 'G1', origin: 'ground' as const, sources: ['r1'], unverified: false };
    expect(mergeCandidates([ground], [{ ...a2, unverified: true }]).targets[0].unverified).toBe(false);
  });

  it('is idempotent: merging the same candidates again changes nothing, in any order', () => {
    const first = mergeCandidates([], [a1, a2, b]);
    const again = mergeCandidates(first.targets, [b, a2, a1]);
    expect(again.changedIds).toEqual([]);
    expect(again.targets).toEqual(first.targets);
    const reversed = mergeCandidates([], [b, a2, a1]);
    expect(reversed.targets.map((t) => t.id)).toEqual(first.targets.map((t) => t.id));
  });

  it('adds a later overlapping candidate to the existing target, keeping its id and status', () => {
    const first = mergeCandidates([], [a1]);
    const t0 = { ...first.targets[0], status: 'confirmed' as const };
    const r = mergeCandidates([t0], [a2]);
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0].id).toBe(t0.id);
    expect(r.targets[0].status).toBe('confirmed');
    expect(r.changedIds).toEqual([t0.id]);
  });

  it('does not merge plots that only touch or barely overlap', () => {
    const touching = cand('s3/x', rect(100.0002, 25, 100.0004, 25.0002));
    const r = mergeCandidates([], [a1, touching]);
    expect(r.targets).toHaveLength(2);
  });

  it('joins two targets bridged by a new candidate into the older id', () => {
    const left = mergeCandidates([], [cand('s1/l', rect(100, 25, 100.0002, 25.0002))]).targets[0];
    const right = mergeCandidates([], [cand('s1/r', rect(100.0004, 25, 100.0006, 25.0002))]).targets[0];
    const bridge = cand('s2/m', rect(100.0001, 25, 100.0005, 25.0002));
    const r = mergeCandidates([left, right], [bridge]);
    expect(r.targets).toHaveLength(1);
    const keep = [left.id, right.id].sort()[0];
    expect(r.targets[0].id).toBe(keep);
    expect(r.absorbed).toEqual([{ id: [left.id, right.id].sort()[1], into: keep }]);
    expect(r.targets[0].sources).toEqual(['s1/l', 's1/r', 's2/m']);
  });
});

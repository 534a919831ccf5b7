import { bboxOf, type Polygonal } from './geojson';
import { geodesicAreaM2 } from './geodesic-area';
import { unionAll } from './polygon-ops';
import { overlapsAtLeast } from './overlap-share';
import { sha256Hex } from './sha256-hex';
import { isUnverifiedCandidate, type Candidate, type Target } from './target';

export interface MergeOptions {
  /** Two outlines belong to the same plot when their overlap is at least this share of the smaller one (default 0.1). */
  minOverlapShare?: number;
}

export interface MergeResult {
  /** Every target after the merge (unchanged ones included), sorted by id. */
  targets: Target[];
  /** Ids of targets created or changed. */
  changedIds: string[];
  /** Targets absorbed into another because a new candidate bridged them. */
  absorbed: { id: string; into: string }[];
}

/** Deterministic target id from its first source, so the same candidates always give the same target. */
export function targetIdFor(firstSource: string): string {
  return 'T' + sha256Hex(firstSource).slice(0, 12);
}

/**
 * Merges new candidates into targets: overlapping candidates (and targets) of the same ground form one
 * target with the union outline, the best score and every source kept. Idempotent: candidates already
 * among a target's sources are ignored, so merging the same scan twice changes nothing.
 */
export function mergeCandidates(existing: Target[], candidates: Candidate[], opts: MergeOptions = {}): MergeResult {
  const minShare = opts.minOverlapShare ?? 0.1;
  const known = new Set(existing.flatMap((t) => t.sources));
  const fresh = dedupe(candidates.filter((c) => !known.has(c.id)));
  if (fresh.length === 0) return { targets: [...existing].sort(byId), changedIds: [], absorbed: [] };
  const items: Item[] = [
    ...existing.map((t) => ({ geometry: t.geometry, target: t, area: geodesicAreaM2(t.geometry), bbox: bboxOf(t.geometry) })),
    ...fresh.map((c) => ({ geometry: c.geometry as Polygonal, cand: c, area: geodesicAreaM2(c.geometry), bbox: bboxOf(c.geometry) })),
  ];
  const out: Target[] = [];
  const changedIds: string[] = [];
  const absorbed: MergeResult['absorbed'] = [];
  for (const members of overlapClusters(items, existing.length, minShare)) {
    const olds = members
      .filter((m) => m.target)
      .map((m) => m.target!)
      .sort(byId);
    const cands = members.filter((m) => m.cand).map((m) => m.cand!);
    if (cands.length === 0) {
      out.push(...olds);
      continue;
    }
    const merged = mergedTarget(members, olds, cands);
    for (const t of olds.slice(1)) absorbed.push({ id: t.id, into: merged.id });
    out.push(merged);
    changedIds.push(merged.id);
  }
  return { targets: out.sort(byId), changedIds: changedIds.sort(), absorbed };
}

/** An existing target or a new candidate, with its area and bounding box for the overlap sweep. */
type Item = { geometry: Polygonal; target?: Target; cand?: Candidate; area: number; bbox: number[] };

/**
 * Groups items that overlap by at least `minShare` (transitively, union-find). Items before `firstFresh` are existing
 * targets, already disjoint clusters: only pairs involving a new candidate can join.
 */
function overlapClusters(items: Item[], firstFresh: number, minShare: number): Item[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  // Sweep over bounding boxes sorted by west edge: only pairs whose boxes overlap are tested.
  const order = items.map((_, i) => i).sort((x, y) => items[x].bbox[0] - items[y].bbox[0]);
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    const a = items[i].bbox;
    for (let oj = oi + 1; oj < order.length && items[order[oj]].bbox[0] <= a[2]; oj++) {
      const j = order[oj];
      if ((i < firstFresh && j < firstFresh) || find(i) === find(j)) continue;
      const b = items[j].bbox;
      if (a[1] > b[3] || b[1] > a[3]) continue;
      if (overlapsAtLeast(items[i].geometry, items[j].geometry, minShare, items[i].area, items[j].area)) parent[find(i)] = find(j);
    }
  }
  const clusters = new Map<number, Item[]>();
  items.forEach((it, i) => {
    const r = find(i);
    clusters.set(r, [...(clusters.get(r) ?? []), it]);
  });
  return [...clusters.values()];
}

/**
 * One cluster as one target: the first old target's id and state (else a new id from the first source), the union
 * outline, the best scores, every source and report; a review when targets of different statuses were merged.
 */
function mergedTarget(members: Item[], olds: Target[], cands: Candidate[]): Target {
  const sources = [...new Set([...olds.flatMap((t) => t.sources), ...cands.map((c) => c.id)])].sort();
  const keep = olds[0];
  const geometry = members.length === 1 ? members[0].geometry : unionAll(members.map((m) => m.geometry))!;
  const statuses = new Set(olds.map((t) => t.status));
  return {
    id: keep?.id ?? targetIdFor(sources[0]),
    status: keep?.status ?? 'detected',
    origin: keep?.origin ?? 'scan',
    missedByScan: olds.some((t) => t.missedByScan),
    geometry,
    scoreMax: Math.max(...olds.map((t) => t.scoreMax), ...cands.map((c) => c.scoreMax)),
    scoreVerify: maxOrNull([...olds.map((t) => t.scoreVerify), ...cands.map((c) => c.scoreVerify)]),
    // Said only when some candidate's model calibrates its verifier (most do not).
    ...optionalPPoppy(maxOrNull([...olds.map((t) => t.pPoppy), ...cands.map((c) => c.pPoppy)])),
    // Unverified while any of its candidates is: a verifier score from one image does not vouch for another's.
    unverified: (keep?.origin ?? 'scan') === 'scan' && (olds.some((t) => t.unverified === true) || cands.some(isUnverifiedCandidate)),
    areaM2: geodesicAreaM2(geometry),
    sources,
    review:
      keep?.review ??
      (statuses.size > 1 ? { reason: `合并了状态不同的目标 merged targets with different statuses: ${[...statuses].join(', ')}`, reportIds: [] } : null),
    eradicatedAt: keep?.eradicatedAt ?? null,
    reportIds: [...new Set(olds.flatMap((t) => t.reportIds))],
    // A desk decision and an audit draw stay with the target a new candidate joins.
    ...(keep?.desk ? { desk: keep.desk } : {}),
    ...(olds.some((t) => t.groundAudit) ? { groundAudit: true } : {}),
  };
}

function dedupe(cs: Candidate[]): Candidate[] {
  const m = new Map<string, Candidate>();
  for (const c of cs) if (!m.has(c.id)) m.set(c.id, c);
  return [...m.values()];
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The largest of the numbers given, or null when there are none (verifier scores are absent for one-stage models). */
function optionalPPoppy(p: number | null): { pPoppy?: number } {
  return p === null ? {} : { pPoppy: p };
}

function maxOrNull(values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
}

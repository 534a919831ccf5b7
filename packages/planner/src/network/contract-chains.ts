/** A noded piece of road between two nodes (before or after contraction), geometry in the local plane. */
export interface RawEdge {
  from: number;
  to: number;
  lengthM: number;
  timeS: number;
  oneway: 0 | 1;
  highway: string;
  feature: number;
  /** Node ids along the edge, from `from` to `to` (2 for an uncontracted piece). */
  via: number[];
}

/**
 * Merges chains of pieces through nodes of degree 2 (shape vertices of one road) into single edges,
 * so shortest-path searches visit junctions only. A node is merged away only when both its pieces
 * have the same `highway` class (so speed is uniform along the merged edge) and the same direction
 * rule (two-way, or one-way flowing through it). Returns the kept nodes (old ids) and the new edges
 * (node ids renumbered into the kept list; `via` keeps the old ids for geometry).
 */
export function contractChains(nodeCount: number, edges: RawEdge[]): { keep: number[]; edges: RawEdge[] } {
  const inc: number[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach((e, i) => {
    inc[e.from].push(i);
    if (e.to !== e.from) inc[e.to].push(i);
  });
  const internal = new Uint8Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    if (inc[v].length !== 2) continue;
    const [a, b] = inc[v].map((i) => edges[i]);
    if (a === b || a.highway !== b.highway || a.oneway !== b.oneway) continue;
    if (a.oneway && !((a.to === v && b.from === v) || (b.to === v && a.from === v))) continue;
    internal[v] = 1;
  }
  const used = new Uint8Array(edges.length);
  const out: RawEdge[] = [];
  const walk = (v: number, first: number): void => {
    const e0 = edges[first];
    const via = [v];
    let cur = v;
    let ei = first;
    let lengthM = 0, timeS = 0;
    const forward = e0.from === v; // travelling along the one-way direction
    for (;;) {
      used[ei] = 1;
      const e = edges[ei];
      const next = e.from === cur ? e.to : e.from;
      lengthM += e.lengthM;
      timeS += e.timeS;
      via.push(next);
      cur = next;
      if (!internal[cur] || cur === v) break;
      ei = inc[cur][0] === ei ? inc[cur][1] : inc[cur][0];
      if (used[ei]) break;
    }
    if (e0.oneway && !forward) via.reverse();
    out.push({ from: via[0], to: via[via.length - 1], lengthM, timeS, oneway: e0.oneway, highway: e0.highway, feature: e0.feature, via });
  };
  for (let v = 0; v < nodeCount; v++) if (!internal[v]) for (const ei of inc[v]) if (!used[ei]) walk(v, ei);
  // Pure cycles of degree-2 nodes: keep one node of each.
  for (let ei = 0; ei < edges.length; ei++) {
    if (used[ei]) continue;
    const v = edges[ei].from;
    internal[v] = 0;
    walk(v, ei);
  }
  const keep: number[] = [];
  const newId = new Int32Array(nodeCount).fill(-1);
  for (let v = 0; v < nodeCount; v++) if (!internal[v] && inc[v].length > 0) { newId[v] = keep.length; keep.push(v); }
  for (const e of out) { e.from = newId[e.from]; e.to = newId[e.to]; }
  return { keep, edges: out };
}

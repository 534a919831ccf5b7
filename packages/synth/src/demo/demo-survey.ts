import { createPrng, type Prng } from '../prng';

/** [lon, lat] in WGS 84 / CGCS2000 degrees. */
export type LonLat = [number, number];

/** A village of the demo township. */
export interface DemoVillage {
  id: string;
  name: string;
  namePinyin: string;
  centre: LonLat;
  ring: LonLat[];
}

/** A road or track of the demo network, with its OpenStreetMap highway class. */
export interface DemoRoad {
  id: string;
  highway: 'secondary' | 'tertiary' | 'unclassified' | 'service' | 'track' | 'path';
  name?: string;
  coords: LonLat[];
}

/** The vector part of the demo survey (small, committed under seeds/). */
export interface DemoSurvey {
  county: { name: string; namePinyin: string; ring: LonLat[] };
  township: { name: string; namePinyin: string; seat: LonLat; ring: LonLat[] };
  villages: DemoVillage[];
  roads: DemoRoad[];
  depot: { id: string; name: string; nameEn: string; lonLat: LonLat };
}

const M_PER_DEG_LAT = 110_900;
const mPerDegLon = (lat: number): number => 111_320 * Math.cos((lat * Math.PI) / 180);

/** Offsets a point by east/north metres (local flat approximation, fine at township scale). */
export function offsetM(p: LonLat, eastM: number, northM: number): LonLat {
  return [round7(p[0] + eastM / mPerDegLon(p[1])), round7(p[1] + northM / M_PER_DEG_LAT)];
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** An irregular closed ring around a centre: `n` vertices at radius `radiusM` ± `jitter`. */
function blobRing(r: Prng, c: LonLat, radiusM: number, n: number, jitter: number): LonLat[] {
  const ring: LonLat[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const rad = radiusM * (1 + r.range(-jitter, jitter));
    ring.push(offsetM(c, rad * Math.cos(a), rad * Math.sin(a)));
  }
  ring.push(ring[0]);
  return ring;
}

/** A polyline from a to b with `n` interior vertices nudged sideways by up to `wiggleM`. */
function wiggly(r: Prng, a: LonLat, b: LonLat, n: number, wiggleM: number): LonLat[] {
  const out: LonLat[] = [a];
  const dx = (b[0] - a[0]) * mPerDegLon(a[1]);
  const dy = (b[1] - a[1]) * M_PER_DEG_LAT;
  const len = Math.hypot(dx, dy) || 1;
  const px = -dy / len;
  const py = dx / len;
  for (let i = 1; i <= n; i++) {
    const t = i / (n + 1);
    const base: LonLat = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    const s = r.range(-wiggleM, wiggleM) * Math.sin(Math.PI * t);
    out.push(offsetM(base, px * s, py * s));
  }
  out.push(b);
  return out;
}

const VILLAGES: Array<[string, string, number, number]> = [
  // name, pinyin, east offset m, north offset m from the township seat
  ['阿都村', 'Adu Cun', -2600, 1900],
  ['瓦吉村', 'Waji Cun', 2300, 2200],
  ['洛古村', 'Luogu Cun', 2900, -1500],
  ['拉莫村', 'Lamo Cun', -2100, -2300],
  ['尔古村', 'Ergu Cun', -3300, -200],
  ['补约村', 'Buyue Cun', 400, -3100],
];

/**
 * Builds the fictional demo township 依洛乡 (Yiluo Xiang) in Liangshan, Sichuan: county and
 * township polygons, six villages, a connected road network (every junction is a shared line end)
 * and the township police station used as the depot. Deterministic for a seed.
 */
export function buildDemoSurvey(seed = 2026): DemoSurvey {
  const r = createPrng(seed);
  const seat: LonLat = [102.3012, 27.9008];
  const township = {
    name: '依洛乡',
    namePinyin: 'Yiluo Xiang',
    seat,
    ring: blobRing(r, seat, 4600, 24, 0.08),
  };
  const county = { name: '示范县（虚构）', namePinyin: 'Shifan Xian (fictional)', ring: blobRing(r, [102.29, 27.89], 13_000, 16, 0.06) };

  // Main road: SW → NE through the seat, as a chain of vertices; junctions split it into segments.
  const mainStart = offsetM(seat, -4300, -2700);
  const mainEnd = offsetM(seat, 4200, 2900);
  const mainA = wiggly(r, mainStart, seat, 9, 180);
  const mainB = wiggly(r, seat, mainEnd, 9, 180);
  const mainLine = [...mainA, ...mainB.slice(1)];
  const villages = demoVillages(r, seat);
  // Each village joins the main road at its nearest main-road vertex; the seat is a junction too.
  const joinAt = joinVertices(villages, mainLine);
  const roads: DemoRoad[] = mainRoadSegments(mainLine, [...joinAt, mainA.length - 1]);
  // The draw order of `r` fixes the whole township: village roads, then the links between villages.
  villages.forEach((v, i) => roads.push(...villageRoads(r, v, mainLine[joinAt[i]])));
  roads.push(...villageLinks(r, villages));
  const depotLonLat = offsetM(seat, 35, -25);
  roads.push({ id: 'svc-depot', highway: 'service', name: '派出所院 station yard', coords: [seat, depotLonLat] });
  return {
    county,
    township,
    villages,
    roads,
    depot: { id: 'depot-yiluo-pcs', name: '依洛乡派出所', nameEn: 'Yiluo Township Police Station', lonLat: depotLonLat },
  };
}

function demoVillages(r: Prng, seat: LonLat): DemoVillage[] {
  return VILLAGES.map(([name, pinyin, e, n], i) => {
    const centre = offsetM(seat, e + r.range(-150, 150), n + r.range(-150, 150));
    // 阿都村 (v1) is a hamlet small enough for its flight block to cover it whole, so the demo can carry
    // one village through to a certificate; the others are wider than any one block, as villages are.
    const radiusM = i === 0 ? r.range(75, 85) : r.range(380, 520);
    return { id: `v${i + 1}`, name, namePinyin: pinyin, centre, ring: blobRing(r, centre, radiusM, 12, 0.18) };
  });
}

/** For each village, the nearest inner main-road vertex not taken by an earlier village. */
function joinVertices(villages: DemoVillage[], mainLine: LonLat[]): number[] {
  const taken = new Set<number>();
  return villages.map((v) => {
    let best = 1;
    let bestD = Infinity;
    for (let k = 1; k < mainLine.length - 1; k++) {
      const d = distM(v.centre, mainLine[k]);
      if (d < bestD && !taken.has(k)) {
        bestD = d;
        best = k;
      }
    }
    taken.add(best);
    return best;
  });
}

/** The main road cut at its junction vertices, so every junction is a shared line end. */
function mainRoadSegments(mainLine: LonLat[], junctions: number[]): DemoRoad[] {
  const cuts = [...new Set(junctions)].sort((a, b) => a - b);
  const roads: DemoRoad[] = [];
  let from = 0;
  for (const [i, cut] of [...cuts, mainLine.length - 1].entries()) {
    roads.push({ id: `main-${i + 1}`, highway: 'secondary', name: '依洛公路 Yiluo Road', coords: mainLine.slice(from, cut + 1) });
    from = cut;
  }
  return roads;
}

/** A village's road to the main road, and farm tracks radiating from its centre, each ending in a footpath into the fields. */
function villageRoads(r: Prng, v: DemoVillage, join: LonLat): DemoRoad[] {
  const roads: DemoRoad[] = [{ id: `vr-${v.id}`, highway: 'tertiary', name: `${v.name}路`, coords: wiggly(r, join, v.centre, 4, 60) }];
  const nTracks = 3;
  const a0 = r.range(0, 2 * Math.PI);
  for (let t = 0; t < nTracks; t++) {
    const a = a0 + (t * 2 * Math.PI) / nTracks + r.range(-0.4, 0.4);
    const len = r.range(700, 1200);
    const end = offsetM(v.centre, len * Math.cos(a), len * Math.sin(a));
    roads.push({ id: `tr-${v.id}-${t + 1}`, highway: 'track', coords: wiggly(r, v.centre, end, 5, 50) });
    const pl = r.range(250, 450);
    const b = a + r.range(-0.8, 0.8);
    roads.push({ id: `fp-${v.id}-${t + 1}`, highway: 'path', coords: wiggly(r, end, offsetM(end, pl * Math.cos(b), pl * Math.sin(b)), 3, 25) });
  }
  return roads;
}

/** Tracks linking neighbouring villages make the network a mesh, not only a tree. */
function villageLinks(r: Prng, villages: DemoVillage[]): DemoRoad[] {
  const ring = [0, 1, 2, 5, 3, 4];
  return ring.map((_, k) => {
    const a = villages[ring[k]];
    const b = villages[ring[(k + 1) % ring.length]];
    return { id: `link-${a.id}-${b.id}`, highway: k % 2 ? 'unclassified' : 'track', coords: wiggly(r, a.centre, b.centre, 7, 150) };
  });
}

function distM(a: LonLat, b: LonLat): number {
  return Math.hypot((a[0] - b[0]) * mPerDegLon(a[1]), (a[1] - b[1]) * M_PER_DEG_LAT);
}

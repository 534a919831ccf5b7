/**
 * The planner on real OpenStreetMap networks (../shared/bench/osm): planned travel time against the
 * independent reference of osm-check.ts for the same visiting order, targets within 200 m of a
 * connected road served, the drawn track against the timed distance, and with Andorra's SRTM tile how
 * walking and track times change on slopes. Prints figures and ratios; asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LonLat } from '@tiandi/geo';
import { buildNetwork } from '../src/network/build-network';
import { elevationFromHgt } from '../src/network/dem-hgt';
import { waysFromOsm, type OsmWay } from '../src/network/osm-ways';
import type { ElevationAt } from '../src/network/terrain';
import { MAX_DIRECT_WALK_M } from '../src/network/time-matrix';
import { planRoutes } from '../src/plan/plan-routes';
import type { Plan, PlanTarget } from '../src/plan/plan-types';
import { createRng } from '../src/random';
import { haversine, ReferenceGraph, referenceLegSeconds, type RefSnap } from './osm-check';

const SETS = [
  { name: 'Andorra', file: 'andorra.osm.pbf', depot: [1.5218, 42.5075] as LonLat, dem: 'N42E001.hgt.zip' },
  { name: 'Krems', file: 'krems.osm.gz', depot: [15.609, 48.4105] as LonLat },
];
const TARGETS = 150;
/** Targets lie within this straight distance of the depot. */
const AREA_RADIUS_M = 15_000;
const WALK_KMH = 4;
const SERVED_WITHIN_M = 200;

export function benchOsm(dir: string, seed: number, filter?: string): void {
  console.log(
    `\nReal OpenStreetMap networks: ${TARGETS} targets 0–250 m off random walkable roads within ${AREA_RADIUS_M / 1000} km of the depot, 5 teams × 5 days of 8 h, against an independent shortest-path reference (node = OSM node id, plain Dijkstra)`,
  );
  for (const set of SETS) {
    if (filter && !set.name.toLowerCase().includes(filter.toLowerCase())) continue;
    const file = join(dir, set.file);
    if (!existsSync(file)) {
      console.log(`${set.name}: skipped, ${file} not found`);
      continue;
    }
    let t = performance.now();
    const ways = waysFromOsm(readFileSync(file), set.file);
    const readMs = performance.now() - t;
    t = performance.now();
    const net = buildNetwork({ ways });
    const buildMs = performance.now() - t;
    const ref = new ReferenceGraph(ways);
    console.log(
      `${set.name} (${set.file}): ${ways.length} highway ways read in ${readMs.toFixed(0)} ms, ${net.excluded} left out as unusable; network ${net.nodeCount} junctions, ${net.edges.length} roads in ${buildMs.toFixed(0)} ms; reference ${ref.pos.length} OSM nodes`,
    );
    const targets = makeTargets(ref, seed, set.depot);
    const flat = planAndCompare(set.name, net, ref, ways, targets, set.depot, seed);
    if (set.dem && existsSync(join(dir, set.dem))) {
      const elev = elevationFromHgt(readFileSync(join(dir, set.dem)), set.dem);
      const netDem = buildNetwork({ ways }, { elevation: elev });
      const refDem = new ReferenceGraph(ways, elev);
      console.log(`${set.name} with the SRTM DEM (${set.dem}): walks and foot paths follow Tobler's hiking function, tracks slow on slopes (≥ half speed)`);
      planAndCompare(`${set.name}+DEM`, netDem, refDem, ways, targets, set.depot, seed, elev);
      // The flat plan's own visiting order, timed with and without terrain by the reference.
      const a = referenceTimes(flat, ref, targets, set.depot);
      const b = referenceTimes(flat, refDem, targets, set.depot, elev);
      console.log(
        `  same visiting order as the flat plan, timed by the reference: total ${(a.total / 3600).toFixed(2)} h flat → ${(b.total / 3600).toFixed(2)} h with terrain (${pctS(b.total / a.total - 1)}); walking off the network ${(a.walk / 3600).toFixed(2)} h → ${(b.walk / 3600).toFixed(2)} h (${pctS(b.walk / a.walk - 1)})`,
      );
      const foot = footAndTrack(net, netDem);
      console.log(
        `  foot ways: ${(foot.foot[0] / 3600).toFixed(1)} h → ${(foot.foot[1] / 3600).toFixed(1)} h to walk each of them once in both directions (${pctS(foot.foot[1] / foot.foot[0] - 1)}); tracks ${(foot.track[0] / 3600).toFixed(1)} h → ${(foot.track[1] / 3600).toFixed(1)} h (${pctS(foot.track[1] / foot.track[0] - 1)})`,
      );
    }
  }
}

const pctS = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

/** Targets near random walkable roads of the reference's main part, 0–250 m off them, seeded. */
function makeTargets(ref: ReferenceGraph, seed: number, depot: LonLat): PlanTarget[] {
  const rng = createRng(seed);
  const ok = ref.segs.map((s, i) => (s.access && ref.sccOf[s.u] === ref.mainScc && ref.sccOf[s.v] === ref.mainScc ? i : -1)).filter((i) => i >= 0);
  const cum: number[] = [];
  let sum = 0;
  for (const i of ok) {
    sum += haversine(ref.pos[ref.segs[i].u], ref.pos[ref.segs[i].v]);
    cum.push(sum);
  }
  const out: PlanTarget[] = [];
  while (out.length < TARGETS) {
    const r = rng.next() * sum;
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cum[m] < r) lo = m + 1;
      else hi = m;
    }
    const s = ref.segs[ok[lo]];
    const f = rng.next();
    const a = ref.pos[s.u],
      b = ref.pos[s.v];
    const d = rng.next() * 250,
      ang = rng.next() * 2 * Math.PI;
    const kx = 111320 * Math.cos((a[1] * Math.PI) / 180),
      ky = 110574;
    const p: LonLat = [a[0] + f * (b[0] - a[0]) + (d * Math.cos(ang)) / kx, a[1] + f * (b[1] - a[1]) + (d * Math.sin(ang)) / ky];
    if (haversine(p, depot) > AREA_RADIUS_M) continue; // a team works the valleys around its station
    out.push({ id: `T${out.length + 1}`, lonLat: p, priority: 0.5 + Math.round(rng.next() * 50) / 100, serviceS: 600 });
  }
  return out;
}

function planAndCompare(
  label: string,
  net: ReturnType<typeof buildNetwork>,
  ref: ReferenceGraph,
  _ways: OsmWay[],
  targets: PlanTarget[],
  depot: LonLat,
  seed: number,
  elev?: ElevationAt,
): Plan {
  const t = performance.now();
  const plan = planRoutes(
    {
      targets,
      network: net,
      days: 5,
      travel: { walkKmh: WALK_KMH, ...(elev ? { elevation: elev } : {}) },
      teams: Array.from({ length: 5 }, (_, k) => ({ id: `team${k + 1}`, start: depot, shiftS: 8 * 3600 })),
    },
    { seed, timeLimitMs: 3000 },
  );
  const ms = performance.now() - t;
  const r = referenceTimes(plan, ref, targets, depot, elev);
  let track = 0,
    timed = 0;
  for (const route of plan.routes) {
    timed += route.distanceM;
    for (let k = 1; k < route.path.length; k++) track += haversine(route.path[k - 1], route.path[k]);
  }
  const planned = plan.routes.reduce((a, x) => a + x.travelS, 0);
  const served = new Set(plan.routes.flatMap((x) => x.stops.map((s) => s.targetId)));
  const depotSnap = ref.snap(depot, 2000)!;
  const roundTripH = (x: PlanTarget): string => {
    const s = ref.snap(x.lonLat, 2000)!;
    const there = referenceLegSeconds(ref, { p: depot, s: depotSnap }, { p: x.lonLat, s }, WALK_KMH, MAX_DIRECT_WALK_M, elev);
    const back = referenceLegSeconds(ref, { p: x.lonLat, s }, { p: depot, s: depotSnap }, WALK_KMH, MAX_DIRECT_WALK_M, elev);
    return `${((there + back + x.serviceS) / 3600).toFixed(1)} h`;
  };
  const report = (what: string, near: PlanTarget[]): string => {
    const missed = near.filter((x) => !served.has(x.id));
    const why = missed.map((x) => `${plan.unassigned.find((u) => u.targetId === x.id)?.reason ?? '?'} ${roundTripH(x)} round trip`);
    return `within ${SERVED_WITHIN_M} m of a connected ${what} ${near.length}, served ${near.length - missed.length}${missed.length ? ` (missed: ${why.join(', ')})` : ''}`;
  };
  console.log(`  ${label}: planned ${ms.toFixed(0)} ms; served ${served.size}/${targets.length}`);
  console.log(
    `    ${report(
      'road',
      targets.filter((x) => ref.snap(x.lonLat, SERVED_WITHIN_M, true)),
    )}`,
  );
  console.log(
    `    ${report(
      'road, track or path',
      targets.filter((x) => ref.snap(x.lonLat, SERVED_WITHIN_M)),
    )}`,
  );
  console.log(
    `    travel time planned ${(planned / 3600).toFixed(2)} h vs reference ${(r.total / 3600).toFixed(2)} h for the same order: ratio ${(planned / r.total).toFixed(4)} (floor 0.95–1.05); ${r.legs} legs, worst leg ${r.worstS.toFixed(0)} s off (${(100 * r.worstRel).toFixed(1)} %), ${r.direct} straight walks ≤ ${MAX_DIRECT_WALK_M} m`,
  );
  console.log(
    `    drawn track ${(track / 1000).toFixed(1)} km vs timed distance ${(timed / 1000).toFixed(1)} km (ratio ${(track / Math.max(1, timed)).toFixed(4)}); makespan ${(Math.max(...plan.routes.map((x) => x.durationS)) / 3600).toFixed(2)} h over ${plan.routes.length} team-days`,
  );
  return plan;
}

/** The reference's time for every leg of the plan, in the plan's own order. */
function referenceTimes(plan: Plan, ref: ReferenceGraph, targets: PlanTarget[], depot: LonLat, elev?: ElevationAt) {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const snaps = new Map<string, RefSnap>();
  const snapOf = (key: string, p: LonLat): RefSnap => {
    let s = snaps.get(key);
    if (!s) {
      s = ref.snap(p, 2000)!;
      snaps.set(key, s);
    }
    return s;
  };
  let total = 0,
    walk = 0,
    legs = 0,
    worstS = 0,
    worstRel = 0,
    direct = 0;
  for (const route of plan.routes) {
    const places: { key: string; p: LonLat; leave: number; arrive: number }[] = [
      { key: 'depot', p: depot, leave: route.departS, arrive: NaN },
      ...route.stops.map((s) => ({ key: s.targetId, p: byId.get(s.targetId)!.lonLat, leave: s.departureS, arrive: s.arrivalS })),
      { key: 'depot', p: depot, leave: NaN, arrive: route.returnS },
    ];
    for (let i = 0; i + 1 < places.length; i++) {
      const a = { p: places[i].p, s: snapOf(places[i].key, places[i].p) };
      const b = { p: places[i + 1].p, s: snapOf(places[i + 1].key, places[i + 1].p) };
      const t = referenceLegSeconds(ref, a, b, WALK_KMH, MAX_DIRECT_WALK_M, elev);
      const viaNet = referenceLegSeconds(ref, a, b, WALK_KMH, 0, elev);
      if (t < viaNet) {
        direct++;
        walk += t;
      } else walk += viaNet - ref.networkSeconds(a.s, b.s);
      const plannedLeg = places[i + 1].arrive - places[i].leave;
      if (Math.abs(plannedLeg - t) > worstS) worstS = Math.abs(plannedLeg - t);
      if (t > 60 && Math.abs(plannedLeg / t - 1) > worstRel) worstRel = Math.abs(plannedLeg / t - 1);
      total += t;
      legs++;
    }
  }
  return { total, walk, legs, worstS, worstRel, direct };
}

/** Time to travel every foot way and every track once each way, flat and with terrain. */
function footAndTrack(flat: ReturnType<typeof buildNetwork>, dem: ReturnType<typeof buildNetwork>) {
  const sum = (net: ReturnType<typeof buildNetwork>, pick: (hw: string) => boolean): number =>
    net.edges.reduce((a, e) => a + (pick(e.highway) ? e.timeS + e.timeBackS : 0), 0);
  const foot = (hw: string): boolean => ['path', 'footway', 'pedestrian', 'bridleway', 'steps'].includes(hw);
  return { foot: [sum(flat, foot), sum(dem, foot)], track: [sum(flat, (h) => h === 'track'), sum(dem, (h) => h === 'track')] };
}

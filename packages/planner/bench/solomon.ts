import type { VrpJob, VrpProblem, VrpVehicle } from '../src/vrp/vrp-problem';

/**
 * A Solomon VRPTW instance (`C101.txt` …) as a {@link VrpProblem}: Euclidean distance truncated to one
 * decimal per arc (the CVRPLIB optima's rule, see KNOWN.md), travel time = distance, the file's
 * service times and windows, its fleet size and capacity; objective total distance.
 */
export function solomonProblem(text: string): VrpProblem {
  const lines = text.split(/\r?\n/);
  const head = lines.findIndex((l) => /NUMBER\s+CAPACITY/i.test(l));
  const [fleet, capacity] = lines[head + 1].trim().split(/\s+/).map(Number);
  const rows = lines
    .slice(lines.findIndex((l) => /CUST\s+NO/i.test(l)) + 1)
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((r) => r.length >= 7 && r.every(Number.isFinite));
  const n = rows.length;
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.floor(10 * Math.hypot(rows[i][1] - rows[j][1], rows[i][2] - rows[j][2])) / 10;
  const jobs: VrpJob[] = rows.slice(1).map((r, i) => ({ node: i + 1, demand: r[3], earliestS: r[4], latestS: r[5], serviceS: r[6], penalty: 1e9, weight: 0 }));
  const v: VrpVehicle = { startNode: 0, endNode: 0, shiftStartS: rows[0][4], shiftEndS: rows[0][5], capacity, maxStops: Infinity };
  return { n, cost, jobs, vehicles: Array.from({ length: fleet }, () => v) };
}

/** The best known cost in a `.sol` file's last line (`Cost 827.3`). */
export function solomonBks(sol: string): number {
  return Number(/Cost:?\s*([\d.]+)/i.exec(sol)?.[1] ?? NaN);
}

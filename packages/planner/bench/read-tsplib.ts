/**
 * Readers for the public benchmark formats (TSPLIB `.tsp`, VRPLIB `.vrp`) and their distance rules
 * (see ../shared/bench/KNOWN.md): EUC_2D rounds each edge, ATT is pseudo-Euclidean, GEO is
 * degrees.minutes on TSPLIB's sphere. CVRP "EUC_2D" rounds per arc except CMT (real-valued).
 */
export interface BenchInstance {
  name: string;
  n: number;
  x: number[];
  y: number[];
  edgeType: string;
  capacity?: number;
  demand?: number[];
  depot?: number;
  /** Maximum route length (CMT "DISTANCE"), including service times. */
  maxDistance?: number;
  serviceTime?: number;
}

export function parseTsplib(name: string, text: string): BenchInstance {
  const lines = text.replace(/\r/g, '').split('\n');
  const head: Record<string, string> = {};
  const inst: BenchInstance = { name, n: 0, x: [], y: [], edgeType: 'EUC_2D' };
  let section = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line === 'EOF') continue;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (kv) {
      head[kv[1]] = kv[2].trim();
      continue;
    }
    if (/^[A-Z_]+$/.test(line)) {
      section = line;
      continue;
    }
    const f = line.split(/\s+/).map(Number);
    if (section === 'NODE_COORD_SECTION') {
      inst.x[f[0] - 1] = f[1];
      inst.y[f[0] - 1] = f[2];
    } else if (section === 'DEMAND_SECTION') {
      (inst.demand ??= [])[f[0] - 1] = f[1];
    } else if (section === 'DEPOT_SECTION' && f[0] > 0 && inst.depot === undefined) {
      inst.depot = f[0] - 1;
    }
  }
  inst.n = Number(head.DIMENSION);
  inst.edgeType = head.EDGE_WEIGHT_TYPE ?? 'EUC_2D';
  if (head.CAPACITY) inst.capacity = Number(head.CAPACITY);
  if (head.DISTANCE) inst.maxDistance = Number(head.DISTANCE);
  if (head.SERVICE_TIME) inst.serviceTime = Number(head.SERVICE_TIME);
  return inst;
}

/** Dense distance matrix under the instance's rule; `round` false gives real Euclidean (CMT). */
export function distanceMatrix(inst: BenchInstance, round = true): Float64Array {
  const { n, x, y } = inst;
  const m = new Float64Array(n * n);
  if (inst.edgeType === 'GEO') {
    const rad = (v: number): number => {
      const deg = Math.trunc(v);
      const min = v - deg;
      // TSPLIB95 defines GEO distances with PI = 3.141592, not Math.PI: the published optima use it.
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: TSPLIB's own constant
      return (3.141592 * (deg + (5 * min) / 3)) / 180;
    };
    const lat = x.map(rad);
    const lon = y.map(rad);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const q1 = Math.cos(lon[i] - lon[j]);
        const q2 = Math.cos(lat[i] - lat[j]);
        const q3 = Math.cos(lat[i] + lat[j]);
        const d = Math.trunc(6378.388 * Math.acos(0.5 * ((1 + q1) * q2 - (1 - q1) * q3)) + 1.0);
        m[i * n + j] = m[j * n + i] = d;
      }
    return m;
  }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dx = x[i] - x[j];
      const dy = y[i] - y[j];
      let d: number;
      if (inst.edgeType === 'ATT') {
        const r = Math.sqrt((dx * dx + dy * dy) / 10);
        const t = Math.round(r);
        d = t < r ? t + 1 : t;
      } else {
        d = Math.sqrt(dx * dx + dy * dy);
        if (round) d = Math.floor(d + 0.5);
      }
      m[i * n + j] = m[j * n + i] = d;
    }
  return m;
}

import { geodesicAreaM2, type LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';
import type { PlanTarget, StopInfo } from './plan-types';
import { type ServiceRule, serviceRule, serviceTimeS } from './service-time';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Reads targets from GeoJSON points or polygons (scan candidates with `id`, `score_max`,
 * `score_mean`, `area_m2`, `model`, `model_version`; targets may add `priority`, `service_s`,
 * `time_window` "HH:MM-HH:MM", `village` (or `zone_name`) and `look_for`, shown to the team at the stop).
 * Default priority = score × (1 + log10(1 + area_m2 / 100)) with score = score_max ?? score_mean ?? 0.5;
 * default service = {@link serviceTimeS} under `service` (parts not given: `SERVICE_TIME_DEFAULTS`, 10 min + 0.2 s per m²). Other properties are ignored.
 * @throws PlannerError TIANDI_E_PLAN_INPUT for malformed GeoJSON, TIANDI_E_NO_TARGETS when empty.
 */
export function targetsFromGeoJson(fc: unknown, service: Partial<ServiceRule> = {}): PlanTarget[] {
  const rule = serviceRule(service);
  const f0 = fc as { type?: unknown; features?: unknown };
  if (!f0 || f0.type !== 'FeatureCollection' || !Array.isArray(f0.features))
    throw new PlannerError('TIANDI_E_PLAN_INPUT', '目标文件应为 GeoJSON FeatureCollection targets must be a GeoJSON FeatureCollection of points or polygons');
  const out: PlanTarget[] = [];
  const ids = new Set<string>();
  f0.features.forEach((raw, i) => {
    const f = raw as { id?: unknown; geometry?: { type?: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };
    const p = f?.properties ?? {};
    const where = `feature ${i}`;
    const g = f?.geometry;
    let lonLat: LonLat;
    let outline: LonLat[] | undefined;
    let areaM2 = num(p.area_m2);
    if (g?.type === 'Point' && isLonLat(g.coordinates)) {
      lonLat = [g.coordinates[0], g.coordinates[1]];
    } else if ((g?.type === 'Polygon' || g?.type === 'MultiPolygon') && Array.isArray(g.coordinates)) {
      const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][];
      const ring = polys[0]?.[0];
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isLonLat))
        throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 多边形无效 polygon needs an outer ring of at least 4 [lon, lat] positions`, 'geometry');
      outline = polys.flatMap((poly) => poly[0] ?? []);
      lonLat = centroid(ring);
      areaM2 ??= geodesicAreaM2(g as never);
    } else {
      throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 需要点或多边形 geometry must be a Point or Polygon in [lon, lat]`, 'geometry');
    }
    const id = String(p.id ?? f.id ?? `t${i + 1}`);
    if (ids.has(id)) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 目标编号重复 duplicate target id '${id}'`, 'id');
    ids.add(id);
    const score = num(p.score_max) ?? num(p.score_mean) ?? 0.5;
    const area = areaM2 ?? 0;
    const priority = num(p.priority) ?? Math.round(1000 * Math.max(0.001, score * (1 + Math.log10(1 + area / 100)))) / 1000;
    if (priority <= 0) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 优先级须为正数 priority must be > 0`, 'priority');
    const serviceS = num(p.service_s) ?? serviceTimeS(area, rule);
    if (serviceS < 0) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 作业时间不能为负 service_s must be ≥ 0`, 'service_s');
    const t: PlanTarget = { id, lonLat, priority, serviceS };
    if (outline) t.outline = outline;
    if (areaM2 !== undefined) t.areaM2 = Math.round(areaM2 * 10) / 10;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const village = str(p.village) ?? str(p.zone_name) ?? str(p.zone);
    const model = [str(p.model), str(p.model_version)].filter(Boolean).join(' ') || undefined;
    const info: Partial<StopInfo> = {
      ...(village ? { village } : {}),
      ...(model ? { model } : {}),
      ...((num(p.score_max) ?? num(p.score_mean)) !== undefined ? { score: num(p.score_max) ?? num(p.score_mean) } : {}),
      ...(str(p.look_for) ? { lookFor: str(p.look_for) } : {}),
    };
    if (Object.keys(info).length) t.info = info;
    if (p.time_window !== undefined) {
      const m = typeof p.time_window === 'string' ? /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(p.time_window) : null;
      if (!m) throw new PlannerError('TIANDI_E_PLAN_INPUT', `${where}: 时间窗格式应为 "HH:MM-HH:MM" time_window must look like "09:00-17:30"`, 'time_window');
      t.earliestS = Number(m[1]) * 3600 + Number(m[2]) * 60;
      t.latestS = Number(m[3]) * 3600 + Number(m[4]) * 60;
    }
    out.push(t);
  });
  if (out.length === 0) throw new PlannerError('TIANDI_E_NO_TARGETS', '目标文件中没有目标 the targets file has no features');
  return out;
}

function isLonLat(p: unknown): p is LonLat {
  return (
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90
  );
}

/** Area centroid of a ring in a local plane (falls back to the vertex mean for degenerate rings). */
function centroid(ring: LonLat[]): LonLat {
  const [ox, oy] = ring[0];
  let a = 0,
    cx = 0,
    cy = 0;
  const k = Math.cos((oy * Math.PI) / 180);
  for (let i = 0; i + 1 < ring.length; i++) {
    const x0 = (ring[i][0] - ox) * k,
      y0 = ring[i][1] - oy;
    const x1 = (ring[i + 1][0] - ox) * k,
      y1 = ring[i + 1][1] - oy;
    const c = x0 * y1 - x1 * y0;
    a += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  if (Math.abs(a) < 1e-18) {
    const m = ring.slice(0, -1);
    return [m.reduce((s, p) => s + p[0], 0) / m.length, m.reduce((s, p) => s + p[1], 0) / m.length];
  }
  return [ox + cx / (3 * a) / k, oy + cy / (3 * a)];
}

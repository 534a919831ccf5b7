import { readZones, zoneCoverage } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { parseInput } from '../validate';
import { featureCollection } from '../workspace/geojson';
import { workspaceOf } from '../workspace/workspace-service';

const ALL: Role[] = ['operator', 'planner', 'manager', 'field', 'admin'];
const CoverageQuery = z.strictObject({ season: z.string().min(1).max(100).optional() });
const ZoneParams = z.strictObject({ id: z.string().min(1).max(200) });

/**
 * Zones: GET /api/zones (GeoJSON; properties zone_id, name, name_pinyin, level, parent_id, area_m2) and
 * GET /api/zones/:id/coverage[?season=] (share covered, and the gaps as a GeoJSON geometry).
 */
const zones: RouteModule = {
  name: 'zones',
  register(app, ctx) {
    app.get('/api/zones', { config: { roles: ALL } }, async () =>
      featureCollection(
        readZones(workspaceOf(ctx)).map((zr) => ({
          type: 'Feature' as const,
          id: zr.zoneId,
          geometry: zr.geometry,
          properties: { zone_id: zr.zoneId, name: zr.name, name_pinyin: zr.namePinyin ?? null, level: zr.level, parent_id: zr.parentId, area_m2: zr.areaM2 },
        })),
      ),
    );
    app.get('/api/zones/gaps', { config: { roles: ALL } }, async (req) => {
      const { season } = parseInput(CoverageQuery, req.query, 'query');
      const ws = workspaceOf(ctx);
      const all = readZones(ws);
      // The finest level present (villages, else townships, else counties): where certification happens.
      const level = (['village', 'township', 'county'] as const).find((l) => all.some((zr) => zr.level === l));
      const features = [];
      for (const zr of all.filter((x) => x.level === level)) {
        let coverage;
        try {
          coverage = zoneCoverage(ws, zr.zoneId, season).coverage;
        } catch {
          return featureCollection([]); // no season yet: nothing to measure against
        }
        if (coverage.gaps)
          features.push({
            type: 'Feature' as const,
            id: zr.zoneId,
            geometry: coverage.gaps,
            properties: { zone_id: zr.zoneId, name: zr.name, share: coverage.share, gap_area_m2: coverage.gapAreaM2 },
          });
      }
      return featureCollection(features);
    });
    app.get('/api/zones/:id/coverage', { config: { roles: ALL } }, async (req) => {
      const { id } = parseInput(ZoneParams, req.params, 'params');
      const { season } = parseInput(CoverageQuery, req.query, 'query');
      const { zone, season: s, coverage } = zoneCoverage(workspaceOf(ctx), id, season);
      return { zoneId: zone.zoneId, seasonId: (s as { id?: string }).id ?? null, coverage };
    });
  },
};
export default zones;

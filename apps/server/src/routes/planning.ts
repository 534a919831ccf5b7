import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { ServerError } from '../errors';
import { parseInput } from '../validate';

const READ: Role[] = ['planner', 'operator', 'manager', 'field', 'admin'];
const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const RoadsBody = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), geometry: z.object({ type: z.enum(['LineString', 'MultiLineString']) }).loose(), properties: z.record(z.string(), z.unknown()).nullable().optional() }).loose()).min(1).max(200_000),
}).loose();
const DepotBody = z.strictObject({ depot: LonLat, name: z.string().max(100).optional() });

/** Files in the data folder the planner reads: the road network and the default depot. */
export const PLANNING_FILES = { roads: 'roads.geojson', depot: 'depot.geojson' } as const;

/**
 * What the planner needs besides targets: GET /api/planning/context → `{ roads, depot }` (roads as
 * GeoJSON LineStrings, depot as [lon, lat], either null when not set); PUT /api/planning/roads and
 * PUT /api/planning/depot set them.
 */
const planning: RouteModule = {
  name: 'planning',
  register(app, ctx) {
    const file = (name: string) => path.join(ctx.options.dataDir, name);
    app.get('/api/planning/context', { config: { roles: READ } }, async () => {
      const roads = fs.existsSync(file(PLANNING_FILES.roads)) ? JSON.parse(fs.readFileSync(file(PLANNING_FILES.roads), 'utf8')) : null;
      let depot: [number, number] | null = null;
      let depotName: string | null = null;
      if (fs.existsSync(file(PLANNING_FILES.depot))) {
        const d = JSON.parse(fs.readFileSync(file(PLANNING_FILES.depot), 'utf8'));
        const f = d.type === 'FeatureCollection' ? d.features[0] : d;
        depot = f?.geometry?.coordinates ?? null;
        depotName = f?.properties?.name ?? null;
      }
      return { roads, depot, depotName };
    });
    app.put('/api/planning/roads', { config: { roles: ['planner', 'admin'] }, bodyLimit: 256 * 1024 * 1024 }, async (req) => {
      const body = parseInput(RoadsBody, req.body);
      fs.writeFileSync(file(PLANNING_FILES.roads), JSON.stringify(body));
      return { roads: body.features.length };
    });
    app.put('/api/planning/depot', { config: { roles: ['planner', 'admin'] } }, async (req) => {
      const body = parseInput(DepotBody, req.body);
      if (!body) throw new ServerError('TIANDI_E_VALIDATION', 'depot', { field: 'depot' });
      fs.writeFileSync(file(PLANNING_FILES.depot), JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: body.depot }, properties: { name: body.name ?? null } }));
      return { depot: body.depot };
    });
  },
};
export default planning;

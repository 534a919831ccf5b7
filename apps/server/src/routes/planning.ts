import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { ServerError } from '../errors';
import { CachedFile } from '../planning/cached-file';
import { validateRoads } from '../planning/validate-roads';
import { parseInput } from '../validate';
import { readSeason } from '@tiandi/store';
import { workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['planner', 'operator', 'manager', 'field', 'admin'];
const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const DepotBody = z.strictObject({ depot: LonLat, name: z.string().max(100).optional() });

/** Default largest road network accepted by PUT /api/planning/roads (a county's roads as GeoJSON fit well within). */
export const MAX_ROADS_BYTES = 64 * 1024 * 1024;

/** Files in the data folder the planner reads: the road network and the default depot. */
export const PLANNING_FILES = { roads: 'roads.geojson', depot: 'depot.geojson' } as const;

/**
 * What the planner needs besides targets: GET /api/planning/context → `{ roads, depot, depotName, reviewThreshold }`
 * (roads as GeoJSON LineStrings, depot as [lon, lat], the season policy's review threshold; each null when not set); PUT /api/planning/roads (at most
 * `maxRoadsBytes`, every geometry checked, 400 naming the first bad one) and PUT /api/planning/depot set them.
 */
const planning: RouteModule = {
  name: 'planning',
  register(app, ctx) {
    const file = (name: string) => path.join(ctx.options.dataDir, name);
    const roadsFile = new CachedFile(file(PLANNING_FILES.roads));
    app.get('/api/planning/context', { config: { roles: READ } }, async (_req, reply) => {
      // The road network is sent as the bytes stored (validated when saved), never re-parsed per request.
      const roads = await roadsFile.read();
      let depot: [number, number] | null = null;
      let depotName: string | null = null;
      if (fs.existsSync(file(PLANNING_FILES.depot))) {
        const d = JSON.parse(fs.readFileSync(file(PLANNING_FILES.depot), 'utf8'));
        const f = d.type === 'FeatureCollection' ? d.features[0] : d;
        depot = f?.geometry?.coordinates ?? null;
        depotName = f?.properties?.name ?? null;
      }
      // The season policy's review threshold: every target scoring at least this must be visited, so it is the planner's default minimum score.
      let reviewThreshold: number | null = null;
      try {
        reviewThreshold = readSeason(workspaceOf(ctx)).policy.reviewThreshold;
      } catch {
        reviewThreshold = null;
      }
      const tail = Buffer.from(`,"depot":${JSON.stringify(depot)},"depotName":${JSON.stringify(depotName)},"reviewThreshold":${JSON.stringify(reviewThreshold)}}`);
      return reply.type('application/json; charset=utf-8').send(Buffer.concat([Buffer.from('{"roads":'), roads ?? Buffer.from('null'), tail]));
    });
    const maxRoadsBytes = ctx.options.maxRoadsBytes ?? MAX_ROADS_BYTES;
    app.put('/api/planning/roads', { config: { roles: ['planner', 'admin'] }, bodyLimit: maxRoadsBytes }, async (req) => {
      const { features, vertices } = validateRoads(req.body);
      const target = file(PLANNING_FILES.roads);
      const tmp = `${target}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, JSON.stringify(req.body));
      await fs.promises.rename(tmp, target);
      return { roads: features, vertices };
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

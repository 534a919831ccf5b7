import { DepotBody } from '@tiandi/api';
import type { RouteModule, Role } from '../context';
import { ServerError } from '../errors';
import { hasLegacyPlanningFiles, migratePlanningFiles } from '../planning/migrate-planning-files';
import { importOsmRoads } from '../planning/import-osm-roads';
import { validateRoads } from '../planning/validate-roads';
import { RoadsBytes, roadWaysFromGeoJson } from '../planning/workspace-roads';
import { parseInput } from '../validate';
import { readDepot, readSeason, setDepot, setRoads } from '@tiandi/store';
import { actorOf, workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['planner', 'operator', 'manager', 'field', 'admin'];

/** Content types of an OpenStreetMap extract (.osm.pbf, .osm, .osm.gz); the bytes, not the type, say which. */
const OSM_TYPES = [
  'application/octet-stream',
  'application/x-protobuf',
  'application/vnd.openstreetmap.data+xml',
  'application/xml',
  'text/xml',
  'application/gzip',
  'application/x-gzip',
];

/** How much a gzipped extract may inflate, relative to the body limit (OSM XML compresses about tenfold). */
const INFLATE_FACTOR = 12;

/** Default largest road network accepted by PUT /api/planning/roads (a county's roads as GeoJSON fit well within). */
export const MAX_ROADS_BYTES = 64 * 1024 * 1024;

/**
 * What the planner needs besides targets: GET /api/planning/context → `{ roads, depot, depotName, depotNamePinyin, reviewThreshold }`
 * (roads as GeoJSON LineStrings, depot as [lon, lat], the season policy's review threshold; each null when not set); PUT /api/planning/roads (at most
 * `maxRoadsBytes`: GeoJSON with every geometry checked, 400 naming the first bad one, or an OSM extract read off the event loop) and PUT /api/planning/depot set them,
 * in the workspace's `roads` and `depots` layers (audited), where `tiandi plan --workspace` reads them too.
 * An older server's roads.geojson / depot.geojson in the data folder are moved there on start.
 */
const planning: RouteModule = {
  name: 'planning',
  register(app, ctx) {
    if (hasLegacyPlanningFiles(ctx.options.dataDir)) {
      for (const m of migratePlanningFiles(ctx.options.dataDir, workspaceOf(ctx)).messages) app.log.warn(m);
    }
    const roadsBytes = new RoadsBytes();
    app.get('/api/planning/context', { config: { roles: READ } }, async (_req, reply) => {
      const ws = workspaceOf(ctx);
      // The road network is sent as bytes serialised once per stored network, never re-read per request.
      const roads = roadsBytes.read(ws);
      const d = readDepot(ws);
      const depot = d?.lonLat ?? null;
      const depotName = d?.name ?? null;
      const depotNamePinyin = d?.namePinyin ?? null;
      // The season policy's review threshold: every target scoring at least this must be visited, so it is the planner's default minimum score.
      let reviewThreshold: number | null = null;
      try {
        reviewThreshold = readSeason(ws).policy.reviewThreshold;
      } catch {
        reviewThreshold = null;
      }
      const tail = Buffer.from(
        `,"depot":${JSON.stringify(depot)},"depotName":${JSON.stringify(depotName)},"depotNamePinyin":${JSON.stringify(depotNamePinyin)},"reviewThreshold":${JSON.stringify(reviewThreshold)}}`,
      );
      return reply.type('application/json; charset=utf-8').send(Buffer.concat([Buffer.from('{"roads":'), roads ?? Buffer.from('null'), tail]));
    });
    const maxRoadsBytes = ctx.options.maxRoadsBytes ?? MAX_ROADS_BYTES;
    // One route for both kinds of body: GeoJSON (parsed by fastify) or an OSM extract (bytes, read in a worker).
    // The byte parser lives in this scope only, so no other route starts accepting such bodies.
    app.register(async (scope) => {
      scope.addContentTypeParser(OSM_TYPES, { parseAs: 'buffer', bodyLimit: maxRoadsBytes }, (_req, body, done) => done(null, body));
      scope.put('/api/planning/roads', { config: { roles: ['planner', 'admin'] }, bodyLimit: maxRoadsBytes }, async (req) => {
        if (Buffer.isBuffer(req.body)) {
          workspaceOf(ctx); // created before the worker opens it
          const source = 'PUT /api/planning/roads (OSM)';
          return importOsmRoads(req.body, {
            workspacePath: ctx.options.workspacePath,
            actor: actorOf(req.account),
            source,
            name: 'OSM',
            maxInflatedBytes: maxRoadsBytes * INFLATE_FACTOR,
          });
        }
        const { features, vertices } = validateRoads(req.body);
        setRoads(workspaceOf(ctx), roadWaysFromGeoJson(req.body), 'PUT /api/planning/roads', actorOf(req.account));
        return { roads: features, vertices };
      });
    });
    app.put('/api/planning/depot', { config: { roles: ['planner', 'admin'] } }, async (req) => {
      const body = parseInput(DepotBody, req.body);
      if (!body) throw new ServerError('TIANDI_E_VALIDATION', 'depot', { field: 'depot' });
      setDepot(workspaceOf(ctx), { id: 'depot', name: body.name ?? null, lonLat: body.depot }, actorOf(req.account));
      return { depot: body.depot };
    });
  },
};
export default planning;

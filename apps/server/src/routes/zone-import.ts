import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { importZones, previewBoundary, readBoundaryFile, StoreError, zoneCollection } from '@tiandi/store';
import { MAX_ZONE_IMPORT_BYTES, ZoneImportBody, type ZoneImportAnswer } from '@tiandi/api';
import type { Role, RouteModule } from '../context';
import { ServerError } from '../errors';
import { parseInput } from '../validate';
import { actorOf, workspaceOf } from '../workspace/workspace-service';

const IMPORTERS: Role[] = ['manager', 'admin'];
const MAX_BODY_BYTES = MAX_ZONE_IMPORT_BYTES;
/** Which uploaded file is the one to read, best first (a shapefile's .dbf/.prj/.cpg/.shx travel beside its .shp). */
const MAIN_EXTS = ['.shp', '.gpkg', '.kmz', '.kml', '.geojson', '.json'];

/**
 * Zone boundaries from the manager's browser (issue 18): POST /api/manager/zones/import with the file(s) of one
 * boundary layer (a Shapefile's .shp/.dbf/.prj/.cpg/.shx, a KML, KMZ, GeoPackage or GeoJSON) as base64, and the
 * same options as `tiandi zones import`. `preview: true` answers the fields, samples and suggested id/name fields
 * and stores nothing; otherwise the zones are imported in one audited transaction.
 */
const zoneImport: RouteModule = {
  name: 'zone-import',
  register(app, ctx) {
    app.post('/api/manager/zones/import', { config: { roles: IMPORTERS }, bodyLimit: MAX_BODY_BYTES }, async (req): Promise<ZoneImportAnswer> => {
      const body = parseInput(ZoneImportBody, req.body, 'body');
      const main = MAIN_EXTS.map((e) => body.files.find((f) => extname(f.name).toLowerCase() === e)).find(Boolean);
      if (!main) throw new ServerError('TIANDI_E_VALIDATION', `没有边界文件 none of the files is a .shp, .gpkg, .kmz, .kml or .geojson`, { field: 'files' });
      const dir = await mkdtemp(join(tmpdir(), 'tiandi-zones-'));
      try {
        for (const f of body.files) await writeFile(join(dir, f.name), Buffer.from(f.base64, 'base64'));
        const file = join(dir, main.name);
        const boundary = await readBoundaryFile(file, { crs: body.crs, layer: body.layer, encoding: body.encoding });
        if (body.preview) return { preview: previewBoundary(boundary) };
        const collection = zoneCollection(boundary, { idField: body.idField, nameField: body.nameField }, main.name);
        const result = importZones(workspaceOf(ctx), collection, { level: body.level, source: main.name }, actorOf(req.account));
        return { result, leftOut: collection.left_out, crs: boundary.crs, ...(boundary.note ? { note: boundary.note } : {}) };
      } catch (err) {
        if (err instanceof StoreError) throw new ServerError('TIANDI_E_VALIDATION', err.message.replaceAll(dir + '/', ''), { field: 'files' });
        throw err;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
};
export default zoneImport;

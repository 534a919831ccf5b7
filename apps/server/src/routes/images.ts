import { imageRecords, readFootprints } from '@tiandi/store';
import type { RouteModule, Role } from '../context';
import { featureCollection } from '../workspace/geojson';
import { workspaceOf } from '../workspace/workspace-service';

const ALL: Role[] = ['operator', 'planner', 'manager', 'field', 'admin'];

/** Images: GET /api/images — every orthophoto's valid-data footprint (GeoJSON) with GSD and date. */
const images: RouteModule = {
  name: 'images',
  register(app, ctx) {
    app.get('/api/images', { config: { roles: ALL } }, async () => {
      const ws = workspaceOf(ctx);
      const meta = imageRecords(ws);
      return featureCollection(
        readFootprints(ws).map((f) => {
          const m = meta.get(f.imageId);
          return {
            type: 'Feature' as const,
            id: f.imageId,
            geometry: f.geometry,
            properties: {
              image_id: f.imageId,
              gsd_m: f.gsdM,
              acquired: f.acquired || null,
              sha256: f.sha256,
              crs: m?.crs ?? null,
              width: m?.width ?? null,
              height: m?.height ?? null,
              imported_at: m?.importedAt ?? null,
            },
          };
        }),
      );
    });
  },
};
export default images;

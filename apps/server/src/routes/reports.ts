import { fromGpkgBlob } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { parseInput } from '../validate';
import { featureCollection } from '../workspace/geojson';
import { workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['operator', 'planner', 'manager', 'admin'];
const Query = z.strictObject({ target: z.string().min(1).max(300).optional() });

interface ReportRow {
  geom: Buffer; report_id: string; target_id: string | null; match: string; verdict: string; what: string | null; accuracy_m: number;
  observed_at: string; team: string | null; plant_count: number | null; area_m2: number | null; photos_json: string; notes: string | null;
}

/** Ground reports (read-only here; field submission lives in the field module): GET /api/reports[?target=] as GeoJSON points. */
const reports: RouteModule = {
  name: 'reports',
  register(app, ctx) {
    app.get('/api/reports', { config: { roles: READ } }, async (req) => {
      const q = parseInput(Query, req.query, 'query');
      const ws = workspaceOf(ctx);
      const rows = (q.target
        ? ws.db.prepare('SELECT * FROM reports WHERE target_id = ? ORDER BY observed_at, report_id').all(q.target)
        : ws.db.prepare('SELECT * FROM reports ORDER BY observed_at, report_id').all()) as ReportRow[];
      return featureCollection(
        rows.map((r) => ({
          type: 'Feature' as const,
          id: r.report_id,
          geometry: fromGpkgBlob(r.geom),
          properties: {
            report_id: r.report_id, target_id: r.target_id, match: r.match, verdict: r.verdict, what: r.what, accuracy_m: r.accuracy_m,
            observed_at: r.observed_at, team: r.team, plant_count: r.plant_count, area_m2: r.area_m2, photos: JSON.parse(r.photos_json), notes: r.notes,
          },
        })),
      );
    });
  },
};
export default reports;

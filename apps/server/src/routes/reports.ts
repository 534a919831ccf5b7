import { listReports } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { parseInput } from '../validate';
import { featureCollection } from '../workspace/geojson';
import { workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['operator', 'planner', 'manager', 'admin'];
const Query = z.strictObject({ target: z.string().min(1).max(300).optional() });

/** Ground reports (read-only here; field submission lives in the field module): GET /api/reports[?target=] as GeoJSON points. */
const reports: RouteModule = {
  name: 'reports',
  register(app, ctx) {
    app.get('/api/reports', { config: { roles: READ } }, async (req) => {
      const q = parseInput(Query, req.query, 'query');
      const rows = listReports(workspaceOf(ctx), q.target ? { targetId: q.target } : {});
      return featureCollection(
        rows.map((r) => ({
          type: 'Feature' as const,
          id: r.reportId,
          geometry: r.geometry,
          properties: {
            report_id: r.reportId,
            target_id: r.targetId,
            match: r.match,
            verdict: r.verdict,
            what: r.what,
            accuracy_m: r.accuracyM,
            observed_at: r.observedAt,
            team: r.team,
            plant_count: r.plantCount,
            area_m2: r.areaM2,
            photos: r.photos,
            notes: r.notes,
          },
        })),
      );
    });
  },
};
export default reports;

import type { RouteModule, Role } from '../context';
import { workspaceOf } from '../workspace/workspace-service';

const ALL: Role[] = ['operator', 'planner', 'manager', 'admin'];

/** Scans in the workspace: GET /api/scans — scan id, image, model, candidate count, summary. */
const scans: RouteModule = {
  name: 'scans',
  register(app, ctx) {
    app.get('/api/scans', { config: { roles: ALL } }, async () => {
      const rows = workspaceOf(ctx).db.prepare('SELECT scan_id, image_id, model, model_version, candidate_count, summary_json, imported_at FROM scans ORDER BY imported_at, scan_id').all() as {
        scan_id: string; image_id: string; model: string | null; model_version: string | null; candidate_count: number; summary_json: string | null; imported_at: string;
      }[];
      return {
        scans: rows.map((r) => ({
          scanId: r.scan_id,
          imageId: r.image_id,
          model: r.model,
          modelVersion: r.model_version,
          candidates: r.candidate_count,
          summary: r.summary_json ? JSON.parse(r.summary_json) : null,
          importedAt: r.imported_at,
        })),
      };
    });
  },
};
export default scans;

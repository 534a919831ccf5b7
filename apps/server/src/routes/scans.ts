import { listScans } from '@tiandi/store';
import type { RouteModule, Role } from '../context';
import { workspaceOf } from '../workspace/workspace-service';

const ALL: Role[] = ['operator', 'planner', 'manager', 'admin'];

/** Scans in the workspace: GET /api/scans — scan id, image, model, candidate count, summary. */
const scans: RouteModule = {
  name: 'scans',
  register(app, ctx) {
    app.get('/api/scans', { config: { roles: ALL } }, async () => ({ scans: listScans(workspaceOf(ctx)) }));
  },
};
export default scans;

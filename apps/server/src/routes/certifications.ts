import { listCertificates } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { parseInput } from '../validate';
import { workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['operator', 'planner', 'manager', 'admin'];
const Query = z.strictObject({ zone: z.string().min(1).max(200).optional(), season: z.string().min(1).max(100).optional() });

/** Certificates (read-only here; issuing and revoking live in the manager module): GET /api/certifications[?zone=&season=]. */
const certifications: RouteModule = {
  name: 'certifications',
  register(app, ctx) {
    app.get('/api/certifications', { config: { roles: READ } }, async (req) => {
      const q = parseInput(Query, req.query, 'query');
      return { certificates: listCertificates(workspaceOf(ctx), { zoneId: q.zone, seasonId: q.season }) };
    });
  },
};
export default certifications;

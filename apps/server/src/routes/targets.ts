import { TargetDecisionBody } from '@tiandi/api';
import { TARGET_STATUSES, type TargetStatus } from '@tiandi/geo';
import { dismissTargetAtDesk, listTargets, readAuditLog, readTarget, readZones, setTargetStatus, undoDeskDismissal } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { parseInput } from '../validate';
import { featureCollection, targetFeature } from '../workspace/geojson';
import { actorOf, workspaceOf } from '../workspace/workspace-service';
import { labelPoint, zoneLookup } from '../workspace/zone-lookup';

const READ: Role[] = ['operator', 'planner', 'manager', 'admin'];

const ListQuery = z.strictObject({
  zone: z.string().min(1).max(200).optional(),
  status: z.enum(TARGET_STATUSES as [TargetStatus, ...TargetStatus[]]).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  review: z.enum(['true', 'false']).optional(),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(300) });

/**
 * What an operator's decision on a target does: `dismiss` is a desk dismissal (dismissed_desk, never a ground
 * inspection); `promote` confirms it from the imagery; `restore` undoes either, back to detected.
 */
export const DECISIONS = {
  dismiss: 'dismissed_desk',
  promote: 'confirmed',
  restore: 'detected',
} as const satisfies Record<string, TargetStatus>;

/**
 * Targets: GET /api/targets[?zone=&status=&minScore=&review=] (GeoJSON with status, score, area,
 * zone), GET /api/targets/:id (feature + its audit history), POST /api/targets/:id/decision
 * `{ decision: dismiss|promote|restore, reason }` (audited with the account's name).
 */
const targets: RouteModule = {
  name: 'targets',
  register(app, ctx) {
    const zoneOfTarget = () => {
      const lookup = zoneLookup(readZones(workspaceOf(ctx)));
      return (t: { geometry: Parameters<typeof labelPoint>[0] }) => lookup(labelPoint(t.geometry));
    };

    app.get('/api/targets', { config: { roles: READ } }, async (req) => {
      const q = parseInput(ListQuery, req.query, 'query');
      const ws = workspaceOf(ctx);
      const list = listTargets(ws, { zoneId: q.zone, status: q.status, review: q.review === undefined ? undefined : q.review === 'true' }).filter(
        (t) => q.minScore === undefined || t.scoreMax >= q.minScore,
      );
      const zoneOf = zoneOfTarget();
      return featureCollection(list.map((t) => targetFeature(t, zoneOf)));
    });

    app.get('/api/targets/:id', { config: { roles: READ } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const ws = workspaceOf(ctx);
      const t = readTarget(ws, id);
      const history = readAuditLog(ws)
        .filter((e) => e.subject === id)
        .map((e) => ({ at: e.at, actor: e.actor, action: e.action, payload: e.payload }));
      return { ...targetFeature(t, zoneOfTarget()), history };
    });

    app.post('/api/targets/:id/decision', { config: { roles: ['operator', 'manager', 'admin'] } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const body = parseInput(TargetDecisionBody, req.body);
      const ws = workspaceOf(ctx);
      const actor = actorOf(req.account);
      const reason = `${body.decision}: ${body.reason}`;
      // A decision that changes nothing (restore on a pending target, promote a confirmed one) writes no history.
      const before = readTarget(ws, id);
      if (before.status === DECISIONS[body.decision] && before.review === null) return targetFeature(before, zoneOfTarget());
      const t =
        body.decision === 'dismiss'
          ? dismissTargetAtDesk(ws, { targetId: id, reason: body.reason }, actor)
          : body.decision === 'restore' && before.status === 'dismissed_desk'
            ? undoDeskDismissal(ws, { targetId: id, reason }, actor)
            : setTargetStatus(ws, { targetId: id, status: DECISIONS[body.decision], reason }, actor);
      return targetFeature(t, zoneOfTarget());
    });
  },
};
export default targets;

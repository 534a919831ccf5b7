import { importPlan, listPlanTeams, planningMinScore, planningTargets, readDepot, readPlanStops, readRoads, readTarget } from '@tiandi/store';
import { computePlan, PlanFailed } from '../planning/compute-plan';
import { PlanBody, PlanComputeBody } from '@tiandi/api';
import { z } from 'zod';
import type { RouteModule, Role } from '../context';
import { ServerError } from '../errors';
import { parseInput } from '../validate';
import { actorOf, workspaceOf } from '../workspace/workspace-service';

const READ: Role[] = ['operator', 'planner', 'manager', 'admin'];
const IdParams = z.strictObject({ id: z.string().min(1).max(80) });

/**
 * Plans: GET /api/plans (summaries), GET /api/plans/:id (teams with ordered stops), and
 * POST /api/plans — record a plan computed in the browser (or by `tiandi plan`): its routes and
 * stops go into the workspace and its targets become `planned` (audited).
 */
const plans: RouteModule = {
  name: 'plans',
  register(app, ctx) {
    app.get('/api/plans', { config: { roles: READ } }, async () => {
      const byId = new Map<
        string,
        { planId: string; createdAt: string; teams: { team: string; stops: number; durationS: number | null; distanceM: number | null }[] }
      >();
      for (const r of listPlanTeams(workspaceOf(ctx))) {
        const p = byId.get(r.planId) ?? { planId: r.planId, createdAt: r.createdAt, teams: [] };
        p.teams.push({ team: r.team, stops: r.stopCount, durationS: r.durationS, distanceM: r.distanceM });
        byId.set(r.planId, p);
      }
      return { plans: [...byId.values()] };
    });

    app.get('/api/plans/:id', { config: { roles: [...READ, 'field'] } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const ws = workspaceOf(ctx);
      const rows = listPlanTeams(ws, id);
      if (rows.length === 0) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此计划 no plan '${id}'`, { field: 'id' });
      const stops = readPlanStops(ws, id);
      const teams = rows
        .filter((r) => req.account?.role !== 'field' || r.team === req.account.team)
        .map((r) => ({
          team: r.team,
          durationS: r.durationS,
          distanceM: r.distanceM,
          stops: stops.filter((s) => s.team === r.team).map((s) => ({ seq: s.seq, targetId: s.targetId, arriveS: s.arriveS, position: s.lonLat })),
        }));
      return { planId: id, createdAt: rows[0].createdAt, teams };
    });

    app.post('/api/plans/compute', { config: { roles: ['planner', 'admin'] } }, async (req) => {
      const body = parseInput(PlanComputeBody, req.body);
      const ws = workspaceOf(ctx);
      const { fc } = planningTargets(ws, { minScore: body.minScore ?? planningMinScore(ws).minScore, zoneId: body.zone, targetIds: body.targetIds });
      if (fc.features.length === 0)
        throw new ServerError('TIANDI_E_VALIDATION', '没有符合条件的目标 no targets match', { field: body.targetIds ? 'targetIds' : 'minScore' });
      const stored = readRoads(ws);
      const depot = body.depot ?? readDepot(ws)?.lonLat;
      if (!depot) throw new ServerError('TIANDI_E_VALIDATION', '请提供出发点 depot [lon, lat] is required (none saved)', { field: 'depot' });
      try {
        const plan = await computePlan({
          targets: fc,
          ways: stored.length ? stored : null,
          depot,
          teams: body.teams,
          shiftS: Math.round(body.shiftH * 3600),
          service: { baseS: Math.round(body.serviceMin * 60), perM2S: body.serviceSPerM2 },
          timeLimitMs: Math.round(body.timeLimitS * 1000),
          seed: body.seed,
          date: body.date ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        });
        return { plan };
      } catch (err) {
        if (err instanceof PlanFailed)
          throw new ServerError('TIANDI_E_VALIDATION', err.message, { field: err.code === 'TIANDI_E_ROADS' ? 'roads' : 'targets' });
        throw err;
      }
    });

    app.post('/api/plans', { config: { roles: ['planner', 'admin'] } }, async (req) => {
      const body = parseInput(PlanBody, req.body);
      const ws = workspaceOf(ctx);
      body.teams.forEach((t, i) =>
        t.stops.forEach((s, j) => {
          if (!s.targetId) return;
          try {
            readTarget(ws, s.targetId);
          } catch {
            throw new ServerError('TIANDI_E_VALIDATION', `没有此目标 unknown target '${s.targetId}'`, { field: `teams.${i}.stops.${j}.targetId` });
          }
        }),
      );
      const res = importPlan(ws, body, actorOf(req.account));
      return { planId: body.planId, stops: res.stops, planned: res.planned };
    });
  },
};
export default plans;

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { sha256Hex, type LonLat } from '@tiandi/geo';
import { z } from 'zod';
import { StoreError } from './errors';
import { importPlan, type PlanInput } from './import-plan';
import { dbOf, type Workspace } from './workspace';

const LonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** The part of `tiandi plan`'s plan.json (version 1) the workspace records; other keys are kept out, not refused. */
const PlanJsonSchema = z.object({
  version: z.literal(1),
  date: z.string().nullish(),
  routes: z
    .array(
      z.object({
        teamId: z.string().min(1).max(80),
        day: z.number().int().min(0).default(0),
        durationS: z.number().min(0).nullish(),
        distanceM: z.number().min(0).nullish(),
        path: z.array(LonLatSchema).default([]),
        stops: z.array(z.object({ targetId: z.string().min(1).max(300).nullable(), lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), arrivalS: z.number().min(0).nullish() })),
      }),
    )
    .min(1),
});

/**
 * Turns the plan.json written by `tiandi plan` into the workspace's {@link PlanInput}: one row per team,
 * its days in order (route = one line per day, stops concatenated; `arriveS` stays seconds after midnight of
 * the stop's own day). The plan id is `planId` when given, else `plan-<date>-<first 12 hex of the file's
 * sha256>`, so importing the same file again replaces the same plan. Throws TIANDI_E_INPUT naming the field.
 */
export function planFromPlanJson(text: string, file: string, planId?: string): PlanInput {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new StoreError('TIANDI_E_INPUT', `不是有效的 JSON invalid JSON (${(e as Error).message}): give the plan.json written by 'tiandi plan'`, file);
  }
  const r = PlanJsonSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.');
    throw new StoreError('TIANDI_E_INPUT', `不是 tiandi plan 的 plan.json not a plan.json from 'tiandi plan' (version 1): ${field || '(top)'}: ${issue.message}`, file, field);
  }
  if (planId !== undefined && !/^[\w.-]{1,80}$/.test(planId)) {
    throw new StoreError('TIANDI_E_INPUT', `计划编号只能含字母数字和 ._- plan id '${planId}': letters, digits, . _ - (≤ 80)`, file, 'planId');
  }
  const plan = r.data;
  const id = planId ?? `plan-${plan.date ?? 'undated'}-${sha256Hex(new TextEncoder().encode(text)).slice(0, 12)}`;
  const byTeam = new Map<string, typeof plan.routes>();
  for (const route of plan.routes) byTeam.set(route.teamId, [...(byTeam.get(route.teamId) ?? []), route]);
  const teams = [...byTeam].map(([team, routes]) => {
    routes.sort((a, b) => a.day - b.day);
    const lines = routes.map((x) => x.path as LonLat[]).filter((p) => p.length >= 2);
    const sum = (k: 'durationS' | 'distanceM') => (routes.every((x) => typeof x[k] === 'number') ? routes.reduce((s, x) => s + (x[k] as number), 0) : null);
    return {
      team,
      route: lines.length === 0 ? null : ({ type: 'MultiLineString', coordinates: lines } as const),
      durationS: sum('durationS'),
      distanceM: sum('distanceM'),
      stops: routes.flatMap((x) => x.stops.map((s) => ({ targetId: s.targetId, position: [s.lon, s.lat] as LonLat, arriveS: s.arrivalS ?? null }))),
    };
  });
  return { planId: id, teams };
}

/**
 * Reads a plan.json written by `tiandi plan` and records it in the workspace ({@link importPlan}): routes and
 * stops, and its targets become `planned`, as one transaction. Every stop must name a target of this
 * workspace (plan with the workspace's targets), else TIANDI_E_NOT_FOUND and nothing is stored.
 */
export async function importPlanFile(ws: Workspace, path: string, actor: string, opts: { planId?: string; signal?: AbortSignal } = {}): Promise<{ planId: string; teams: string[]; stops: number; planned: string[] }> {
  if (!existsSync(path)) throw new StoreError('TIANDI_E_INPUT', '找不到文件 file not found', path);
  const text = await readFile(path, { encoding: 'utf8', signal: opts.signal });
  const plan = planFromPlanJson(text, path, opts.planId);
  opts.signal?.throwIfAborted();
  const res = ws.write(actor, () => {
    const known = dbOf(ws).prepare('SELECT 1 FROM targets WHERE target_id = ?');
    const unknown = [...new Set(plan.teams.flatMap((t) => t.stops.map((s) => s.targetId)).filter((x): x is string => !!x && !known.get(x)))];
    if (unknown.length) {
      throw new StoreError(
        'TIANDI_E_NOT_FOUND',
        `工作区中没有这些目标 ${unknown.length} target(s) not in this workspace: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''} — plan with the workspace's targets (ids from 'tiandi targets list')`,
        path,
        'targetId',
      );
    }
    return importPlan(ws, plan, actor);
  });
  return { planId: plan.planId, teams: plan.teams.map((t) => t.team), stops: res.stops, planned: res.planned };
}

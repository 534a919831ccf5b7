import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { AccountStore } from '@tiandi/store/accounts';
import { importPlan, listTargets, type Workspace } from '@tiandi/store';
import { buildServer } from '../app';
import { accountsModule } from '../auth/accounts-module';
import { routes } from './index';
import field from './field';
import manager from './manager';
import { rect, surveyWorkspace } from '../../../../packages/store/src/test-world.test-util';

const FAST_SCRYPT = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };

// The survey world is the store tests' one (township, villages, season, V01's two images); the plan is added here.
export { rect } from '../../../../packages/store/src/test-world.test-util';

/**
 * Writes the small survey of {@link fieldWorld} into a new workspace `file` (scan folder under `dir`):
 * township 新寨乡, villages 上寨村 (V01, flown, three targets) and 下寨村 (V02, not flown), season 2026,
 * plan P1 giving team T1 two targets and T2 one. Returns the open workspace and the target ids.
 */
export async function makeSurveyWorkspace(file: string, dir: string): Promise<{ ws: Workspace; targets: { t1: string[]; t2: string[] } }> {
  const ws = await surveyWorkspace(file, {
    scanDir: path.join(dir, 'scan'),
    cands: [
      { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.002, 25.002, 100.0025, 25.0025), score: 0.8 },
      { id: 'c2', image: 'DJI_0002.tif', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.7 },
      { id: 'c3', image: 'DJI_0002.tif', poly: rect(100.007, 25.007, 100.0074, 25.0074), score: 0.9 },
    ],
  });
  const ids = listTargets(ws)
    .map((t) => t.id)
    .sort();
  const centre = (id: string): [number, number] => {
    const g = listTargets(ws).find((t) => t.id === id)!.geometry;
    const ring = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]) as [number, number][];
    return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
  };
  const t1 = ids.slice(0, 2);
  const t2 = ids.slice(2);
  importPlan(
    ws,
    {
      planId: 'P1',
      teams: [
        {
          team: 'T1',
          route: { type: 'LineString', coordinates: [[100.0, 25.0], ...t1.map(centre), [100.0, 25.0]] },
          durationS: 7200,
          distanceM: 3000,
          stops: t1.map((id) => ({ targetId: id, position: centre(id), arriveS: 30_000 })),
        },
        { team: 'T2', route: null, stops: t2.map((id) => ({ targetId: id, position: centre(id) })) },
      ],
    },
    'planner',
  );
  return { ws, targets: { t1, t2 } };
}

/** Roles signed in by {@link fieldWorld}; `field2` is a second field team (T2). */
export type WorldRole = 'operator' | 'planner' | 'manager' | 'admin' | 'field' | 'field2';

/**
 * A server over a small survey: township 新寨乡 with villages 上寨村 (V01, fully flown, three
 * targets) and 下寨村 (V02, not flown); season 2026; a plan giving team T1 two targets and T2 one.
 * Every role is signed in; `as[role]` are its headers.
 */
export async function fieldWorld(): Promise<{
  app: FastifyInstance;
  dir: string;
  ws: () => Workspace;
  targets: { t1: string[]; t2: string[] };
  as: Record<WorldRole, { authorization: string }>;
  cleanup(): Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-field-'));
  const file = path.join(dir, 'w.gpkg');
  const {
    ws,
    targets: { t1, t2 },
  } = await makeSurveyWorkspace(file, dir);
  ws.close();

  const db = new Database(':memory:');
  const accounts = new AccountStore(db, { scrypt: FAST_SCRYPT });
  const specs: [WorldRole, string, string | null][] = [
    ['operator', 'operator', null],
    ['planner', 'planner', null],
    ['manager', 'manager', null],
    ['admin', 'admin', null],
    ['field', 'field', 'T1'],
    ['field2', 'field', 'T2'],
  ];
  for (const [name, role, team] of specs) await accounts.addAccount({ name, role: role as never, teamId: team, password: `${name}-password` });
  const app = await buildServer({ workspacePath: file, dataDir: path.join(dir, 'data'), runJobs: false }, [accountsModule(accounts), ...withOwn(routes)]);
  const as = {} as Record<WorldRole, { authorization: string }>;
  for (const [name] of specs) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password: `${name}-password` } });
    as[name] = { authorization: `Bearer ${res.json().token}` };
  }
  return {
    app,
    dir,
    ws: () => app.tiandi.services.get('workspace') as Workspace,
    targets: { t1, t2 },
    as,
    async cleanup() {
      await app.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The registered routes, plus the field and manager modules if index.ts does not list them yet. */
function withOwn(list: typeof routes): typeof routes {
  const names = new Set(list.map((m) => m.name));
  return [...list, ...[field, manager].filter((m) => !names.has(m.name))];
}

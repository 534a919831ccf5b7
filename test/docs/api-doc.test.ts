// Keeps docs/api.md's endpoint table in step with the routes the server registers: a route missing from the table,
// a row for a route that is gone, or roles that changed fail here (`npm run docs:generate` rewrites the table).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRoutes, type RouteInfo } from '@tiandi/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { readApiTable, renderApiTable, rolesText, updateApiDoc } from '../../scripts/api-doc';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const doc = () => readFileSync(path.join(root, 'docs/api.md'), 'utf8');
const FIX = 'docs/api.md is out of step with the server: run `npm run docs:generate` and describe any new route';

describe('docs/api.md lists every route the server registers', () => {
  let routes: RouteInfo[];
  beforeAll(async () => {
    routes = await listRoutes();
  });

  it('has one row per route, with the roles the route checks', () => {
    const live = routes.map((r) => `${r.methods.join(' ')} ${r.url} — ${rolesText(r)}`);
    const documented = [...readApiTable(doc()).values()].map((r) => `${r.methods} ${r.url} — ${r.roles}`);
    expect(
      live.filter((r) => !documented.includes(r)),
      `${FIX} (routes missing from the table)`,
    ).toEqual([]);
    expect(
      documented.filter((r) => !live.includes(r)),
      `${FIX} (rows for routes the server no longer has)`,
    ).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });

  it('describes every route', () => {
    expect([...readApiTable(doc()).values()].filter((r) => r.what === '(to describe)').map((r) => r.url)).toEqual([]);
  });

  it('regenerating changes nothing', () => {
    expect(updateApiDoc(doc(), routes), FIX).toBe(doc());
  });
});

describe('the table generator', () => {
  const route = (methods: string[], url: string, roles: string[] | null): RouteInfo => ({ methods, url, roles });

  it('keeps the hand-written column, and marks a new route as needing a description', () => {
    const before = renderApiTable([route(['GET'], '/api/a', null)], new Map());
    const described = before.replace('(to describe)', 'the a list');
    const doc = `<!-- generated: endpoint table (npm run docs:generate) -->\n${described}\n<!-- end generated -->\n`;
    const after = updateApiDoc(doc, [route(['GET'], '/api/a', null), route(['POST'], '/api/b', ['admin'])]);
    expect(after).toContain('| GET | `/api/a` | public | the a list |');
    expect(after).toContain('| POST | `/api/b` | admin | (to describe) |');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../app';
import type { Role, RouteModule } from '../context';
import { routes } from '../routes/index';

/** Endpoints that must answer without a session. Everything else under /api must declare its roles. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/session']);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-roles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('every API endpoint checks the role', () => {
  it('declares config.roles on every /api route except the public ones, and answers 401 without a session', async () => {
    const seen: { method: string; url: string; roles: Role[] | undefined }[] = [];
    const collector: RouteModule = {
      name: 'route-collector',
      register(app) {
        app.addHook('onRoute', (r) => {
          for (const m of [r.method].flat())
            if (m !== 'HEAD' && r.url.startsWith('/api')) seen.push({ method: m, url: r.url, roles: (r.config as { roles?: Role[] } | undefined)?.roles });
        });
      },
    };
    const app = await buildServer({ workspacePath: path.join(dir, 'w.gpkg'), dataDir: path.join(dir, 'data'), runJobs: false }, [collector, ...routes]);
    await app.ready();
    expect(seen.length).toBeGreaterThan(20);
    const unguarded = seen.filter((r) => !r.roles && !PUBLIC.has(`${r.method} ${r.url}`)).map((r) => `${r.method} ${r.url}`);
    expect(unguarded, 'routes without config.roles').toEqual([]);
    for (const r of seen.filter((x) => x.roles)) {
      if (r.url.includes('*')) continue;
      const url = r.url.replace(/:(\w+)/g, 'x');
      const res = await app.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, `${r.method} ${url}`).toBe(401);
    }
    await app.close();
  });
});

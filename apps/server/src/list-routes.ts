import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer } from './app';
import type { RouteModule } from './context';
import { routes as defaultRoutes } from './routes/index';

/** One HTTP route as the server registers it: methods, URL pattern, and the roles that may call it (null: public). */
export interface RouteInfo {
  methods: string[];
  url: string;
  roles: string[] | null;
}

/**
 * Every route a server built with `modules` registers (default: all of them), sorted by URL then method, read
 * from fastify's onRoute hook on a throw-away workspace. HEAD routes fastify adds beside each GET are left out.
 * docs/api.md's table is generated from this (`npm run docs:generate`), and a test keeps the two in step.
 */
export async function listRoutes(modules: RouteModule[] = defaultRoutes): Promise<RouteInfo[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-routes-'));
  const seen: RouteInfo[] = [];
  const collector: RouteModule = {
    name: 'route-list',
    register: (app) => {
      app.addHook('onRoute', (route) => {
        const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
        const roles = (route.config as { roles?: string[] } | undefined)?.roles;
        seen.push({ methods, url: route.url, roles: roles ? [...roles] : null });
      });
    },
  };
  try {
    const app = await buildServer({ workspacePath: path.join(dir, 'w.gpkg'), dataDir: path.join(dir, 'data'), runJobs: false }, [collector, ...modules]);
    await app.ready();
    await app.close();
  } finally {
    await settle();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return mergeAutoHead(seen).sort((a, b) => a.url.localeCompare(b.url) || a.methods.join().localeCompare(b.methods.join()));
}

/** tus's file store checks its folder and sweeps it in the background; removing the tree under it too soon makes that throw. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
}

/** Drops the HEAD route fastify exposes beside each GET (same URL), keeping HEAD routes declared on their own. */
function mergeAutoHead(routes: RouteInfo[]): RouteInfo[] {
  const gets = new Set(routes.filter((r) => r.methods.includes('GET')).map((r) => r.url));
  return routes.filter((r) => !(r.methods.length === 1 && r.methods[0] === 'HEAD' && gets.has(r.url)));
}

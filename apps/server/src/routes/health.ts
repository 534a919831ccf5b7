import fs from 'node:fs';
import type { RouteModule } from '../context';

/** The server's version (apps/server/package.json). */
export const SERVER_VERSION: string = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/**
 * GET /api/health — liveness. Anyone sees `{ ok, name, version, signInHint }` (the hint is shown
 * under the sign-in form); a signed-in account also `basemapUrl`; admin and manager also where the
 * server keeps its files (`workspace`, `dataDir`), which nobody else needs to know.
 */
const health: RouteModule = {
  name: 'health',
  register(app, ctx) {
    app.get('/api/health', async (req) => {
      const out: Record<string, unknown> = { ok: true, name: 'tiandi', version: SERVER_VERSION, signInHint: ctx.options.signInHint ?? null };
      if (req.account) out.basemapUrl = ctx.options.basemapUrl ?? null;
      if (req.account?.role === 'admin' || req.account?.role === 'manager') {
        out.workspace = ctx.options.workspacePath;
        out.dataDir = ctx.options.dataDir;
      }
      return out;
    });
  },
};
export default health;

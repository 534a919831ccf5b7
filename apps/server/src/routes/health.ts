import type { RouteModule } from '../context';

/** GET /api/health — liveness and what this server serves. */
const health: RouteModule = {
  name: 'health',
  register(app, ctx) {
    app.get('/api/health', async () => ({
      ok: true,
      name: 'tiandi',
      workspace: ctx.options.workspacePath,
      basemapUrl: ctx.options.basemapUrl ?? null,
      signInHint: ctx.options.signInHint ?? null,
    }));
  },
};
export default health;

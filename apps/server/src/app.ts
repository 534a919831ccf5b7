import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ServerContext, ServerOptions } from './context';
import { errorHandler } from './error-handler';
import { ServerError } from './errors';
import { routes as defaultRoutes } from './routes/index';
import { registerSecurityHeaders } from './security/security-headers';
import { setWebCacheHeaders } from './web-cache';
import type { RouteModule } from './context';

/**
 * Builds the Tiandi HTTP server over one workspace: the JSON/GeoJSON API under /api, uploads,
 * scan jobs, map tiles, and the built web app at /. Returns a ready-to-use fastify instance; call
 * `listen()` to serve or `inject()` in tests, and `close()` when done.
 *
 * @example
 * const app = await buildServer({ workspacePath: 'survey.gpkg', dataDir: '.tiandi' });
 * const res = await app.inject({ url: '/api/health' });
 */
export async function buildServer(options: ServerOptions, modules: RouteModule[] = defaultRoutes): Promise<FastifyInstance> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const ctx: ServerContext = {
    options: Object.freeze({ ...options, dataDir, workspacePath: path.resolve(options.workspacePath) }),
    services: new Map(),
  };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024 * 1024,
    // Behind a reverse proxy: which hops to trust for the client address and https (X-Forwarded-*).
    trustProxy: (options.trustProxy ?? false) as boolean, // a hop count works too; fastify's types omit it
    // tus uploads stream their own bodies; everything else is JSON.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  app.decorate('tiandi', ctx);
  app.decorateRequest('account', null);
  app.setErrorHandler(errorHandler);
  await registerSecurityHeaders(app, { basemapUrl: options.basemapUrl });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !options.webRoot) {
      throw new ServerError('TIANDI_E_NOT_FOUND', `未找到 Not found: ${req.method} ${req.url.split('?')[0]}`);
    }
    return reply.sendFile('index.html');
  });

  const preHandlers = modules.flatMap((m) => (m.preHandler ? [m.preHandler] : []));
  if (preHandlers.length > 0) {
    app.addHook('preHandler', async (req, reply) => {
      for (const hook of preHandlers) {
        await hook(req, reply);
        if (reply.sent) return reply;
      }
    });
  }

  for (const mod of modules) await mod.register(app, ctx);

  if (options.webRoot) {
    // Brotli/gzip copies written at build time; hashed assets cached for a year (see web-cache.ts).
    await app.register(fastifyStatic, {
      root: path.resolve(options.webRoot),
      prefix: '/',
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      setHeaders: setWebCacheHeaders,
    });
  }

  app.addHook('onClose', async () => {
    for (const mod of [...modules].reverse()) await mod.close?.(ctx);
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's context: options and shared services. */
    tiandi: ServerContext;
  }
}

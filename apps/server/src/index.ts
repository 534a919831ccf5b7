export { buildServer } from './app';
export type { ServerOptions, ServerContext, RouteModule, PreHandler, RequestAccount, Role } from './context';
export { ServerError, SERVER_ERRORS, SERVER_SHARED_CODES, type ServerErrorCode, type ErrorBody } from './errors';
export { AuthError, AUTH_ERRORS } from './auth/auth-errors';
export { MANAGER_CODES } from './routes/manager';
export { parseInput } from './validate';
export { ensureWebBuild } from './build-web';
export { builtWebRoot, WEB_APP_DIR } from './web-root';
export { prepareDemo, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_DIR, SEEDS_DIR, type PreparedDemo, type DemoStep } from './demo/prepare-demo';
// The default route modules and the services a caller extends them with (`buildServer(options, [...routes, more])`).
export { routes } from './routes/index';
export { rasterCatalogOf } from './routes/rasters';
export { jobQueueOf } from './jobs/services';
export { listRoutes, type RouteInfo } from './list-routes';

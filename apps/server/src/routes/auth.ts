import { LoginBody, type LoginAnswer, type SessionAnswer } from '@tiandi/api';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../context';
import { accountService, closeAccountService, SESSION_TTL_S, toRequestAccount } from '../auth/account-service';
import { AuthError } from '../auth/auth-errors';
import { checkAccess } from '../auth/check-access';
import { LoginThrottle } from '../auth/login-throttle';
import { requestToken, sessionCookie } from '../auth/session-cookie';
import { parseInput } from '../validate';

/**
 * Sign-in and the access check of every route.
 *
 * - preHandler (every request): the session token (HttpOnly cookie or `Authorization: Bearer`) →
 *   `req.account`; then the route's `config.roles`: 401 without a live session, 403 for another role.
 *   A cookie-authenticated request that changes state must come from this site (Origin check).
 * - `POST /api/auth/login` `{ name, password }` → `{ account, expiresAt, token }` and the session cookie.
 * - `POST /api/auth/logout` ends the session. `GET /api/auth/me` → `{ account, expiresAt }` (401 when signed out);
 *   `GET /api/auth/session` → the same, or `{ account: null }` when signed out.
 */
const auth: RouteModule = {
  name: 'auth',
  async preHandler(req) {
    const found = requestToken(req.headers);
    if (found) {
      const accounts = await accountService(req.server.tiandi);
      const session = accounts.resolveSession(found.token);
      if (session) {
        req.account = toRequestAccount(session.account);
        if (found.via === 'cookie' && req.method !== 'GET' && req.method !== 'HEAD') checkOrigin(req);
      }
    }
    checkAccess(req.account, req.routeOptions.config?.roles);
  },
  register(app, ctx) {
    const throttle = new LoginThrottle(ctx.options.loginThrottle);
    ctx.services.set('login-throttle', throttle);
    app.post('/api/auth/login', async (req, reply) => {
      // No signing in from another site's page (login CSRF) or an opaque origin.
      if (req.headers.origin !== undefined) checkOrigin(req);
      const body = parseInput(LoginBody, req.body);
      // Reserve the attempt before the slow hash, so concurrent guesses cannot all pass the check.
      const attempt = throttle.reserve(body.name, req.ip);
      if (!attempt) throw new AuthError('TIANDI_E_AUTH_THROTTLED');
      let account;
      try {
        account = await (await accountService(ctx)).authenticate(body.name, body.password);
      } catch (err) {
        attempt.fail();
        throw err;
      }
      if (!account) {
        attempt.fail();
        throw new AuthError('TIANDI_E_AUTH_BAD_CREDENTIALS');
      }
      attempt.succeed();
      const accounts = await accountService(ctx);
      const ttlS = account.role === 'field' ? SESSION_TTL_S.field : SESSION_TTL_S.default;
      const session = accounts.createSession(account, ttlS);
      void reply.header('set-cookie', sessionCookie(session.token, ttlS, req.protocol === 'https'));
      void reply.header('cache-control', 'no-store');
      return { account: toRequestAccount(account), expiresAt: session.expiresAt, token: session.token } satisfies LoginAnswer;
    });

    app.post('/api/auth/logout', async (req, reply) => {
      const found = requestToken(req.headers);
      if (found) (await accountService(ctx)).endSession(found.token);
      void reply.header('set-cookie', sessionCookie('', 0, req.protocol === 'https'));
      return { ok: true };
    });

    // The web app's cold load asks this one: signed out is an answer, not an error (no 401 in the console).
    app.get('/api/auth/session', async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      const found = requestToken(req.headers);
      const session = found && req.account ? (await accountService(ctx)).resolveSession(found.token) : null;
      return (session ? { account: req.account, expiresAt: session.expiresAt } : { account: null, expiresAt: null }) satisfies SessionAnswer;
    });

    app.get('/api/auth/me', { config: { roles: ['operator', 'planner', 'field', 'manager', 'admin'] } }, async (req, reply) => {
      const found = requestToken(req.headers)!;
      const session = (await accountService(ctx)).resolveSession(found.token)!;
      void reply.header('cache-control', 'no-store');
      return { account: req.account, expiresAt: session.expiresAt };
    });
  },
  close(ctx) {
    closeAccountService(ctx);
  },
};
export default auth;

/**
 * A browser request that changes state must come from this site: its Origin's host must be the
 * request's host (with `trustProxy`, the proxy's X-Forwarded-Host). `Origin: null` (sandboxed
 * frames, file: pages, some redirects) is refused; a request without Origin (not a browser) passes.
 */
function checkOrigin(req: FastifyRequest): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    if (typeof origin !== 'string' || origin === 'null') throw new Error('opaque origin');
    host = new URL(origin).host;
  } catch {
    throw new AuthError('TIANDI_E_AUTH_ORIGIN');
  }
  if (host !== req.host) throw new AuthError('TIANDI_E_AUTH_ORIGIN');
}

import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The origin of the optional online basemap (tiles or style URL), which the map must be allowed to fetch. */
export function basemapOrigin(basemapUrl: string | undefined): string | null {
  if (!basemapUrl) return null;
  try {
    const u = new URL(basemapUrl.replace(/\{[a-z]\}/g, '0'));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The Content-Security-Policy directives of the web app: scripts, styles and data from this server
 * only; MapLibre's workers from blob: URLs; images from data:/blob:; the basemap's origin when one
 * is configured. No framing by any site. No `upgrade-insecure-requests`, since the office server is
 * often plain http on a LAN address.
 */
export function cspDirectives(basemapUrl?: string): Record<string, string[] | null> {
  const extra = basemapOrigin(basemapUrl);
  const withBasemap = (list: string[]) => (extra ? [...list, extra] : list);
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: withBasemap(["'self'", 'data:', 'blob:']),
    fontSrc: ["'self'", 'data:'],
    connectSrc: withBasemap(["'self'"]),
    workerSrc: ["'self'", 'blob:'],
    childSrc: ["'self'", 'blob:'],
    manifestSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: null,
  };
}

/**
 * Registers the security headers on every response (`@fastify/helmet`): CSP, X-Frame-Options DENY,
 * X-Content-Type-Options nosniff, Referrer-Policy no-referrer, and HSTS only on requests that came
 * over TLS (directly, or through a trusted proxy's X-Forwarded-Proto), never on plain http.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { basemapUrl?: string }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(opts.basemapUrl) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}

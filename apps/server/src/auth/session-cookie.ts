/** Name of the HttpOnly cookie that carries the session token. */
export const SESSION_COOKIE = 'tiandi_session';

/** Reads one cookie from a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The `Set-Cookie` value for a session: HttpOnly (no script can read it), SameSite=Strict (no
 * cross-site request carries it), Path=/, and Secure when served over HTTPS. `maxAgeS` 0 clears it.
 */
export function sessionCookie(token: string, maxAgeS: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The session token of a request: `Authorization: Bearer <token>` (scripts) or the session cookie (browser). */
export function requestToken(headers: Record<string, string | string[] | undefined>): { token: string; via: 'bearer' | 'cookie' } | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return { token: auth.replace(/^Bearer\s+/i, '').trim(), via: 'bearer' };
  const cookie = readCookie(typeof headers.cookie === 'string' ? headers.cookie : undefined, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

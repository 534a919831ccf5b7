import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';
import { basemapOrigin } from './security-headers';

let s: Awaited<ReturnType<typeof signedInServer>>;
beforeAll(async () => {
  s = await signedInServer({ runJobs: false, trustProxy: '127.0.0.1', basemapUrl: 'https://tiles.example.cn/{z}/{x}/{y}.png' });
});
afterAll(async () => {
  await s?.cleanup();
});

describe('security headers (issue 15)', () => {
  it('sends CSP, frame, nosniff and referrer headers, and no HSTS over plain http', async () => {
    const r = await s.app.inject({ url: '/api/health' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self' https://tiles.example.cn");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    // Headers are on errors too.
    expect((await s.app.inject({ url: '/api/nope' })).headers['x-content-type-options']).toBe('nosniff');
  });

  it('behind a trusted TLS proxy: HSTS and a Secure session cookie; an untrusted hop cannot claim https', async () => {
    const payload = { name: 'planner', password: 'planner-password' };
    const viaProxy = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload,
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '127.0.0.1',
    });
    expect(viaProxy.statusCode).toBe(200);
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; Secure/);
    expect(viaProxy.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const direct = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload,
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '203.0.113.9',
    });
    expect(String(direct.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(direct.headers['strict-transport-security']).toBeUndefined();
  });

  it('reads the basemap origin from an XYZ template or a style URL', () => {
    expect(basemapOrigin('https://t{s}.example.cn/{z}/{x}/{y}.png')).toBe('https://t0.example.cn');
    expect(basemapOrigin('https://demotiles.maplibre.org/style.json')).toBe('https://demotiles.maplibre.org');
    expect(basemapOrigin('javascript:alert(1)')).toBeNull();
    expect(basemapOrigin(undefined)).toBeNull();
  });
});

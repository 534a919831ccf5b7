import { afterEach, describe, expect, it } from 'vitest';
import { markOfflineCopy } from '../pwa/offline-copy';
import { api, ApiError, isServerAnswer, unauthorizedListeners } from './api';

const real = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = real;
});
const answer = (status: number, body: unknown) =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

describe("api(): the web app's one API client", () => {
  it("with fresh, treats the service worker's saved copy as offline, and takes it when not asked for fresh data", async () => {
    globalThis.fetch = (async () =>
      markOfflineCopy(new Response('{"team":"T1"}', { status: 200, headers: { 'content-type': 'application/json' } }))) as typeof fetch;
    await expect(api('/api/field/assignment', { fresh: true })).rejects.toMatchObject({ status: 0, code: 'TIANDI_E_OFFLINE' });
    await expect(api('/api/field/assignment')).resolves.toEqual({ team: 'T1' });
  });

  it("turns an error answer into an ApiError with the server's code, message, field and params", async () => {
    globalThis.fetch = answer(403, { code: 'TIANDI_E_AUTH_ROLE', message: '无权 Role may not', field: 'role', params: { role: 'field', allowed: 'manager' } });
    const err = await api('/api/manager/zones').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 403,
      code: 'TIANDI_E_AUTH_ROLE',
      message: '无权 Role may not',
      field: 'role',
      params: { role: 'field', allowed: 'manager' },
    });
    expect(isServerAnswer(err)).toBe(true);
  });

  it('turns a failed connection into status 0 TIANDI_E_OFFLINE, which is not a server answer', async () => {
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await api('/api/rasters').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'TIANDI_E_OFFLINE', message: 'Failed to fetch' });
    expect(isServerAnswer(err)).toBe(false);
  });

  it('tells the app a session ended on 401, unless the caller shows its own sign-in', async () => {
    let told = 0;
    const listener = () => void told++;
    unauthorizedListeners.add(listener);
    try {
      globalThis.fetch = answer(401, { code: 'TIANDI_E_AUTH_REQUIRED', message: '未登录 Not signed in' });
      await expect(api('/api/targets')).rejects.toMatchObject({ status: 401 });
      expect(told).toBe(1);
      await expect(api('/api/field/assignment', { ownSignIn: true })).rejects.toMatchObject({ status: 401, code: 'TIANDI_E_AUTH_REQUIRED' });
      expect(told).toBe(1);
    } finally {
      unauthorizedListeners.delete(listener);
    }
  });

  it('sends a body as JSON with POST by default', async () => {
    let seen: RequestInit | undefined;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      seen = init;
      return new Response('{"ok":true}', { status: 200 });
    }) as unknown as typeof fetch;
    await expect(api('/api/auth/logout', { body: {} })).resolves.toEqual({ ok: true });
    expect(seen?.method).toBe('POST');
    expect(seen?.body).toBe('{}');
    expect((seen?.headers as Record<string, string> | undefined)?.['content-type']).toBe('application/json');
  });
});

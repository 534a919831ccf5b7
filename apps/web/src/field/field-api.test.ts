import { describe, expect, it } from 'vitest';
import { markOfflineCopy } from '../pwa/offline-copy';
import { api } from './field-api';

describe('field api() with fresh', () => {
  it("treats the service worker's saved copy as offline, and takes it when not asked for fresh data", async () => {
    const real = globalThis.fetch;
    globalThis.fetch = (async () => markOfflineCopy(new Response('{"team":"T1"}', { status: 200, headers: { 'content-type': 'application/json' } }))) as typeof fetch;
    try {
      await expect(api('/api/field/assignment', { fresh: true })).rejects.toMatchObject({ status: 0, code: 'TIANDI_E_OFFLINE' });
      await expect(api('/api/field/assignment')).resolves.toEqual({ team: 'T1' });
    } finally {
      globalThis.fetch = real;
    }
  });
});

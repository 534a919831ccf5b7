import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';

let s: Awaited<ReturnType<typeof signedInServer>>;
beforeAll(async () => {
  s = await signedInServer({ runJobs: false, basemapUrl: 'https://tiles.example.cn/{z}/{x}/{y}.png', signInHint: '演示账号 demo accounts' });
});
afterAll(async () => {
  await s?.cleanup();
});

describe('GET /api/health (issue 15)', () => {
  it('shows only ok, name, version and the sign-in hint to anyone, the basemap to accounts, and paths to manager only', async () => {
    const anon = (await s.app.inject({ url: '/api/health' })).json();
    expect(Object.keys(anon).sort()).toEqual(['name', 'ok', 'signInHint', 'version']);
    expect(JSON.stringify(anon)).not.toContain(s.dir);
    const field = (await s.app.inject({ url: '/api/health', headers: s.as.field })).json();
    expect(field.basemapUrl).toBe('https://tiles.example.cn/{z}/{x}/{y}.png');
    expect(field.workspace).toBeUndefined();
    expect((await s.app.inject({ url: '/api/health', headers: s.as.operator })).json().workspace).toBeUndefined();
    const manager = (await s.app.inject({ url: '/api/health', headers: s.as.manager })).json();
    expect(manager.workspace).toContain(s.dir);
    expect(manager.dataDir).toContain(s.dir);
  });
});

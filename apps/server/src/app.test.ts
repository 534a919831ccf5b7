import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServer } from './app';
import type { RouteModule } from './context';
import { ServerError } from './errors';
import { parseInput } from './validate';
import health from './routes/health';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-server-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const probe: RouteModule = {
  name: 'probe',
  preHandler(req) {
    if (req.headers['x-who']) req.account = { id: '1', name: String(req.headers['x-who']), role: 'operator' };
  },
  register(app) {
    app.get('/api/probe/who', async (req) => ({ account: req.account }));
    app.post('/api/probe/echo', async (req) => parseInput(z.strictObject({ n: z.number().int().min(1) }), req.body));
    app.get('/api/probe/typed', async () => {
      throw new ServerError('TIANDI_E_CONFLICT', '已存在 already there', { field: 'id' });
    });
    app.get('/api/probe/boom', async () => {
      throw new Error('secret detail');
    });
  },
};

describe('buildServer', () => {
  it('answers health without saying where its files are', async () => {
    const d = tmp();
    const app = await buildServer({ workspacePath: path.join(d, 'w.gpkg'), dataDir: path.join(d, 'data') }, [health]);
    const res = await app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, name: 'tiandi', version: expect.stringMatching(/^\d+\.\d+\.\d+/), signInHint: null });
    expect(res.body).not.toContain(d);
    expect(fs.existsSync(path.join(d, 'data'))).toBe(true);
    await app.close();
  });

  it('runs module pre-handlers and turns errors into { code, message, field }', async () => {
    const d = tmp();
    const app = await buildServer({ workspacePath: path.join(d, 'w.gpkg'), dataDir: d }, [health, probe]);
    expect((await app.inject({ url: '/api/probe/who' })).json()).toEqual({ account: null });
    expect((await app.inject({ url: '/api/probe/who', headers: { 'x-who': 'li' } })).json().account.name).toBe('li');

    const bad = await app.inject({ method: 'POST', url: '/api/probe/echo', payload: { n: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'n' });

    const extra = await app.inject({ method: 'POST', url: '/api/probe/echo', payload: { n: 2, m: 1 } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'm' });

    const badJson = await app.inject({ method: 'POST', url: '/api/probe/echo', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('TIANDI_E_BAD_REQUEST');

    const typed = await app.inject({ url: '/api/probe/typed' });
    expect(typed.statusCode).toBe(409);
    expect(typed.json()).toEqual({ code: 'TIANDI_E_CONFLICT', message: '已存在 already there', field: 'id' });

    const boom = await app.inject({ url: '/api/probe/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret');

    const missing = await app.inject({ url: '/api/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('TIANDI_E_NOT_FOUND');
    await app.close();
  });

  it('serves the web app and falls back to index.html', async () => {
    const d = tmp();
    const web = path.join(d, 'web');
    fs.mkdirSync(web);
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>天地</title>');
    fs.writeFileSync(path.join(web, 'app.js'), 'console.log(1)');
    const app = await buildServer({ workspacePath: path.join(d, 'w.gpkg'), dataDir: d, webRoot: web }, [health]);
    expect((await app.inject({ url: '/' })).body).toContain('天地');
    expect((await app.inject({ url: '/app.js' })).body).toContain('console');
    expect((await app.inject({ url: '/some/deep/link' })).body).toContain('天地');
    expect((await app.inject({ url: '/api/nope' })).statusCode).toBe(404);
    await app.close();
  });

  it('sends the brotli or gzip copy a client accepts, caches hashed assets for a year and the page never stale', async () => {
    const d = tmp();
    const web = path.join(d, 'web');
    fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
    const js = 'export const x = 1;\n'.repeat(200);
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>天地</title>');
    fs.writeFileSync(path.join(web, 'assets', 'main-Ab12Cd34.js'), js);
    fs.writeFileSync(path.join(web, 'assets', 'main-Ab12Cd34.js.br'), zlib.brotliCompressSync(js));
    fs.writeFileSync(path.join(web, 'assets', 'main-Ab12Cd34.js.gz'), zlib.gzipSync(js));
    const app = await buildServer({ workspacePath: path.join(d, 'w.gpkg'), dataDir: d, webRoot: web }, [health]);
    const br = await app.inject({ url: '/assets/main-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(js);
    const gz = await app.inject({ url: '/assets/main-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await app.inject({ url: '/assets/main-Ab12Cd34.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    for (const url of ['/', '/index.html', '/deep/link']) expect((await app.inject({ url })).headers['cache-control'], url).toBe('no-cache');
    await app.close();
  });
});

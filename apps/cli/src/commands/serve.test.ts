import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import demo from './demo';
import serve, { parseTrustProxy } from './serve';

function io() {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd: process.cwd() }, out: () => out, err: () => err };
}

describe('tiandi serve / demo flags', () => {
  it('refuse bad input with one line and exit status 2', async () => {
    const a = io();
    expect(await serve.run([], a.io)).toBe(2);
    expect(a.err()).toMatch(/^tiandi: serve: .*--workspace.*\n$/);
    const b = io();
    expect(await serve.run(['--workspace', 'w.gpkg', '--port', 'eighty'], b.io)).toBe(2);
    expect(b.err()).toContain("--port 'eighty'");
    const c = io();
    expect(await serve.run(['--workspace', 'w.gpkg', '--colour', 'red'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^tiandi: serve: .*colour/);
    const d = io();
    expect(await demo.run(['--port', '70000'], d.io)).toBe(2);
    expect(d.err().split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('reads --trust-proxy as fastify does, and refuses a bad upload quota or expiry', async () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    const e = io();
    expect(await serve.run(['--workspace', 'w.gpkg', '--upload-quota-gb', 'lots'], e.io)).toBe(2);
    expect(e.err()).toContain("--upload-quota-gb 'lots'");
    const f = io();
    expect(await serve.run(['--workspace', 'w.gpkg', '--upload-expiry-hours', 'soon'], f.io)).toBe(2);
    expect(f.err().split('\n').filter(Boolean)).toHaveLength(1);
  });
});

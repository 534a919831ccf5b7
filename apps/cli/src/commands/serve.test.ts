import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import demo from './demo';
import serve from './serve';

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
});

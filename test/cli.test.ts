import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../node_modules/.bin/tiandi', import.meta.url));

describe('tiandi CLI shell', () => {
  it('lists its commands with --help and exits 0', () => {
    const out = execFileSync(bin, ['--help'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('Usage: tiandi <command>');
  });

  it('runs through npx with no npm warning before its own output (issue 18: no unknown keys in .npmrc)', () => {
    const r = spawnSync('npx', ['--no-install', 'tiandi', '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: tiandi <command>');
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  it('refuses an unknown command with exit status 2 and names it', () => {
    const r = spawnSync(bin, ['frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main as fromSource } from './main';

const root = join(import.meta.dirname, '../../..');
// Beside the real build (npm packages resolve from node_modules), never over it.
const out = join(root, 'node_modules/.cache', `tiandi-cli-test-${process.pid}`);

/** Collects what a CLI run writes. */
function io() {
  let text = '';
  const sink = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  return { io: { stdout: sink, stderr: sink, cwd: root }, text: () => text };
}

describe('precompiled CLI (npm prepare)', () => {
  it('builds a plain-JavaScript CLI that lists the same commands as the sources, and records what it was built from', async () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../scripts/build-cli.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, TIANDI_CLI_BUILD_DIR: out },
    });
    expect(r.stderr).toBe('');
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.node).toBe(process.version);
    const inputs = meta.inputs.map((i: [string]) => i[0]);
    expect(inputs).toContain(join(root, 'apps/cli/src/main.ts'));
    expect(inputs.some((p: string) => p.includes('node_modules'))).toBe(false);
    // Per command, the sources its run depends on: scan's are the tiles pipeline's, not the server's.
    const scanInputs = meta.commands.scan.map((i: number) => inputs[i]);
    expect(scanInputs).toContain(join(root, 'apps/cli/src/commands/scan.ts'));
    expect(scanInputs).toContain(join(root, 'packages/tiles/src/node/scan-images.ts'));
    expect(scanInputs.some((p: string) => p.includes('apps/server/'))).toBe(false);
    expect(meta.commands.serve.map((i: number) => inputs[i])).toContain(join(root, 'apps/server/src/index.ts'));
    expect(meta.help.map((i: number) => inputs[i])).toContain(join(root, 'apps/cli/src/commands/serve.ts'));
    const built = await import(pathToFileURL(join(out, 'main.mjs')).href);
    const a = io();
    const b = io();
    expect(await built.main(['--help'], a.io)).toBe(0);
    expect(await fromSource(['--help'], b.io)).toBe(0);
    expect(a.text()).toBe(b.text());
    for (const name of ['scan', 'serve', 'certify', 'synth']) expect(a.text()).toMatch(new RegExp(`\\n  ${name} `));
    const c = io();
    expect(await built.main(['scan', '--help'], c.io)).toBe(0);
    expect(c.text()).toMatch(/tiandi scan/);
    rmSync(out, { recursive: true, force: true });
  }, 120_000);

  it('runs from the sources when asked to (or when a source is newer than the build)', () => {
    const r = spawnSync(process.execPath, [join(root, 'apps/cli/bin/tiandi.mjs'), 'scan', '--help'], {
      encoding: 'utf8',
      env: { ...process.env, TIANDI_FROM_SOURCE: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/tiandi scan/);
  }, 60_000);
});

// Runs Biome's linter over the repository (rules and the reasons for each rule turned off: biome.jsonc), so a
// finding fails `npm test` like any other broken check. Formatting is not checked: `npm run format` applies it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const biome = path.join(root, 'node_modules/.bin/biome');

describe('lint (biome)', () => {
  it('finds nothing at warning level or above', () => {
    const run = spawnSync(biome, ['lint', '--diagnostic-level=warn', '--error-on-warnings', '--max-diagnostics=50', '--colors=off', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    expect(run.status, `npm run lint reports:\n${run.stdout}${run.stderr}`).toBe(0);
  });
});

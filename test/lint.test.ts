// Runs Biome's linter and formatter check over the repository (rules, style and the reasons for each rule turned
// off: biome.jsonc), so a finding or an unformatted file fails `npm test` like any other broken check.
// `npm run format` applies the formatting.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const biome = path.join(root, 'node_modules/.bin/biome');

describe('lint and format (biome check)', () => {
  it('finds no lint warning and no unformatted file', () => {
    const run = spawnSync(biome, ['check', '--diagnostic-level=warn', '--error-on-warnings', '--max-diagnostics=50', '--colors=off', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    expect(run.status, `npm run lint reports:\n${run.stdout}${run.stderr}`).toBe(0);
  });
});

// Golden fixtures of merging candidates into targets: each case in test/in/merge/ (existing targets, new
// candidates, options) gives test/out/merge/<name>.json, the MergeResult.
// UPDATE_GOLDEN=1 rewrites the outputs; review their diff before committing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { expectGolden, goldenInputs, goldenJson } from '../../../test/helpers/golden';
import { mergeCandidates, type MergeOptions } from './merge-candidates';
import type { Candidate, Target } from './target';

const fixtures = fileURLToPath(new URL('../test/', import.meta.url));

describe('merging matches its golden files', () => {
  it.each(goldenInputs(join(fixtures, 'in/merge')))('%s', (name, file) => {
    const { existing, candidates, options } = JSON.parse(readFileSync(file, 'utf8')) as { existing: Target[]; candidates: Candidate[]; options?: MergeOptions };
    expectGolden(join(fixtures, 'out/merge', `${name}.json`), goldenJson(mergeCandidates(existing, candidates, options)));
  });
});

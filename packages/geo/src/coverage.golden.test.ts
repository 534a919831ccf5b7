// Golden fixtures of coverage and of the gaps KML handed to the pilots: each case in test/in/coverage/ (a zone,
// footprints, the season's rules) gives test/out/coverage/<name>.json and <name>.gaps.kml.
// UPDATE_GOLDEN=1 rewrites the outputs; review their diff before committing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { expectGolden, goldenInputs, goldenJson } from '../../../test/helpers/golden';
import { computeCoverage, type CoverageRules, type Footprint } from './coverage';
import { gapsToKml } from './gaps-to-kml';
import type { Polygonal } from './geojson';

const fixtures = fileURLToPath(new URL('../test/', import.meta.url));

describe('coverage matches its golden files', () => {
  it.each(goldenInputs(join(fixtures, 'in/coverage')))('%s', (name, file) => {
    const { zone, footprints, rules } = JSON.parse(readFileSync(file, 'utf8')) as { zone: Polygonal; footprints: Footprint[]; rules: CoverageRules };
    const result = computeCoverage(zone, footprints, rules);
    expectGolden(join(fixtures, 'out/coverage', `${name}.json`), goldenJson(result));
    expectGolden(join(fixtures, 'out/coverage', `${name}.gaps.kml`), gapsToKml(result.gaps, { name }).kml);
  });
});

// Golden fixtures of the plan exports: each plan in test/in/ (a planRoutes result saved as JSON, so the solver is
// not under test here) is written as GPX, KML, GeoJSON, CSV and the Gaode navigation page, and compared with test/out/<name>.<ext>.
// UPDATE_GOLDEN=1 rewrites the outputs; review their diff before committing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { expectGolden, goldenInputs, goldenJson } from '../../../../test/helpers/golden';
import type { Plan } from '../plan/plan-types';
import { planToCsv } from './plan-to-csv';
import { planToGeoJson } from './plan-to-geojson';
import { planToGpx } from './plan-to-gpx';
import { planToKml } from './plan-to-kml';
import { planToNavigationHtml } from './plan-to-navigation-html';

const fixtures = fileURLToPath(new URL('../../test/', import.meta.url));

describe('plan exports match their golden files', () => {
  it.each(goldenInputs(join(fixtures, 'in')))('%s → .gpx .kml .geojson .csv .navigation-gcj02.html', (name, file) => {
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    const out = (ext: string) => join(fixtures, 'out', `${name}.${ext}`);
    expectGolden(out('gpx'), planToGpx(plan));
    expectGolden(out('kml'), planToKml(plan));
    expectGolden(out('geojson'), goldenJson(planToGeoJson(plan)));
    expectGolden(out('csv'), planToCsv(plan));
    expectGolden(out('navigation-gcj02.html'), planToNavigationHtml(plan));
  });
});

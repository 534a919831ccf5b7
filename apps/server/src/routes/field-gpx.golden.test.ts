// Golden fixtures of the GPX a field team downloads for its handheld unit (GET /api/field/assignment.gpx): each
// assignment in test/in/field-assignment/ (as GET /api/field/assignment answered it) gives test/out/<name>.gpx.
// UPDATE_GOLDEN=1 rewrites the outputs; review their diff before committing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { expectGolden, goldenInputs } from '../../../../test/helpers/golden';
import type { FieldAssignment } from './field-assignment';
import { assignmentGpx } from './field-gpx';

const fixtures = fileURLToPath(new URL('../../test/', import.meta.url));

describe('the field assignment GPX matches its golden files', () => {
  it.each(goldenInputs(join(fixtures, 'in/field-assignment')))('%s', (name, file) => {
    const assignment = JSON.parse(readFileSync(file, 'utf8')) as FieldAssignment;
    expectGolden(join(fixtures, 'out/field-assignment', `${name}.gpx`), assignmentGpx(assignment));
  });
});

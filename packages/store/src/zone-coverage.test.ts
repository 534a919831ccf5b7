import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { importScanDir } from './import-scan-dir';
import { zoneCoverage } from './zone-coverage';
import { SEASON, rect, villagesWorld, writeScanDir } from './test-world.test-util';

describe('zoneCoverage', () => {
  it('remembers results until images, the zone or the season change', async () => {
    // The shared villages world, V01's west half flown in a.tif.
    const { dir, ws } = await villagesWorld({ images: [{ image: 'a.tif', poly: rect(100, 25, 100.005, 25.01) }] });
    const first = zoneCoverage(ws, 'V01').coverage;
    expect(first.share).toBeCloseTo(0.5, 4);
    expect(zoneCoverage(ws, 'V01').coverage).toBe(first);
    await importScanDir(ws, writeScanDir(join(dir, 'b'), [{ image: 'b.tif', poly: rect(100.005, 25, 100.01, 25.01) }], []), 'op');
    expect(zoneCoverage(ws, 'V01').coverage.share).toBeCloseTo(1, 6);
    setSeason(ws, { ...SEASON, policy: { max_gsd_m: 0.01 } }, 'lead');
    expect(zoneCoverage(ws, 'V01').coverage.share).toBe(0);
    importZones(
      ws,
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'V01' }, geometry: rect(100, 25, 100.02, 25.01) }] },
      { level: 'village' },
      'lead',
    );
    setSeason(ws, SEASON, 'lead');
    expect(zoneCoverage(ws, 'V01').coverage.share).toBeCloseTo(0.5, 4);
    ws.close();
  });
});

import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importScanDir } from './import-scan-dir';
import { alreadyScanned, findImageByContent } from './import-scan';
import { certifyZone } from './certify-zone';
import { readAuditLog } from './verify-audit';
import { zoneCoverage } from './zone-coverage';
import { rect, villagesWorld, writeScanDir } from './test-world.test-util';

const SHA = 'a'.repeat(64),
  PX = 'b'.repeat(64);

/** A scan folder of V01 flown in one image, its footprint carrying the content digests tiles writes. */
function scanOf(dir: string, image: string, digests: { sha256?: string; pixel_sha256?: string }): string {
  writeScanDir(
    dir,
    [{ image, poly: rect(99.999, 24.999, 100.011, 25.011) }],
    [{ id: 'c1', image, poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.2 }],
  );
  const fp = JSON.parse(readFileSync(join(dir, 'footprint.geojson'), 'utf8'));
  Object.assign(fp.features[0].properties, digests);
  writeFileSync(join(dir, 'footprint.geojson'), JSON.stringify(fp));
  return dir;
}

describe('the same imagery is recognised by content', () => {
  it('under another name, by file sha256 or by pixel digest: not recorded again, and counted once', async () => {
    const { dir, ws } = await villagesWorld({ scan: false });
    const first = await importScanDir(ws, scanOf(join(dir, 'a'), 'block-1.tif', { sha256: SHA, pixel_sha256: PX }), 'op');
    expect(first.imagesAdded).toEqual(['block-1.tif']);

    const renamed = await importScanDir(ws, scanOf(join(dir, 'b'), 'block-1 (copy).tif', { sha256: SHA, pixel_sha256: PX }), 'op');
    expect(renamed).toMatchObject({
      imagesAdded: [],
      candidatesAdded: 0,
      unchanged: true,
      sameImagery: [{ imageId: 'block-1 (copy).tif', sameAs: 'block-1.tif', by: 'sha256' }],
    });
    const retagged = await importScanDir(ws, scanOf(join(dir, 'c'), 'IMG_0001.tif', { sha256: 'c'.repeat(64), pixel_sha256: PX }), 'op');
    expect(retagged.sameImagery).toEqual([{ imageId: 'IMG_0001.tif', sameAs: 'block-1.tif', by: 'pixels' }]);
    expect(findImageByContent(ws, { sha256: 'd'.repeat(64), pixelSha256: 'e'.repeat(64) })).toBeNull();
    // An image the model found nothing on counts as scanned with that model version.
    const empty = join(dir, 'e');
    writeScanDir(empty, [{ image: 'clean.tif', poly: rect(100.013, 25.001, 100.019, 25.009) }], []);
    const fp = JSON.parse(readFileSync(join(empty, 'footprint.geojson'), 'utf8'));
    fp.features[0].properties.sha256 = 'f'.repeat(64);
    writeFileSync(join(empty, 'footprint.geojson'), JSON.stringify(fp));
    writeFileSync(join(empty, 'summary.json'), JSON.stringify({ model: 'poppy-synth', model_version: '1.0.0', candidates: 0 }));
    await importScanDir(ws, empty, 'op');
    expect(alreadyScanned(ws, { sha256: 'f'.repeat(64) }, 'poppy-synth', '1.0.0')).toEqual({ sameAs: 'clean.tif', by: 'sha256' });
    expect(alreadyScanned(ws, { sha256: 'f'.repeat(64) }, 'poppy-synth', '2.0.0')).toBeNull();
    expect(
      readAuditLog(ws)
        .filter((e) => e.action === 'image.same_imagery')
        .map((e) => e.subject),
    ).toEqual(['block-1 (copy).tif', 'IMG_0001.tif']);

    // A workspace that took a copy in before copies were recognised still counts it once.
    dbOf(ws)
      .prepare(
        `INSERT INTO images (geom, image_id, crs, gsd_m, width, height, acquired, operator, sha256, pixel_sha256, imported_at) SELECT geom, 'old-copy.tif', crs, gsd_m, width, height, acquired, operator, sha256, pixel_sha256, imported_at FROM images WHERE image_id = 'block-1.tif'`,
      )
      .run();
    expect(zoneCoverage(ws, 'V01', '2026').coverage.usedImageIds).toEqual(['block-1.tif']);
    const cert = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: 'mgr' }, 'mgr').certificate!;
    expect(cert.coverage.imageCount).toBe(1);
    ws.close();
  });
});

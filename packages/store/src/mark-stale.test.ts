import { describe, expect, it } from 'vitest';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { certifyZone, listCertificates } from './certify-zone';
import { setTargetStatus, listTargets } from './targets';
import { verifyAudit } from './verify-audit';
import { SEASON, WHOLE_IMAGE, rect, villagesWorld } from './test-world.test-util';

describe('certificates go stale when their evidence changes', () => {
  it('on a season policy change, a zone outline change and a manual target decision', async () => {
    const { ws } = await villagesWorld({ cands: [{ id: 'low', image: WHOLE_IMAGE.image, poly: rect(100.002, 25.002, 100.0022, 25.0022), score: 0.1 }] });
    const issue = () => certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: 'mgr' }, 'mgr').certificate!;
    const status = () => listCertificates(ws, { zoneId: 'V01' })[0].status;

    const c1 = issue();
    expect(status()).toBe('issued');
    setSeason(ws, { ...SEASON, policy: { min_coverage_share: 0.95 } }, 'lead');
    expect(listCertificates(ws, { zoneId: 'V01' })[0]).toMatchObject({
      certId: c1.certId,
      status: 'stale',
      statusReason: expect.stringMatching(/policy changed/),
    });

    const c2 = issue();
    expect(c2.certId).not.toBe(c1.certId);
    importZones(
      ws,
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'V01', name: '上寨村' }, geometry: rect(100, 25, 100.011, 25.01) }] },
      { level: 'village' },
      'lead',
    );
    expect(status()).toBe('stale');

    issue();
    const [low] = listTargets(ws, { zoneId: 'V01' });
    setTargetStatus(ws, { targetId: low.id, status: 'confirmed', reason: '照片为罂粟 photos show poppy' }, 'mgr');
    expect(status()).toBe('stale');
    expect(verifyAudit(ws).ok).toBe(true);
    ws.close();
  });
});

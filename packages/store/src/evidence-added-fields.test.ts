import { describe, expect, it } from 'vitest';
import { digestOf } from '@tiandi/geo';
import { setSeason } from './set-season';
import { certifyZone, verifyCertificate, type Certificate } from './certify-zone';
import { evidenceAsCertified } from './evidence-added-fields';
import { SEASON, villagesWorld } from './test-world.test-util';

/** Village V02 fully imaged and free of candidates: certifiable. */
async function world() {
  return (await villagesWorld()).ws;
}

/** The certificate as it was issued before seasons wrote policy.desk_dismissal: that field absent, digest over the rest. */
function issuedBeforeDeskDismissals(cert: Certificate): Certificate {
  const evidence = structuredClone(cert.evidence) as unknown as { season: { policy: Record<string, unknown> } };
  delete evidence.season.policy.desk_dismissal;
  return { ...cert, evidence: evidence as unknown as Certificate['evidence'], evidenceDigest: digestOf(evidence) };
}

describe('certificates issued before a field was added to the evidence', () => {
  it('still match a workspace whose value is the implicit one, and stop matching when it changes', async () => {
    const ws = await world();
    const cert = certifyZone(ws, { zoneId: 'V02', signer: 'Zhao' }, 'mgr').certificate!;
    expect(verifyCertificate(ws, cert)).toMatchObject({ selfConsistent: true, matchesWorkspace: true });
    const old = issuedBeforeDeskDismissals(cert);
    expect(old.evidenceDigest).not.toBe(cert.evidenceDigest);
    expect(verifyCertificate(ws, old)).toMatchObject({ selfConsistent: true, matchesWorkspace: true });
    // The season now accepts desk dismissals: the old certificate was not issued under that, so it no longer matches.
    setSeason(ws, { ...SEASON, policy: { ...SEASON.policy, desk_dismissal: { allowed: true } } }, 'lead');
    expect(verifyCertificate(ws, old).matchesWorkspace).toBe(false);
    ws.close();
  });

  it('drops only fields the certificate lacks and whose value is still the implicit one, without changing its input', () => {
    const now = { season: { policy: { review_threshold: 0.35, desk_dismissal: { allowed: false, max_score: 0.5, audit_share: 0.1, audit_min: 3 } } } };
    const before = structuredClone(now);
    expect(evidenceAsCertified(now, { season: { policy: { review_threshold: 0.35 } } })).toEqual({ season: { policy: { review_threshold: 0.35 } } });
    expect(now).toEqual(before);
    expect(evidenceAsCertified(now, now)).toBe(now);
    const changed = { season: { policy: { review_threshold: 0.35, desk_dismissal: { allowed: true, max_score: 0.5, audit_share: 0.1, audit_min: 3 } } } };
    expect(evidenceAsCertified(changed, { season: { policy: { review_threshold: 0.35 } } })).toBe(changed);
  });
});

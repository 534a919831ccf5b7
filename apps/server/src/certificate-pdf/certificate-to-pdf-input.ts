import type { Certificate } from '@tiandi/store';
import type { CertificatePdfInput } from './certificate-pdf-input';

/** The parts of a stored certificate (from @tiandi/store) the PDF needs: the store's own type, narrowed. */
export type StoredCertificateLike = Omit<Certificate, 'evidence'>;

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const ha = (m2: number) => `${(m2 / 10_000).toFixed(2)} ha`;

/** Maps a stored certificate (and the zone's level and parent names) to what {@link renderCertificatePdf} draws. */
export function certificateToPdfInput(cert: StoredCertificateLike, zone: { level: string; parentNames: string[] }): CertificatePdfInput {
  const window = (cert.season.flowering_window ?? {}) as { start?: string; end?: string };
  const count = (pred: (t: StoredCertificateLike['targets'][number]) => boolean) => String(cert.targets.filter(pred).length);
  return {
    certificateId: cert.certId,
    zone: { id: cert.zoneId, name: cert.zoneName ?? cert.zoneId, level: zone.level, parentNames: zone.parentNames, geometry: cert.zone },
    season: { id: cert.seasonId, name: String(cert.season.name ?? cert.seasonId), windowStart: window.start, windowEnd: window.end },
    issuedAt: cert.issuedAt,
    signedBy: cert.signedBy,
    evidenceDigest: cert.evidenceDigest,
    figures: [
      { label: '花期有效覆盖 Coverage', value: pct(cert.coverage.share) },
      { label: '区域面积 Zone area', value: ha(cert.coverage.zoneAreaM2) },
      { label: '覆盖缺口 Gaps', value: ha(cert.coverage.gapAreaM2) },
      { label: '有效影像 Images used', value: String(cert.coverage.imageCount) },
      { label: '目标 Targets', value: String(cert.targets.length) },
      ...negativeFigures(
        cert,
        count((t) => t.status === 'inspected_negative'),
      ),
      { label: '铲除并复核 Eradication verified', value: count((t) => t.status === 'eradication_verified') },
      { label: '漏检发现 Missed by scan', value: count((t) => t.missedByScan) },
    ],
    rules: cert.rules.map((r) => ({ id: r.id, label: r.title, pass: r.pass, detail: r.detail, failingCount: r.failing.length })),
    gaps: cert.gaps ? [cert.gaps] : [],
    targets: cert.targets.map((t) => ({ id: t.id, status: t.status, geometry: t.geometry })),
    state: cert.status === 'issued' ? { status: 'valid' } : { status: cert.status, reason: cert.statusReason ?? undefined },
  };
}

/**
 * Negatives found on the ground apart from desk dismissals (no one went there), and for desk dismissals who made
 * them, on which model version, and how their ground audit went. Certificates from before issue 17 have no desk figures.
 */
function negativeFigures(cert: StoredCertificateLike, ground: string): { label: string; value: string }[] {
  const d = cert.deskDecisions;
  if (!d) return [{ label: '排除 Inspected negative', value: ground }];
  const out = [{ label: '排除 实地/案头 Negative ground/desk', value: `${ground} / ${d.dismissed}` }];
  if (d.dismissed > 0 || d.audited > 0) {
    out.push({ label: '案头审核员 Desk reviewers', value: d.byReviewer.map((r) => `${r.by} ${r.count}`).join(', ') || '—' });
    out.push({ label: '案头抽查 Desk audit inspected', value: `${d.auditedInspected}/${d.audited} · ${d.modelVersions.join(', ') || '—'}` });
  }
  return out;
}

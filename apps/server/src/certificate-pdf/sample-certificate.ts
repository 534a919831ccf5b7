import type { CertificatePdfInput } from './certificate-pdf-input';

const DIGEST = 'a3f1c2d4e5b6978812345678909abcdef0123456789abcdef0123456789abcde'.slice(0, 64);

/** A sample certificate input (a village of the demo township), for tests and previews. */
export const SAMPLE_CERTIFICATE: CertificatePdfInput = {
  certificateId: 'cert-2026-yiluo-01',
  zone: {
    id: 'V-0101',
    name: '阿都村',
    level: 'village',
    parentNames: ['昭觉县', '宜洛乡'],
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [102.8, 28.0],
          [102.83, 28.0],
          [102.835, 28.02],
          [102.81, 28.03],
          [102.8, 28.0],
        ],
      ],
    },
  },
  season: { id: '2026', name: '2026 年度', windowStart: '2026-03-01', windowEnd: '2026-05-31' },
  issuedAt: '2026-06-02T09:30:00Z',
  signedBy: '李明',
  evidenceDigest: DIGEST,
  figures: [
    { label: '有效覆盖 Coverage', value: '99.1 %' },
    { label: '目标 Targets', value: '7' },
    { label: '确认种植 Confirmed', value: '2' },
    { label: '已铲除并复核 Eradicated, verified', value: '2' },
    { label: '外业报告 Ground reports', value: '11' },
  ],
  rules: [
    { id: 'coverage', label: '花期影像覆盖 ≥ 98 % Flowering-season coverage', pass: true, detail: '99.1 % ≥ 98 %' },
    { id: 'targets_resolved', label: '高分目标均已核查 Every target above 0.5 resolved', pass: true, detail: '7 / 7' },
    { id: 'eradication_verified', label: '确认地块均已铲除并复核 Confirmed plots eradicated and verified', pass: true, detail: '2 / 2' },
    { id: 'no_open_findings', label: '无未结外业发现 No open ground finding', pass: true, detail: '0' },
  ],
  gaps: [
    {
      type: 'Polygon',
      coordinates: [
        [
          [102.825, 28.001],
          [102.829, 28.001],
          [102.829, 28.004],
          [102.825, 28.004],
          [102.825, 28.001],
        ],
      ],
    },
  ],
  targets: [
    {
      id: 't1',
      status: 'eradication_verified',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [102.81, 28.01],
            [102.812, 28.01],
            [102.812, 28.012],
            [102.81, 28.012],
            [102.81, 28.01],
          ],
        ],
      },
    },
    { id: 't2', status: 'inspected_negative', geometry: { type: 'Point', coordinates: [102.82, 28.015] } },
  ],
};

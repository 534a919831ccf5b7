/**
 * Prints how long coverage, candidate merging and the audit chain take at survey scale.
 * Run: npx tsx packages/geo/bench/reconcile.bench.ts
 */
import { computeCoverage, type Footprint } from '../src/coverage';
import { mergeCandidates } from '../src/merge-candidates';
import { chainAuditEntry, verifyAuditChain, type AuditEntry } from '../src/audit-chain';
import type { Candidate } from '../src/target';
import { boxPolygon } from '../src/box-polygon';

const time = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return r;
};

// A 5 km × 5 km township flown in 400 overlapping images (30 % overlap), with 4 holes left.
const fps: Footprint[] = [];
const d = 0.05 / 20;
for (let i = 0; i < 20; i++)
  for (let j = 0; j < 20; j++) {
    if ((i === 5 && j === 5) || (i === 12 && j === 7) || (i === 3 && j === 15) || (i === 17 && j === 17)) continue;
    fps.push({
      imageId: `img-${i}-${j}`,
      geometry: boxPolygon(100 + i * d - 0.15 * d, 25 + j * d - 0.15 * d, 100 + (i + 1) * d + 0.15 * d, 25 + (j + 1) * d + 0.15 * d),
      gsdM: 0.05,
      acquired: '2026-04-01',
    });
  }
const cov = time(`coverage of a 25 km² zone by ${fps.length} footprints`, () =>
  computeCoverage(boxPolygon(100, 25, 100.05, 25.05), fps, { floweringStart: '2026-03-01', floweringEnd: '2026-05-31', maxGsdM: 0.1 }),
);
console.log(`  share ${(cov.share * 100).toFixed(3)} %, gaps ${cov.gaps ? (cov.gaps.type === 'MultiPolygon' ? cov.gaps.coordinates.length : 1) : 0}`);

// 10 000 candidates: 5 000 plots each seen in two overlapping images.
const cands: Candidate[] = [];
for (let k = 0; k < 5000; k++) {
  const x = 100 + (k % 100) * 0.0005,
    y = 25 + Math.floor(k / 100) * 0.0005;
  for (const [s, dx] of [
    [0, 0],
    [1, 0.00003],
  ] as const)
    cands.push({
      id: `s${s}/c${k}`,
      scanId: `s${s}`,
      imageId: `i${s}`,
      geometry: boxPolygon(x + dx, y, x + dx + 0.0002, y + 0.0002),
      scoreMax: 0.5 + (k % 50) / 100,
      scoreMean: 0.4,
      areaM2: 400,
      model: 'm',
      modelVersion: '1',
    });
}
const merged = time(`merge ${cands.length} candidates`, () => mergeCandidates([], cands));
console.log(`  → ${merged.targets.length} targets`);
time('re-merge the same candidates (idempotent)', () => mergeCandidates(merged.targets, cands));

const log: AuditEntry[] = [];
time('append 20 000 audit entries', () => {
  for (let i = 0; i < 20000; i++)
    log.push(chainAuditEntry(log[i - 1] ?? null, { at: '2026-04-01T00:00:00Z', actor: 'a', action: 'target.status', subject: 'T' + i, payload: { i } }));
});
time('verify 20 000 audit entries', () => verifyAuditChain(log));

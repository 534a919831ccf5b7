// Desk triage at office scale: 1 040 candidate targets in a township of 8 villages; times listing the gallery and
// recording 200 decisions (half "not poppy", a desk dismissal with its audit draw) in the store, as the server does.
// Run: npx tsx packages/store/bench/triage.bench.ts   (timings on a shared machine are noisy; nothing is asserted)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideTriage, importScanDir, importZones, listTriage, setSeason, Workspace } from '../src/index';
import { rect, writeScanDir } from '../src/test-world.test-util';

const N = 1040,
  DECISIONS = 200;
const dir = mkdtempSync(join(tmpdir(), 'tiandi-triage-bench-'));
try {
  const ws = Workspace.create(join(dir, 'ws.gpkg'));
  importZones(
    ws,
    {
      type: 'FeatureCollection',
      features: Array.from({ length: 8 }, (_, i) => ({
        type: 'Feature',
        properties: { zone_id: `V${i}` },
        geometry: rect(100 + i * 0.01, 25, 100.01 + i * 0.01, 25.01),
      })),
    },
    { level: 'village' },
    'bench',
  );
  setSeason(ws, { id: '2026', year: 2026, policy: { desk_dismissal: { allowed: true, max_score: 0.6, audit_share: 0.1, audit_min: 3 } } }, 'bench');
  const cands = Array.from({ length: N }, (_, i) => {
    const x = 100.0005 + (i % 160) * 0.0005,
      y = 25.0005 + Math.floor(i / 160) * 0.001;
    return { id: `c${i}`, image: 'a.tif', poly: rect(x, y, x + 0.0002, y + 0.0002), score: 0.35 + ((i * 37) % 60) / 100 };
  });
  await importScanDir(ws, writeScanDir(join(dir, 's'), [{ image: 'a.tif', poly: rect(99.99, 24.99, 100.09, 25.02) }], cands), 'bench');
  let t0 = performance.now();
  const { items, total } = listTriage(ws);
  const listMs = performance.now() - t0;
  const per: number[] = [];
  for (let i = 0; i < DECISIONS; i++) {
    t0 = performance.now();
    decideTriage(
      ws,
      i % 2 ? { targetId: items[i].targetId, decision: 'poppy_like' } : { targetId: items[i].targetId, decision: 'not_poppy', reason: 'roof' },
      'bench',
    );
    per.push(performance.now() - t0);
  }
  per.sort((a, b) => a - b);
  console.log(
    `triage store bench: ${total} targets; list ${listMs.toFixed(0)} ms; ${DECISIONS} decisions: median ${per[DECISIONS / 2].toFixed(1)} ms, p95 ${per[Math.floor(DECISIONS * 0.95)].toFixed(1)} ms per decision`,
  );
  ws.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

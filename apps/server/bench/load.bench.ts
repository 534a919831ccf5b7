/**
 * Load benchmark of the HTTP server (issue 15): sign-in, map tiles, GeoJSON layers and field sync, each
 * for a few seconds while a scan job runs, then a 10 000-row report import under read traffic. Loopback
 * only, bounded duration. Prints p50/p99 latency, requests/s, the event loop's worst delay per phase, and
 * the process's RSS before and after. Not a test: figures depend on the machine and what else runs on it.
 *
 *   npm run bench:load            # 6 s per phase
 *   BENCH_SECONDS=15 npm run bench:load
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openAccountStore } from '@tiandi/store/accounts';
import { buildServer } from '../src/app';
import { jobQueueOf } from '../src/jobs/services';
import { rasterCatalogOf } from '../src/routes/rasters';
import { makeSurveyWorkspace } from '../src/routes/field-world.test-util';
import { makeGeoTiff } from '../src/testing/make-geotiff';
import { REDNESS_MODEL_DIR } from '../src/testing/test-model';
import { tilesOver } from '../src/tiles/tile-math';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = 8;
const hardStop = setTimeout(() => {
  console.error('bench:load: still running after 5 minutes; stopping.');
  process.exit(1);
}, 300_000);
hardStop.unref();

const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-load-'));
const workspacePath = path.join(dir, 'survey.gpkg');
const { ws } = await makeSurveyWorkspace(workspacePath, dir);
ws.close();
const { accounts, close: closeAccounts } = await openAccountStore(workspacePath);
for (const [name, role, teamId] of [
  ['planner', 'planner', null],
  ['field', 'field', 'T1'],
  ['operator', 'operator', null],
] as const) {
  await accounts.addAccount({ name, role, teamId, password: `${name}-password` });
}
closeAccounts();

const app = await buildServer({ workspacePath, dataDir: path.join(dir, 'data'), modelDir: REDNESS_MODEL_DIR, logger: false });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const login = async (name: string) => {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `${name}-password` }),
  });
  return `Bearer ${(await r.json()).token}`;
};
const planner = await login('planner');
const field = await login('field');

// An orthophoto for tiles, and a larger one whose scan runs in the background during the phases.
const ortho = path.join(dir, 'ortho.tif');
fs.writeFileSync(ortho, makeGeoTiff({ width: 2000, height: 1600, epsg: 32647, origin: [500_000, 2_770_000], pixelSize: 0.1 }));
rasterCatalogOf(app.tiandi).addProvider(() => [{ kind: 'ortho', name: 'ortho.tif', file: ortho }]);
// Three 3000 × 2400 px scans queued: the queue runs them one after another through the phases.
const jobIds: string[] = [];
console.error('bench:load: writing test imagery …');
for (let k = 0; k < 3; k++) {
  const scanTif = path.join(dir, `scan-${k}.tif`);
  const plots = Array.from({ length: 40 }, (_, i) => ({ x: 100 + k * 7 + (i % 8) * 350, y: 100 + Math.floor(i / 8) * 450, w: 40, h: 30 }));
  fs.writeFileSync(scanTif, makeGeoTiff({ width: 3000, height: 2400, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: plots }));
  const bytes = fs.readFileSync(scanTif);
  jobIds.push(
    jobQueueOf(app.tiandi).enqueue({
      imagePath: scanTif,
      imageName: `scan-${k}.tif`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: bytes.length,
      uploadedBy: 'bench',
    }).job.id,
  );
}
const scanState = () => {
  const jobs = jobIds.map((id) => jobQueueOf(app.tiandi).get(id)!);
  const running = jobs.find((j) => j.status === 'running');
  return running
    ? `scan ${jobs.indexOf(running) + 1}/3 running ${Math.round(100 * (running.progress.fraction ?? 0))} %`
    : `scans ${jobs.map((j) => j.status).join(', ')}`;
};

const listed = await app.inject({ url: '/api/rasters', headers: { authorization: planner } });
if (listed.statusCode !== 200) throw new Error(`GET /api/rasters: ${listed.statusCode} ${listed.body.slice(0, 300)}`);
const raster = listed.json().rasters.find((r: { name: string }) => r.name === 'ortho.tif');
const tiles = tilesOver(raster.bounds, raster.maxzoom - 3, raster.maxzoom).map(([z, x, y]) => `/api/rasters/${raster.id}/${z}/${x}/${y}.png`);
const rssBefore = process.memoryUsage().rss;
console.log(`bench:load — ${os.cpus().length} cores, node ${process.version}, ${SECONDS} s per phase, ${CONNECTIONS} connections, loopback ${base}`);
console.log(`RSS before: ${mb(rssBefore)}; ${tiles.length} distinct tiles; 3 scan jobs queued (3000 × 2400 px each)`);
console.log('Sign-in answers 429 by design when more than 5 attempts for one account from one address are in flight.\n');
console.log('phase                   req/s   p50 ms   p99 ms  non-2xx loop p99 ms loop max ms    background');

let reportSeq = 0;
await phase('sign-in (scrypt)', {
  method: 'POST',
  path: '/api/auth/login',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'operator', password: 'operator-password' }),
});
await phase('map tiles', {
  path: tiles[0],
  setupRequest: (r) => ({ ...r, path: tiles[Math.floor(Math.random() * tiles.length)] }),
  headers: { authorization: planner },
});
await phase('GeoJSON layers', {
  path: '/api/targets',
  setupRequest: (r) => ({ ...r, path: ['/api/targets', '/api/zones', '/api/images', '/api/reports'][reportSeq++ % 4] }),
  headers: { authorization: planner },
});
await phase('field sync', {
  path: '/api/field/assignment',
  headers: { authorization: field },
  setupRequest: (r) => {
    const n = reportSeq++;
    if (n % 2 === 0) return { ...r, method: 'GET', path: '/api/field/assignment', headers: { authorization: field }, body: undefined };
    const body = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [100.0001 + (n % 50) * 1e-5, 25.0001] },
      properties: { report_id: `load-${n}`, verdict: 'nothing_found', accuracy_m: 5, observed_at: '2026-04-20T09:30:00+08:00', photos: [] },
    };
    return {
      ...r,
      method: 'POST',
      path: '/api/field/reports',
      headers: { authorization: field, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  },
});

// A 10 000-row export imported while others keep reading.
const csv = ['end,verdict,_geolocation_latitude,_geolocation_longitude,_geolocation_precision,meta/instanceID'];
for (let i = 0; i < 10_000; i++)
  csv.push(`2026-04-20T10:00:00+08:00,${i % 2 ? 'poppy' : 'nothing'},${25.2 + (i % 100) * 0.0005},${100.2 + Math.floor(i / 100) * 0.0005},5,uuid:import-${i}`);
const t0 = performance.now();
const importing = fetch(`${base}/api/field/reports/import`, {
  method: 'POST',
  headers: { authorization: planner, 'content-type': 'application/json' },
  body: JSON.stringify({ fileName: 'load.csv', text: csv.join('\n'), team: 'T1' }),
}).then(async (r) => ({ status: r.status, ms: performance.now() - t0, added: r.ok ? (await r.json()).added.length : 0 }));
await phase('reads during import', {
  path: '/api/health',
  setupRequest: (r) => ({ ...r, path: ['/api/health', '/api/targets?status=confirmed', '/api/field/assignment?team=T1'][reportSeq++ % 3] }),
  headers: { authorization: planner },
});
const imported = await importing;
console.log(`\nimport of 10 000 rows: HTTP ${imported.status}, ${imported.added} stored, ${(imported.ms / 1000).toFixed(1)} s`);

const rssAfter = process.memoryUsage().rss;
console.log(`${scanState()}`);
console.log(`RSS after: ${mb(rssAfter)} (before ${mb(rssBefore)}; this process runs both the server and the load generator)`);
await app.close();
fs.rmSync(dir, { recursive: true, force: true });
clearTimeout(hardStop);

async function phase(name: string, request: autocannon.Request & { headers?: Record<string, string> }): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const result = await autocannon({ url: base, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
  loop.disable();
  const scan = scanState();
  const cells = [
    result.requests.average.toFixed(0),
    result.latency.p50,
    result.latency.p99,
    result.non2xx,
    (loop.percentile(99) / 1e6).toFixed(0),
    (loop.max / 1e6).toFixed(0),
  ];
  const odd = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, v]) => `${v.count}× ${code}`);
  console.log(`${name.padEnd(20)} ${cells.map((c) => String(c).padStart(8)).join(' ')}    ${scan}${odd.length ? `  (${odd.join(', ')})` : ''}`);
}

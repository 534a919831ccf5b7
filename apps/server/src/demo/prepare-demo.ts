import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  importScanDir,
  importZones,
  readDepot,
  roadsVersion,
  setDepot,
  setRasterList,
  setRoads,
  setSeason,
  Workspace,
  workspaceScanQuality,
  type RasterRecord,
} from '@tiandi/store';
import { DEFAULT_MODEL_DIR } from '../jobs/default-scan-runner';
import { depotFromGeoJson, roadWaysFromGeoJson } from '../planning/workspace-roads';

/** The repository's seeds/ folder (the demo survey). */
export const SEEDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seeds');

/** Where the demo keeps its workspace, scans and server data (gitignored). */
export const DEMO_DIR = path.join(SEEDS_DIR, '.generated', 'demo');

/** Password of every demo account (printed by `tiandi demo`; a local demo only). */
export const DEMO_PASSWORD = 'tiandi-demo';

/** The demo's accounts: one per office role and three field teams (T1–T3, the planner's team ids). */
export const DEMO_ACCOUNTS = [
  { name: 'operator', role: 'operator' },
  { name: 'planner', role: 'planner' },
  { name: 'manager', role: 'manager' },
  { name: 'admin', role: 'admin' },
  { name: 'team1', role: 'field', teamId: 'T1' },
  { name: 'team2', role: 'field', teamId: 'T2' },
  { name: 'team3', role: 'field', teamId: 'T3' },
] as const;

/** A step of demo preparation, for a progress bar. */
export interface DemoStep {
  stage: 'imagery' | 'workspace' | 'scan' | 'import' | 'accounts';
  /** 0–1 within the stage. */
  fraction: number;
  detail?: string;
}

/** What {@link prepareDemo} made ready. */
export interface PreparedDemo {
  workspacePath: string;
  dataDir: string;
  images: number;
  scanned: number;
  candidates: number;
  /** Set when the default model is not trained yet: the demo then shows imagery without targets. */
  modelMissing: string | null;
}

/**
 * Prepares the demo survey from seeds/, offline and idempotently: generates the imagery
 * (@tiandi/synth), creates the workspace with the zones and the 2026 season, scans every flight
 * block with the default model on first start (@tiandi/tiles, skipped for blocks already scanned),
 * imports the scans (idempotent), lists orthophotos and heatmaps for the map in the workspace, stores the seed roads
 * and depot in the workspace for the planner, and adds the demo accounts.
 */
export async function prepareDemo(opts: PrepareDemoOptions = {}): Promise<PreparedDemo> {
  const seedsDir = opts.seedsDir ?? SEEDS_DIR;
  const demoDir = opts.demoDir ?? DEMO_DIR;
  const dataDir = path.join(demoDir, 'data');
  const modelDir = opts.modelDir ?? DEFAULT_MODEL_DIR;
  const step = (s: DemoStep) => opts.onStep?.(s);
  fs.mkdirSync(dataDir, { recursive: true });

  const { ensureDemoImagery } = await import('@tiandi/synth/node');
  const images = await ensureDemoImagery({
    seedsDir,
    signal: opts.signal,
    onProgress: (p) => step({ stage: 'imagery', fraction: p.rowsDone / p.rowsTotal, detail: p.block }),
  });
  step({ stage: 'imagery', fraction: 1 });

  const workspacePath = path.join(demoDir, 'demo.gpkg');
  if (!fs.existsSync(workspacePath)) {
    step({ stage: 'workspace', fraction: 0 });
    createDemoWorkspace(workspacePath, seedsDir);
    step({ stage: 'workspace', fraction: 1 });
  }

  const modelMissing = fs.existsSync(path.join(modelDir, 'model.onnx')) ? null : modelDir;
  const ws = Workspace.open(workspacePath);
  let done: Awaited<ReturnType<typeof scanAndImportBlocks>>;
  try {
    done = await scanAndImportBlocks(
      ws,
      images.map((i) => i.path),
      { demoDir, modelDir: modelMissing ? null : modelDir, step, signal: opts.signal },
    );
    putSeedPlanningInputs(ws, seedsDir);
    setRasterList(ws, done.rasters, 'seeds', 'demo');
  } finally {
    ws.close();
  }
  step({ stage: 'import', fraction: 1 });

  step({ stage: 'accounts', fraction: 0 });
  await addDemoAccounts(workspacePath);
  step({ stage: 'accounts', fraction: 1 });
  return { workspacePath, dataDir, images: images.length, scanned: done.scanned, candidates: done.candidates, modelMissing };
}

/** Options of {@link prepareDemo}. */
export interface PrepareDemoOptions {
  demoDir?: string;
  seedsDir?: string;
  modelDir?: string;
  onStep?: (s: DemoStep) => void;
  signal?: AbortSignal;
}

/** A new workspace with the seed zones (county, township, village) and season, written beside and renamed into place whole. */
function createDemoWorkspace(workspacePath: string, seedsDir: string): void {
  const tmp = `${workspacePath}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  const ws = Workspace.create(tmp);
  try {
    const zones = JSON.parse(fs.readFileSync(path.join(seedsDir, 'zones.geojson'), 'utf8')) as { type: string; features: { properties: { level: string } }[] };
    for (const level of ['county', 'township', 'village'] as const) {
      const features = zones.features.filter((f) => f.properties.level === level);
      if (features.length) importZones(ws, { ...zones, features }, { level, source: 'seeds/zones.geojson' }, 'demo');
    }
    setSeason(ws, JSON.parse(fs.readFileSync(path.join(seedsDir, 'season.json'), 'utf8')), 'demo', 'seeds/season.json');
  } finally {
    ws.close();
  }
  for (const ext of ['-wal', '-shm']) fs.rmSync(tmp + ext, { force: true });
  fs.renameSync(tmp, workspacePath);
}

/**
 * Scans each flight block not scanned yet (none when `modelDir` is null: the model is missing), imports every block's
 * scan, and returns the orthophotos and heatmaps to list for the map.
 */
async function scanAndImportBlocks(
  ws: Workspace,
  imagePaths: string[],
  o: { demoDir: string; modelDir: string | null; step: (s: DemoStep) => void; signal?: AbortSignal },
): Promise<{ scanned: number; candidates: number; rasters: RasterRecord[] }> {
  let scanned = 0;
  let candidates = 0;
  const rasters: RasterRecord[] = [];
  for (const [k, imagePath] of imagePaths.entries()) {
    const name = path.basename(imagePath);
    rasters.push({ kind: 'ortho', name, file: imagePath, imageId: null });
    const scanDir = path.join(o.demoDir, 'scans', name.replace(/\.tif$/i, ''));
    if (!fs.existsSync(path.join(scanDir, 'summary.json')) && o.modelDir) {
      await scanBlock(
        ws,
        imagePath,
        scanDir,
        o.modelDir,
        (fraction, detail) => o.step({ stage: 'scan', fraction: (k + fraction) / imagePaths.length, detail }),
        o.signal,
      );
    }
    if (fs.existsSync(path.join(scanDir, 'summary.json'))) {
      scanned++;
      o.step({ stage: 'import', fraction: k / imagePaths.length, detail: name });
      await importScanDir(ws, scanDir, 'demo', { signal: o.signal });
      const summary = JSON.parse(fs.readFileSync(path.join(scanDir, 'summary.json'), 'utf8')) as { candidates?: number };
      candidates += summary.candidates ?? 0;
      const heat = path.join(scanDir, 'heatmap.tif');
      if (fs.existsSync(heat)) rasters.push({ kind: 'heatmap', name, file: heat, imageId: null });
    }
  }
  return { scanned, candidates, rasters };
}

/** Scans one flight block into `scanDir` with the season's imagery-quality thresholds; a failed image fails the demo. */
async function scanBlock(
  ws: Workspace,
  imagePath: string,
  scanDir: string,
  modelDir: string,
  progress: (fraction: number, detail: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { scanImages } = await import('@tiandi/tiles/node');
  const name = path.basename(imagePath);
  fs.rmSync(scanDir, { recursive: true, force: true });
  // The season's imagery-quality thresholds, as `tiandi scan --workspace` and the server's scan jobs use them.
  const quality = workspaceScanQuality(ws);
  const summary = await scanImages({
    images: [imagePath],
    modelDir,
    outDir: scanDir,
    ...(quality !== undefined ? { quality } : {}),
    signal,
    onProgress: (p) => progress(p.tilesDone / Math.max(1, p.tilesTotal), `${name} ${p.tilesDone}/${p.tilesTotal}`),
  });
  if (summary.failed.length) throw new Error(`${name}: ${summary.failed.map((f) => f.message).join('; ')}`);
}

/** The demo accounts, each added once (their password is the demo's). */
async function addDemoAccounts(workspacePath: string): Promise<void> {
  const { openAccountStore } = await import('@tiandi/store/accounts');
  const { accounts, close } = await openAccountStore(workspacePath);
  try {
    for (const a of DEMO_ACCOUNTS) {
      if (!accounts.findByName(a.name)) await accounts.addAccount({ ...a, password: DEMO_PASSWORD });
    }
  } finally {
    close();
  }
}

/** The seed road network and depot, stored in the workspace unless it has its own (idempotent: no audit entry on a restart). */
export function putSeedPlanningInputs(ws: Workspace, seedsDir: string): void {
  if (!roadsVersion(ws))
    setRoads(ws, roadWaysFromGeoJson(JSON.parse(fs.readFileSync(path.join(seedsDir, 'roads.geojson'), 'utf8'))), 'seeds/roads.geojson', 'demo');
  const stored = readDepot(ws);
  const depot = depotFromGeoJson(JSON.parse(fs.readFileSync(path.join(seedsDir, 'depot.geojson'), 'utf8')));
  // A demo from before depots kept a romanised name gets the seed's once; any other stored depot is the user's.
  const lacksRoman = stored && depot?.namePinyin && !stored.namePinyin && stored.name === depot.name;
  if (depot && (!stored || lacksRoman)) setDepot(ws, stored ? { ...stored, namePinyin: depot.namePinyin } : depot, 'demo');
}

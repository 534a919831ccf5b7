import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boxPolygon, type Polygon } from '@tiandi/geo';
import { Workspace, type WorkspaceOptions } from './workspace';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { importScanDir } from './import-scan-dir';

/** A lon/lat rectangle: @tiandi/geo's boxPolygon, under the short name the survey tests use. */
export const rect = boxPolygon;

export const tmp = (prefix = 'tiandi-store-') => mkdtempSync(join(tmpdir(), prefix));

/** A township (0.02° square) holding two villages side by side, near 100°E 25°N. */
export const TOWNSHIP = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { zone_id: 'T01', name: '新寨乡' }, geometry: rect(100, 25, 100.02, 25.01) }],
};
export const VILLAGES = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { zone_id: 'V01', name: '上寨村' }, geometry: rect(100, 25, 100.01, 25.01) },
    { type: 'Feature', properties: { zone_id: 'V02', name: '下寨村' }, geometry: rect(100.01, 25, 100.02, 25.01) },
  ],
};
export const SEASON = { id: '2026', name: '2026 禁种季', year: 2026, policy: { min_coverage_share: 0.98 } };

/** The township and its villages in one file, each feature naming its level: what `tiandi zones import` reads without --level. */
export const ZONES_WITH_LEVELS = {
  type: 'FeatureCollection',
  features: [
    ...TOWNSHIP.features.map((f) => ({ ...f, properties: { ...f.properties, level: 'township' } })),
    ...VILLAGES.features.map((f) => ({ ...f, properties: { ...f.properties, level: 'village' } })),
  ],
};

/** One image of a scan folder: its footprint, and optionally its GSD (default 0.05 m) and acquisition time (default 12 April 2026). */
export interface ScanImage {
  image: string;
  poly: Polygon;
  gsd_m?: number;
  acquired?: string;
}

export interface CandSpec {
  id: string;
  image: string;
  poly: Polygon;
  score: number;
  verify?: number;
  unverified?: boolean;
  pPoppy?: number;
  /** Default score × 0.8. */
  scoreMean?: number;
  /** Default 400. */
  areaM2?: number;
  /** Default '1.0.0'. */
  modelVersion?: string;
}

/**
 * Writes a scan result folder as `tiandi scan` does: footprint.geojson (one feature per image),
 * candidates.geojson and summary.json.
 */
export function writeScanDir(dir: string, images: ScanImage[], cands: CandSpec[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'footprint.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: images.map((i) => ({
        type: 'Feature',
        geometry: i.poly,
        properties: { image: i.image, gsd_m: i.gsd_m ?? 0.05, crs: 'EPSG:32647', width: 4000, height: 3000, acquired: i.acquired ?? '2026-04-12T02:30:00Z' },
      })),
    }),
  );
  writeFileSync(
    join(dir, 'candidates.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: cands.map((c) => ({
        type: 'Feature',
        geometry: c.poly,
        properties: {
          id: c.id,
          score_max: c.score,
          score_mean: c.scoreMean ?? c.score * 0.8,
          ...(c.verify === undefined ? {} : { score_verify: c.verify }),
          ...(c.unverified === undefined ? {} : { unverified: c.unverified }),
          ...(c.pPoppy === undefined ? {} : { p_poppy: c.pPoppy }),
          area_m2: c.areaM2 ?? 400,
          image: c.image,
          model: 'poppy-synth',
          model_version: c.modelVersion ?? '1.0.0',
        },
      })),
    }),
  );
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ images: images.length, candidates: cands.length }));
  return dir;
}

/** The two overlapping images that fly village V01: DJI_0001 its west part, DJI_0002 its east part. */
export const VILLAGE_IMAGES = [
  { image: 'DJI_0001.tif', poly: rect(99.999, 24.999, 100.006, 25.011) },
  { image: 'DJI_0002.tif', poly: rect(100.004, 24.999, 100.011, 25.011) },
];

export interface SurveyWorldOptions {
  /** Candidates of the one recorded scan (default none). */
  cands?: CandSpec[];
  /** Images of that scan (default: V01's two, {@link VILLAGE_IMAGES}). */
  images?: ScanImage[];
  /** Folder the scan is written to before it is recorded; without it no scan is recorded. */
  scanDir?: string;
  /** Also import township T01 新寨乡 around the villages (default true). */
  township?: boolean;
  /** Other zones instead of the township and villages (levels from each feature's `level`), e.g. the demo's seeds/zones.geojson. */
  zones?: unknown;
  /** Another season instead of {@link SEASON}. */
  season?: unknown;
  /** Audit actor of the setup steps (default 'test'). */
  actor?: string;
  /** Audit actor of the scan's import (default `actor`). */
  scanActor?: string;
  /** The workspace's clock (default the real one). */
  now?: WorkspaceOptions['now'];
}

/**
 * The shared survey world of the store, server, CLI and browser tests, in a new workspace at `file`: township T01
 * 新寨乡, villages V01 上寨村 and V02 下寨村 (0.01° squares near 100°E 25°N), season 2026, and, given `scanDir`, one
 * scan recorded. `zones` and `season` put another survey (the demo's seeds) in the same steps.
 */
export async function surveyWorkspace(file: string, o: SurveyWorldOptions = {}): Promise<Workspace> {
  const actor = o.actor ?? 'test';
  const ws = Workspace.create(file, o.now ? { now: o.now } : {});
  try {
    if (o.zones) importZones(ws, o.zones, {}, actor);
    else {
      if (o.township ?? true) importZones(ws, TOWNSHIP, { level: 'township' }, actor);
      importZones(ws, VILLAGES, { level: 'village' }, actor);
    }
    setSeason(ws, o.season ?? SEASON, actor);
    if (o.scanDir) await importScanDir(ws, writeScanDir(o.scanDir, o.images ?? VILLAGE_IMAGES, o.cands ?? []), o.scanActor ?? actor);
  } catch (e) {
    ws.close();
    throw e;
  }
  return ws;
}

/** Village V01 fully flown in two overlapping images; two plots, the first seen in both images. */
export function villageScan(dir: string): string {
  return writeScanDir(dir, VILLAGE_IMAGES, [
    { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.8 },
    { id: 'c1', image: 'DJI_0002.tif', poly: rect(100.0047, 25.005, 100.0057, 25.0055), score: 0.9 },
    { id: 'c2', image: 'DJI_0002.tif', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.6 },
  ]);
}

/** One image, a.tif, over both villages and around them. */
export const WHOLE_IMAGE = { image: 'a.tif', poly: rect(99.99, 24.99, 100.03, 25.02) };

/**
 * The survey world as most store tests start from it, in a new temp folder: villages V01 and V02 (no township) and
 * season 2026 (or `season`) set by 'lead', and one scan of `cands` (default none) over `images` (default
 * {@link WHOLE_IMAGE}) recorded by 'op' — or, with `scan: false`, no scan yet.
 */
export async function villagesWorld(
  o: { cands?: CandSpec[]; images?: ScanImage[]; season?: unknown; scan?: boolean } = {},
): Promise<{ dir: string; ws: Workspace }> {
  const dir = tmp();
  const scanDir = o.scan === false ? undefined : join(dir, 's');
  const ws = await surveyWorkspace(join(dir, 'ws.gpkg'), {
    township: false,
    actor: 'lead',
    scanActor: 'op',
    scanDir,
    images: o.images ?? [WHOLE_IMAGE],
    cands: o.cands,
    season: o.season,
  });
  return { dir, ws };
}

/**
 * A workspace with the two villages, the season, and one scan of four candidates scored 0.3, 0.5, 0.7 and 0.9
 * (the first three on image a.tif, the last on b.tif): the world of the triage and adaptation tests.
 */
export async function fourCandidateWorld(): Promise<Workspace> {
  const cands = [0, 1, 2, 3].map((i) => ({
    id: `c${i}`,
    image: i < 3 ? 'a.tif' : 'b.tif',
    poly: rect(100.001 + i * 0.003, 25.002, 100.0013 + i * 0.003, 25.0023),
    score: [0.3, 0.5, 0.7, 0.9][i],
  }));
  return (await villagesWorld({ images: [WHOLE_IMAGE, { image: 'b.tif', poly: rect(100.005, 24.99, 100.03, 25.02) }], cands })).ws;
}

/** Village V01 fully imaged, three verified plots in it (first stage 0.8, verifier 0.99 / 0.985 / 0.995): the model-adoption world. */
export async function threeVerifiedPlotsWorld(): Promise<Workspace> {
  const cands = [0, 1, 2].map((i) => ({
    id: `c${i}`,
    image: 'a.tif',
    poly: rect(100.001 + i * 0.003, 25.002, 100.0013 + i * 0.003, 25.0023),
    score: 0.8,
    verify: [0.99, 0.985, 0.995][i],
  }));
  return (await villagesWorld({ cands })).ws;
}

/** An adapted verifier as a manager adopts it (threshold 0.98). */
export const ADAPTED_MODEL = { dir: '/models/poppy-synth-adapted-1', name: 'poppy-synth-adapted-1', version: '1.0.0-adapted.1', threshold: 0.98 };

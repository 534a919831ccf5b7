import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CrsError, geodesicAreaM2, getCrs, outlinesTouch, toWgs84, WGS84, type Crs } from '@tiandi/geo';
import { scanImages } from '@tiandi/tiles/node';
import { SynthError, throwIfAborted } from '../errors';
import { plotMetrics, type EvalCandidate, type EvalPlot, type PlotMetrics, type Rings, type SceneEval } from '../metrics/plot-metrics';
import { polygonRings } from './calibration-plots';

/** A labelled poppy plot read from a truth file, in lon/lat, with the file's own properties kept. */
export interface TruthPlot extends EvalPlot {
  /** The truth file it came from (as given). */
  source: string;
  properties: Record<string, unknown>;
}

const fix = 'give a GeoJSON FeatureCollection of poppy plot polygons (WGS 84 lon/lat, or another CRS named in its "crs" member)';

/** The CRS a GeoJSON's (pre-RFC 7946) `crs` member names: WGS 84 when absent or CRS84. */
function declaredCrs(json: { crs?: { properties?: { name?: unknown } } }, file: string): Crs {
  const name = json.crs?.properties?.name;
  if (name === undefined || (typeof name === 'string' && /CRS84$/i.test(name))) return WGS84;
  const m = typeof name === 'string' ? /EPSG:{1,2}(\d+)$/i.exec(name) : null;
  try {
    return getCrs(m ? `EPSG:${m[1]}` : String(name));
  } catch (err) {
    if (err instanceof CrsError) throw new SynthError('TIANDI_E_BAD_TRUTH', `${file}: its "crs" member: ${err.message}`, file);
    throw err;
  }
}

/** The polygons of a feature's geometry (a MultiPolygon gives one per part); other geometries give none. */
function polygonsOfGeometry(g: { type?: string; coordinates?: unknown } | null | undefined): Rings[] {
  if (g?.type === 'Polygon') return [g.coordinates as Rings];
  if (g?.type === 'MultiPolygon') return g.coordinates as Rings[];
  return [];
}

/**
 * Reads the poppy plots of a truth GeoJSON: every Polygon or MultiPolygon part whose `class` property is
 * absent or `poppy`, reprojected to lon/lat from the CRS its `crs` member names (WGS 84 when none). The
 * plot's stage is its `stage` property (else `unknown`); its area is measured on the ellipsoid.
 * @throws SynthError `TIANDI_E_BAD_TRUTH` naming the file and what to do when it is missing, not JSON,
 * not a FeatureCollection, holds no polygon, or has coordinates that are not valid in its CRS.
 */
export function readTruthFile(file: string): TruthPlot[] {
  if (!existsSync(file) || !statSync(file).isFile()) throw new SynthError('TIANDI_E_BAD_TRUTH', `${file}: 找不到真值文件 no such truth file: ${fix}`, file);
  let json: { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SynthError('TIANDI_E_BAD_TRUTH', `${file}: 不是 JSON not JSON (${(err as Error).message}): ${fix}`, file);
  }
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features))
    throw new SynthError('TIANDI_E_BAD_TRUTH', `${file}: 不是 GeoJSON FeatureCollection not a GeoJSON FeatureCollection: ${fix}`, file);
  const crs = declaredCrs(json, file);
  const t = crs.id === WGS84.id ? undefined : toWgs84(crs);
  const plots: TruthPlot[] = [];
  for (const [i, f] of (
    json.features as Array<{ geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null; id?: unknown }>
  ).entries()) {
    const props = f?.properties ?? {};
    if (props.class !== undefined && props.class !== 'poppy') continue;
    const parts = polygonsOfGeometry(f?.geometry);
    for (const [k, rings] of parts.entries()) {
      const ll = rings.map((ring) => ring.map((xy) => toLonLat(xy, t, crs, file, i)));
      const id = String(props.id ?? f?.id ?? `feature ${i + 1}`) + (parts.length > 1 ? `#${k + 1}` : '');
      plots.push({
        id,
        rings: ll,
        areaM2: geodesicAreaM2({ type: 'Polygon', coordinates: ll }),
        stage: String(props.stage ?? 'unknown'),
        source: file,
        properties: props,
      });
    }
  }
  if (!plots.length)
    throw new SynthError(
      'TIANDI_E_BAD_TRUTH',
      `${file}: 没有罂粟地块多边形 holds no poppy plot polygon (Polygon or MultiPolygon, class absent or "poppy"): ${fix}`,
      file,
    );
  return plots;
}

/** One coordinate to lon/lat, refusing numbers that are not valid in the declared CRS (a wrong or missing `crs`). */
function toLonLat(xy: unknown, t: ReturnType<typeof toWgs84> | undefined, crs: Crs, file: string, i: number): [number, number] {
  const p = xy as number[];
  let ll: [number, number] = [NaN, NaN];
  if (Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) {
    try {
      ll = t ? t.forward([p[0], p[1]]) : [p[0], p[1]];
    } catch {
      /* stays NaN */
    }
  }
  if (!(Math.abs(ll[0]) <= 180 && Math.abs(ll[1]) <= 90)) {
    throw new SynthError(
      'TIANDI_E_BAD_TRUTH',
      `${file}: feature ${i + 1}: coordinate ${JSON.stringify(xy)} is not ${crs.id === WGS84.id ? 'lon/lat degrees' : `valid in ${crs.name}`}: name the file's CRS in its "crs" member (e.g. "urn:ogc:def:crs:EPSG::4547") or write it in WGS 84`,
      file,
    );
  }
  return ll;
}

/** Recall, precision and false candidates of one image against the truth plots lying on it. */
export interface TruthFileResult {
  file: string;
  gsdM: number;
  crs: string;
  /** The whole image's valid ground (false candidates per km² are counted on it). */
  areaKm2: number;
  /** Of it, blocks the scan judged too poor to count as covered (blurred, hazy …); their plots still count here. */
  poorKm2: number;
  metrics: PlotMetrics;
  /** Candidates no second stage judged (`unverified: true`). */
  unverified: number;
}

/** The whole truth evaluation: per image, overall, and which plots were missed. */
export interface TruthReport {
  model: { name: string; version: string };
  truthFiles: string[];
  files: TruthFileResult[];
  overall: PlotMetrics;
  /** Recall by the truth's `colour` property (when plots have one) and by GSD (per image, rounded to 1 cm). */
  byColour: Record<string, { plots: number; found: number; recall: number | null }>;
  byGsd: Record<string, { plots: number; found: number; recall: number | null }>;
  /** Truth plots on no scanned image (left out of every figure): a wrong CRS shows up here. */
  outside: Array<{ id: string; source: string }>;
  missed: Array<{ file: string; source: string; id: string; areaM2: number; stage: string; properties: Record<string, unknown>; lonLat: [number, number] }>;
  /** Candidates touching no truth plot, with where they are and their score. */
  falseCandidates: Array<{ file: string; lonLat: [number, number]; score: number }>;
  failed: Array<{ image: string; message: string }>;
}

interface ScannedImage {
  file: string;
  gsdM: number;
  crs: string;
  areaKm2: number;
  poorKm2: number;
  /** The valid ground: the covered footprint and the blocks the scan judged poor (plots there are still plots). */
  ground: Rings[];
  candidates: EvalCandidate[];
  unverified: number;
}

/** Scans the images with the full scan pipeline and reads back each image's footprint and candidates. */
async function scanAll(images: string[], modelDir: string, signal?: AbortSignal): Promise<{ scanned: ScannedImage[]; failed: TruthReport['failed'] }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tiandi-truth-eval-')), 'scan');
  try {
    const summary = await scanImages({ images, modelDir, outDir: dir, signal });
    const failed = summary.failed.map((f) => ({ image: basename(f.image), message: f.message }));
    if (!summary.out_dir) return { scanned: [], failed };
    type Geo = { type: string; coordinates: unknown };
    type Feet = { properties: { image: string; area_km2: number; poor_quality_km2?: number; gsd_m: number; crs: string }; geometry: Geo };
    type Cand = { properties: { image: string; score_max: number; area_m2: number; unverified?: boolean }; geometry: { type: string; coordinates: unknown } };
    const feet = JSON.parse(readFileSync(join(dir, 'footprint.geojson'), 'utf8')).features as Feet[];
    const cands = JSON.parse(readFileSync(join(dir, 'candidates.geojson'), 'utf8')).features as Cand[];
    const poor = existsSync(join(dir, 'quality.geojson'))
      ? (JSON.parse(readFileSync(join(dir, 'quality.geojson'), 'utf8')).features as Array<{ properties: { image: string }; geometry: Geo }>)
      : [];
    const scanned = feet.map((f): ScannedImage => {
      const mine = cands.filter((c) => c.properties.image === f.properties.image);
      const poorKm2 = f.properties.poor_quality_km2 ?? 0;
      return {
        file: f.properties.image,
        gsdM: f.properties.gsd_m,
        crs: String(f.properties.crs),
        areaKm2: f.properties.area_km2 + poorKm2,
        poorKm2,
        ground: [...polygonRings(f.geometry), ...poor.filter((q) => q.properties.image === f.properties.image).flatMap((q) => polygonRings(q.geometry))],
        candidates: mine.map((c) => ({ rings: polygonRings(c.geometry), score: c.properties.score_max, areaM2: c.properties.area_m2 })),
        unverified: mine.filter((c) => c.properties.unverified).length,
      };
    });
    return { scanned, failed };
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

/** Recall of the plots grouped by a key of the plot and its image's index (plots with no key left out). */
function recallBy(scenes: SceneEval[], key: (p: EvalPlot, image: number) => string | undefined): TruthReport['byColour'] {
  const regrouped = scenes.map((s, k) => ({ ...s, plots: s.plots.filter((p) => key(p, k) !== undefined).map((p) => ({ ...p, stage: key(p, k)! })) }));
  const m = plotMetrics(regrouped);
  return m.byStage;
}

/**
 * Scores a model on anyone's labelled imagery: scans the GeoTIFFs with the normal scan pipeline and compares
 * each image's candidates with the truth plots lying on it (a plot is found when a candidate touches it; a
 * candidate is true when it touches a plot). Reports per image and overall: plot recall (all and ≥ 4 m²),
 * precision, false candidates per km² of imaged ground, and the plots missed.
 */
export async function evaluateTruth(opts: { modelDir: string; truth: string[]; images: string[]; signal?: AbortSignal }): Promise<TruthReport> {
  const plots = opts.truth.flatMap((f) => readTruthFile(f));
  throwIfAborted(opts.signal);
  const card = JSON.parse(readFileSync(join(opts.modelDir, 'model.json'), 'utf8')) as { name: string; version: string };
  const { scanned, failed } = await scanAll(opts.images, opts.modelDir, opts.signal);
  const onImage = scanned.map((s) => plots.filter((p) => s.ground.some((g) => outlinesTouch(g, p.rings))));
  const scenes: SceneEval[] = scanned.map((s, k) => ({ plots: onImage[k], candidates: s.candidates, areaKm2: s.areaKm2 }));
  const files = scanned.map((s, k) => ({
    file: s.file,
    gsdM: s.gsdM,
    crs: s.crs,
    areaKm2: s.areaKm2,
    poorKm2: s.poorKm2,
    metrics: plotMetrics([scenes[k]]),
    unverified: s.unverified,
  }));
  const seen = new Set(onImage.flat());
  const missed = scanned.flatMap((s, k) =>
    onImage[k]
      .filter((p) => !s.candidates.some((c) => c.rings.some((r) => outlinesTouch(r, p.rings))))
      .map((p) => ({
        file: s.file,
        source: (p as TruthPlot).source,
        id: p.id,
        areaM2: Math.round(p.areaM2 * 100) / 100,
        stage: p.stage,
        properties: (p as TruthPlot).properties,
        lonLat: centroid(p.rings[0]),
      })),
  );
  const falseCandidates = scanned.flatMap((s, k) =>
    s.candidates
      .filter((c) => !onImage[k].some((p) => c.rings.some((r) => outlinesTouch(r, p.rings))))
      .map((c) => ({ file: s.file, lonLat: centroid(c.rings[0][0]), score: c.score })),
  );
  return {
    model: { name: card.name, version: card.version },
    truthFiles: opts.truth,
    files,
    overall: plotMetrics(scenes),
    byColour: recallBy(scenes, (p) => {
      const c = (p as TruthPlot).properties?.colour;
      return typeof c === 'string' ? c : undefined;
    }),
    byGsd: recallBy(scenes, (_p, k) => `${Math.round(scanned[k].gsdM * 100)}cm`),
    outside: plots.filter((p) => !seen.has(p)).map((p) => ({ id: p.id, source: p.source })),
    missed,
    falseCandidates,
    failed,
  };
}

/** The mean vertex of a ring (closing vertex left out): where to look for a missed plot. */
function centroid(ring: Array<[number, number]>): [number, number] {
  const pts = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

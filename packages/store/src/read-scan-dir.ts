import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isUnverifiedCandidate, type Candidate, type Polygonal } from '@tiandi/geo';
import { StoreError } from './errors';
import type { ScanData, ScanImage } from './import-scan';

const pos = z.tuple([z.number(), z.number()]).rest(z.number());
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(pos).min(4)).min(1) });
const polygonal = z.discriminatedUnion('type', [
  polygon,
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(pos).min(4)).min(1)).min(1) }),
]);
/** Footprints may be an empty MultiPolygon (an image with no valid data). */
const footprintGeometry = z.discriminatedUnion('type', [
  polygon,
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(pos).min(4)).min(1)) }),
]);

const CandidateFeature = z.object({
  type: z.literal('Feature'),
  geometry: polygonal,
  properties: z.looseObject({
    id: z.union([z.string(), z.number()]),
    score_max: z.number().min(0).max(1),
    score_mean: z.number().min(0).max(1).optional(),
    score_verify: z.number().min(0).max(1).optional(),
    p_poppy: z.number().min(0).max(1).optional(),
    unverified: z.boolean().optional(),
    area_m2: z.number().min(0).optional(),
    image: z.string().min(1),
    model: z.string().min(1),
    model_version: z.string().min(1),
  }),
});
const FootprintFeature = z.object({
  type: z.literal('Feature'),
  geometry: footprintGeometry,
  properties: z.looseObject({
    image: z.string().min(1),
    gsd_m: z.number().positive(),
    crs: z.union([z.string(), z.number()]).nullish(),
    width: z.number().int().nullish(),
    height: z.number().int().nullish(),
    acquired: z.string().nullish(),
    operator: z.string().nullish(),
    sha256: z.string().nullish(),
    pixel_sha256: z.string().nullish(),
    fingerprint: z.string().nullish(),
  }),
});
const FC = <T extends z.ZodTypeAny>(f: T) => z.object({ type: z.literal('FeatureCollection'), features: z.array(f) }).loose();

const strip = (g: { type: string; coordinates: unknown }) =>
  JSON.parse(JSON.stringify(g, (_k, v) => (Array.isArray(v) && typeof v[0] === 'number' ? v.slice(0, 2) : v)));

/**
 * Reads and validates a scan result folder (candidates.geojson, footprint.geojson, optional summary.json)
 * written by `tiandi scan`. Candidate ids become `<model>@<version>/<image>/<id>` so the same scan imported
 * twice, from any folder, gives the same ids.
 */
export async function readScanDir(dir: string, signal?: AbortSignal): Promise<ScanData> {
  const read = async (name: string, required: boolean) => {
    const p = join(dir, name);
    if (!existsSync(p)) {
      if (required) throw new StoreError('TIANDI_E_SCAN_DIR', `缺少 ${name} missing ${name}: is this a folder written by 'tiandi scan'?`, dir);
      return null;
    }
    try {
      return JSON.parse(await readFile(p, { encoding: 'utf8', signal }));
    } catch (e) {
      throw new StoreError('TIANDI_E_SCAN_DIR', `${name} 不是有效 JSON is not valid JSON (${(e as Error).message})`, p);
    }
  };
  const [fpRaw, cRaw, summary] = [await read('footprint.geojson', true), await read('candidates.geojson', true), await read('summary.json', false)];
  const fp = FC(FootprintFeature).safeParse(fpRaw);
  if (!fp.success) throw issue(join(dir, 'footprint.geojson'), fp.error);
  const cs = FC(CandidateFeature).safeParse(cRaw);
  if (!cs.success) throw issue(join(dir, 'candidates.geojson'), cs.error);
  const images: ScanImage[] = fp.data.features.map((f) => ({
    imageId: f.properties.image,
    geometry: strip(f.geometry) as Polygonal,
    gsdM: f.properties.gsd_m,
    crs: f.properties.crs == null ? null : String(f.properties.crs),
    width: f.properties.width ?? null,
    height: f.properties.height ?? null,
    acquired: f.properties.acquired ?? null,
    operator: f.properties.operator ?? null,
    sha256: f.properties.sha256 ?? f.properties.fingerprint ?? null,
    pixelSha256: f.properties.pixel_sha256 ?? null,
  }));
  const known = new Set(images.map((i) => i.imageId));
  const candidates: Candidate[] = cs.data.features.map((f, i) => {
    const p = f.properties;
    if (!known.has(p.image))
      throw new StoreError(
        'TIANDI_E_SCAN_DIR',
        `第 ${i + 1} 个候选的影像 ${p.image} 不在 footprint.geojson candidate ${i + 1} names image '${p.image}', which footprint.geojson does not list`,
        join(dir, 'candidates.geojson'),
      );
    const scanId = `${p.model}@${p.model_version}/${p.image}`;
    return {
      id: `${scanId}/${p.id}`,
      scanId,
      imageId: p.image,
      geometry: strip(f.geometry) as Polygonal,
      scoreMax: p.score_max,
      scoreMean: p.score_mean ?? p.score_max,
      scoreVerify: p.score_verify ?? null,
      ...(p.p_poppy === undefined ? {} : { pPoppy: p.p_poppy }),
      // Files from before the mark: no verifier score means no second stage judged it (a one-stage model's candidates).
      unverified: isUnverifiedCandidate({ unverified: p.unverified, scoreVerify: p.score_verify }),
      areaM2: p.area_m2 ?? 0,
      model: p.model,
      modelVersion: p.model_version,
    };
  });
  return { images, candidates, summary, source: dir };
}

function issue(path: string, e: z.ZodError): StoreError {
  const i = e.issues[0];
  return new StoreError('TIANDI_E_SCAN_DIR', `${i.path.join('.')}: ${i.message}`, path, i.path.join('.'));
}

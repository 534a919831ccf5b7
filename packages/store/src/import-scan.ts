import { bboxOf, isUnverifiedCandidate, mergeCandidates, type Candidate, type Polygonal, type Target } from '@tiandi/geo';
import { asMulti, readTargets, writeTarget } from './rows';
import { markStaleCertificates } from './mark-stale';
import { dbOf, type Workspace } from './workspace';

/** One image's footprint and metadata, as the scan pipeline writes it in footprint.geojson. */
export interface ScanImage {
  imageId: string;
  geometry: Polygonal;
  gsdM: number;
  crs: string | null;
  width: number | null;
  height: number | null;
  acquired: string | null;
  operator: string | null;
  sha256: string | null;
  /** Digest of the decoded pixels (tiles' imageDigests), when the scan computed it. */
  pixelSha256?: string | null;
}

/** A scan result folder, validated (see {@link readScanDir}). */
export interface ScanData {
  images: ScanImage[];
  candidates: Candidate[];
  summary: unknown;
  source: string | null;
}

export interface ImportScanResult {
  imagesAdded: string[];
  candidatesAdded: number;
  targetsCreated: string[];
  targetsChanged: string[];
  absorbed: { id: string; into: string }[];
  staleCertificates: string[];
  /** True when everything was already in the workspace (nothing written). */
  unchanged: boolean;
  /** Images whose content the workspace already holds under another id: neither they nor their candidates are recorded again. */
  sameImagery: SameImagery[];
}

/**
 * The workspace has scanned this content with this model version already (under any image id): scanning it
 * again would only repeat the same candidates. Returns the image id it holds the content under, or null.
 */
export function alreadyScanned(
  ws: Workspace,
  content: { sha256?: string | null; pixelSha256?: string | null },
  model: string,
  modelVersion: string,
): Omit<SameImagery, 'imageId'> | null {
  const same = findImageByContent(ws, content);
  if (!same) return null;
  return dbOf(ws).prepare('SELECT 1 FROM scans WHERE scan_id = ?').get(`${model}@${modelVersion}/${same.sameAs}`) ? same : null;
}

/** An image recognised as imagery the workspace already holds: which image it is, and by which digest. */
export interface SameImagery {
  imageId: string;
  sameAs: string;
  by: 'sha256' | 'pixels';
}

/**
 * The stored image with the same content as `im` (same file sha256, else same pixel digest), or null.
 * Images without digests (scans made before them) are never matched.
 */
export function findImageByContent(ws: Workspace, im: { sha256?: string | null; pixelSha256?: string | null }): Omit<SameImagery, 'imageId'> | null {
  if (im.sha256) {
    const r = dbOf(ws).prepare('SELECT image_id FROM images WHERE sha256 = ? ORDER BY fid LIMIT 1').get(im.sha256) as { image_id: string } | undefined;
    if (r) return { sameAs: r.image_id, by: 'sha256' };
  }
  if (im.pixelSha256) {
    const r = dbOf(ws).prepare('SELECT image_id FROM images WHERE pixel_sha256 = ? ORDER BY fid LIMIT 1').get(im.pixelSha256) as
      | { image_id: string }
      | undefined;
    if (r) return { sameAs: r.image_id, by: 'pixels' };
  }
  return null;
}

function sameInBatch(earlier: ScanImage[], im: ScanImage): Omit<SameImagery, 'imageId'> | null {
  const bySha = im.sha256 ? earlier.find((e) => e.sha256 === im.sha256) : undefined;
  if (bySha) return { sameAs: bySha.imageId, by: 'sha256' };
  const byPx = im.pixelSha256 ? earlier.find((e) => e.pixelSha256 === im.pixelSha256) : undefined;
  return byPx ? { sameAs: byPx.imageId, by: 'pixels' } : null;
}

export interface ImportScanOptions {
  /** Called during the transaction with (done, total) candidates written. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Records a scan's images, footprints and candidates, and merges the candidates into targets, as one
 * transaction. Re-importing the same scan changes nothing (no rows, no audit entry). Issued certificates
 * whose zone a new footprint touches are marked stale.
 */
export function importScan(ws: Workspace, scan: ScanData, actor: string, opts: ImportScanOptions = {}): ImportScanResult {
  return ws.write(actor, (audit) => {
    const { newImages, sameImagery, newCands } = whatIsNew(ws, scan);
    const res: ImportScanResult = {
      imagesAdded: [],
      candidatesAdded: 0,
      targetsCreated: [],
      targetsChanged: [],
      absorbed: [],
      staleCertificates: [],
      unchanged: true,
      sameImagery,
    };
    for (const d of sameImagery) audit('image.same_imagery', d.imageId, { same_as: d.sameAs, by: d.by, source: scan.source });
    if (newImages.length === 0 && newCands.length === 0) return res;
    res.unchanged = false;
    res.imagesAdded = insertImages(ws, newImages);
    const scans = insertScans(ws, scan, newImages, newCands);
    res.candidatesAdded = insertCandidates(ws, newCands, opts.onProgress);
    const changed = mergeIntoTargets(ws, newCands, res, audit);
    audit('scan.import', [...scans].join(',') || newImages.map((i) => i.imageId).join(','), {
      source: scan.source,
      images_added: res.imagesAdded,
      candidates_added: res.candidatesAdded,
      targets_created: res.targetsCreated,
      targets_changed: res.targetsChanged,
    });
    res.staleCertificates = markStaleCertificates(
      ws,
      [...newImages.filter((i) => asMulti(i.geometry).coordinates.length > 0).map((i) => i.geometry), ...changed.map((t) => t.geometry)],
      `新影像或候选 new scan evidence (${res.imagesAdded.length} images, ${res.candidatesAdded} candidates)`,
      audit,
    );
    return res;
  });
}

type Audit = (action: string, subject: string, payload?: unknown) => unknown;

/**
 * The scan's images and candidates the workspace does not hold yet. The same imagery under another name (or twice in
 * this scan) is recognised by content and not recorded again; its candidates move to the image it copies.
 */
function whatIsNew(ws: Workspace, scan: ScanData): { newImages: ScanImage[]; sameImagery: SameImagery[]; newCands: Candidate[] } {
  const hasImage = dbOf(ws).prepare('SELECT 1 FROM images WHERE image_id = ?');
  const hasCand = dbOf(ws).prepare('SELECT 1 FROM candidates WHERE candidate_id = ?');
  const once = <T>(key: (x: T) => string) => {
    const seen = new Set<string>();
    return (x: T) => !seen.has(key(x)) && !!seen.add(key(x));
  };
  const fresh = scan.images.filter(once((i: ScanImage) => i.imageId)).filter((i) => !hasImage.get(i.imageId));
  const sameImagery: SameImagery[] = [];
  const newImages: ScanImage[] = [];
  for (const im of fresh) {
    const same = findImageByContent(ws, im) ?? sameInBatch(newImages, im);
    if (same) sameImagery.push({ imageId: im.imageId, ...same });
    else newImages.push(im);
  }
  const sameAs = new Map(sameImagery.map((d) => [d.imageId, d.sameAs]));
  const hasScan = dbOf(ws).prepare('SELECT 1 FROM scans WHERE scan_id = ?');
  const newCands = scan.candidates
    .flatMap((c) => {
      const to = sameAs.get(c.imageId);
      if (!to) return [c];
      // Candidates of a copy belong to the image it copies: dropped when that model version already scanned it, else kept under it.
      const scanId = `${c.model}@${c.modelVersion}/${to}`;
      if (hasScan.get(scanId)) return [];
      return [{ ...c, id: scanId + c.id.slice(c.scanId.length), scanId, imageId: to }];
    })
    .filter(once((c: Candidate) => c.id))
    .filter((c) => !hasCand.get(c.id));
  return { newImages, sameImagery, newCands };
}

/** Image footprints (an image with no footprint is kept without geometry); returns their ids. */
function insertImages(ws: Workspace, newImages: ScanImage[]): string[] {
  const insImage = dbOf(ws).prepare(
    `INSERT INTO images (geom, image_id, crs, gsd_m, width, height, acquired, operator, sha256, pixel_sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const added: string[] = [];
  for (const im of newImages) {
    const g = asMulti(im.geometry);
    const empty = g.coordinates.length === 0;
    insImage.run(
      empty ? null : ws.blob(g),
      im.imageId,
      im.crs,
      im.gsdM,
      im.width,
      im.height,
      im.acquired,
      im.operator,
      im.sha256,
      im.pixelSha256 ?? null,
      ws.now(),
    );
    if (!empty) ws.extendLayer('images', g);
    added.push(im.imageId);
  }
  return added;
}

/** One scans row per (model version, image) with its candidate count; returns the ids of the scans that had candidates. */
function insertScans(ws: Workspace, scan: ScanData, newImages: ScanImage[], newCands: Candidate[]): Set<string> {
  const scans = new Map<string, Candidate[]>();
  for (const c of newCands) scans.set(c.scanId, [...(scans.get(c.scanId) ?? []), c]);
  const insScan = dbOf(ws).prepare(
    `INSERT INTO scans (scan_id, image_id, model, model_version, candidate_count, summary_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(scan_id) DO UPDATE SET candidate_count = candidate_count + excluded.candidate_count`,
  );
  for (const [scanId, cs] of scans)
    insScan.run(scanId, cs[0].imageId, cs[0].model, cs[0].modelVersion, cs.length, scan.summary == null ? null : JSON.stringify(scan.summary), ws.now());
  // An image the model found nothing on was scanned all the same: recorded, so the same imagery is not scanned again.
  const by = scan.summary as { model?: unknown; model_version?: unknown } | null;
  if (by && typeof by.model === 'string' && typeof by.model_version === 'string') {
    for (const im of newImages) {
      const scanId = `${by.model}@${by.model_version}/${im.imageId}`;
      if (!scans.has(scanId)) insScan.run(scanId, im.imageId, by.model, by.model_version, 0, JSON.stringify(scan.summary), ws.now());
    }
  }
  return new Set(scans.keys());
}

/** Candidate rows (not yet tied to a target), with progress every 500; the layer's extent grows to hold them. Returns how many. */
function insertCandidates(ws: Workspace, newCands: Candidate[], onProgress: ImportScanOptions['onProgress']): number {
  const insCand = dbOf(ws).prepare(
    `INSERT INTO candidates (geom, candidate_id, scan_id, image_id, score_max, score_mean, score_verify, p_poppy, unverified, area_m2, model, model_version, target_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const total = newCands.length;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  newCands.forEach((c, i) => {
    insCand.run(
      ws.blob(asMulti(c.geometry)),
      c.id,
      c.scanId,
      c.imageId,
      c.scoreMax,
      c.scoreMean,
      c.scoreVerify ?? null,
      c.pPoppy ?? null,
      isUnverifiedCandidate(c) ? 1 : 0,
      c.areaM2,
      c.model,
      c.modelVersion,
    );
    const b = bboxOf(c.geometry);
    minX = Math.min(minX, b[0]);
    minY = Math.min(minY, b[1]);
    maxX = Math.max(maxX, b[2]);
    maxY = Math.max(maxY, b[3]);
    if (onProgress && (i % 500 === 499 || i === total - 1)) onProgress(i + 1, total);
  });
  if (total > 0)
    ws.extendLayer('candidates', {
      type: 'MultiPoint',
      coordinates: [
        [minX, minY],
        [maxX, maxY],
      ],
    });
  return total;
}

/**
 * Merges the new candidates into the targets: created and changed targets are written and their candidates tied to
 * them; absorbed targets are deleted and their reports moved to the target that took them. Returns the changed targets.
 */
function mergeIntoTargets(ws: Workspace, newCands: Candidate[], res: ImportScanResult, audit: Audit): Target[] {
  const existing = readTargets(ws);
  const before = new Set(existing.map((t) => t.id));
  const merged = mergeCandidates(existing, newCands);
  const byId = new Map(merged.targets.map((t) => [t.id, t]));
  const setTarget = dbOf(ws).prepare('UPDATE candidates SET target_id = ? WHERE candidate_id = ?');
  for (const id of merged.changedIds) {
    const t = byId.get(id)!;
    writeTarget(ws, t);
    for (const s of t.sources) setTarget.run(t.id, s);
    (before.has(id) ? res.targetsChanged : res.targetsCreated).push(id);
  }
  for (const a of merged.absorbed) {
    dbOf(ws).prepare('DELETE FROM targets WHERE target_id = ?').run(a.id);
    dbOf(ws).prepare('UPDATE reports SET target_id = ? WHERE target_id = ?').run(a.into, a.id);
    audit('target.merge', a.id, { into: a.into });
  }
  res.absorbed = merged.absorbed;
  return merged.changedIds.map((id) => byId.get(id)!);
}

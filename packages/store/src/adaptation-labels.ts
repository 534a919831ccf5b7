import { bboxOf, type Polygonal } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { listTargets } from './targets';
import { trainingLabels } from './training-labels';
import { dbOf, type Workspace } from './workspace';

/** One place a verifier window should be read for local adaptation (issue 17): a label at a point of one image. */
export interface AdaptationPoint {
  target_id: string;
  /** 1 poppy, 0 not poppy. */
  label: 0 | 1;
  /** 'desk' (not poppy at the desk), 'ground' (a team's verdict) or 'missed_by_scan' (a plot found on foot). */
  source: 'desk' | 'ground' | 'missed_by_scan';
  image_id: string;
  image_sha256: string | null;
  /** WGS 84 [lon, lat] the window is centred on. */
  lonLat: [number, number];
}

/** The mean of a polygonal geometry's outer-ring vertices: inside any compact plot, and cheap. */
export function ringCentre(g: Polygonal): [number, number] {
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  return [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length];
}

/**
 * The workspace's labels for adapting the verifier, one point per label and image: desk "not poppy" decisions
 * are negatives (a desk "poppy-like" is a request for a visit, not a label); confirmed and eradicated targets are
 * positives, ground negatives negatives; a plot the scan missed is a positive on every image whose footprint
 * covers it. Candidates are read where each was found (their own image).
 */
export function adaptationPoints(ws: Workspace): AdaptationPoint[] {
  const labels = trainingLabels(ws, { includeDesk: true }).features.filter((f) => !(f.properties.source === 'desk' && f.properties.label === 'poppy'));
  // A desk dismissal made outside the gallery (`tiandi targets dismiss`) has no triage row: a desk negative too.
  const have = new Set(labels.map((f) => f.properties.target_id));
  for (const t of listTargets(ws, { status: 'dismissed_desk' })) {
    if (have.has(t.id) || t.review) continue;
    labels.push({
      type: 'Feature',
      id: t.id,
      geometry: t.geometry,
      properties: {
        target_id: t.id,
        label: 'not_poppy',
        class: 'not_poppy',
        missed_by_scan: t.missedByScan,
        what: null,
        score_max: t.scoreMax,
        images: [],
        status: t.status,
        source: 'desk',
      },
    });
  }
  const candidatesOf = dbOf(ws).prepare('SELECT geom, image_id FROM candidates WHERE target_id = ? AND geom IS NOT NULL ORDER BY fid');
  const images = dbOf(ws).prepare('SELECT image_id, sha256, geom FROM images ORDER BY fid').all() as {
    image_id: string;
    sha256: string | null;
    geom: Buffer | null;
  }[];
  const shaOf = new Map(images.map((i) => [i.image_id, i.sha256]));
  const boxes = images.filter((i) => i.geom).map((i) => ({ id: i.image_id, box: bboxOf(fromGpkgBlob(i.geom!)) }));
  const out: AdaptationPoint[] = [];
  for (const f of labels) {
    const p = f.properties;
    const label = p.label === 'poppy' ? 1 : 0;
    const source = p.source === 'desk' ? 'desk' : p.missed_by_scan ? 'missed_by_scan' : 'ground';
    const cands = candidatesOf.all(p.target_id) as { geom: Buffer; image_id: string }[];
    if (cands.length) {
      for (const c of cands)
        out.push({
          target_id: p.target_id,
          label,
          source,
          image_id: c.image_id,
          image_sha256: shaOf.get(c.image_id) ?? null,
          lonLat: ringCentre(fromGpkgBlob(c.geom) as Polygonal),
        });
      continue;
    }
    const at = ringCentre(f.geometry);
    for (const { id, box } of boxes) {
      if (at[0] >= box[0] && at[0] <= box[2] && at[1] >= box[1] && at[1] <= box[3])
        out.push({ target_id: p.target_id, label, source, image_id: id, image_sha256: shaOf.get(id) ?? null, lonLat: at });
    }
  }
  return out;
}

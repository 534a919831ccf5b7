import { StoreError } from './errors';
import { dbOf, type Workspace } from './workspace';

/** A GeoTIFF the map shows beside the uploads: a flight block's orthophoto or a scan's heatmap. */
export interface RasterRecord {
  kind: 'ortho' | 'heatmap';
  name: string;
  /** Absolute path of the file on the machine that serves the map. */
  file: string;
  imageId: string | null;
}

/** The listed rasters, in the order listed. */
export function readRasterList(ws: Workspace): RasterRecord[] {
  const rows = dbOf(ws).prepare('SELECT kind, name, file, image_id FROM rasters ORDER BY fid').all() as {
    kind: RasterRecord['kind'];
    name: string;
    file: string;
    image_id: string | null;
  }[];
  return rows.map((r) => ({ kind: r.kind, name: r.name, file: r.file, imageId: r.image_id }));
}

/**
 * Replaces the raster list with `list` (one transaction, audited), or does nothing when it is the same
 * list: the demo sets it on every start and a restart should leave no trace in the audit log.
 */
export function setRasterList(ws: Workspace, list: RasterRecord[], source: string, actor: string): { changed: boolean } {
  for (const [i, r] of list.entries()) {
    if (r.kind !== 'ortho' && r.kind !== 'heatmap')
      throw new StoreError('TIANDI_E_INPUT', `栅格类型须为 ortho 或 heatmap kind must be 'ortho' or 'heatmap', not '${String(r.kind)}'`, source, `[${i}].kind`);
    if (typeof r.file !== 'string' || !r.file) throw new StoreError('TIANDI_E_INPUT', '缺少栅格文件路径 file is missing', source, `[${i}].file`);
  }
  const same = (a: RasterRecord, b: RasterRecord) => a.kind === b.kind && a.name === b.name && a.file === b.file && (a.imageId ?? null) === (b.imageId ?? null);
  const current = readRasterList(ws);
  if (current.length === list.length && current.every((c, i) => same(c, list[i]))) return { changed: false };
  return ws.write(actor, (audit) => {
    dbOf(ws).prepare('DELETE FROM rasters').run();
    const ins = dbOf(ws).prepare('INSERT OR IGNORE INTO rasters (kind, name, file, image_id) VALUES (?, ?, ?, ?)');
    for (const r of list) ins.run(r.kind, r.name, r.file, r.imageId ?? null);
    audit('rasters.set', source, { rasters: list.length });
    return { changed: true };
  });
}

import type { BoundaryPreviewView } from '@tiandi/api';
import { StoreError } from '../errors';
import type { BoundaryFeature, BoundaryFile } from './boundary-file';

/** Field names that usually hold a zone's code or name in Chinese boundary data and in GIS exports, best first. */
const ID_NAMES = [
  'zone_id',
  'xzqdm',
  'xzqhdm',
  'xzqh_dm',
  'adcode',
  'code',
  'dm',
  'cun_dm',
  'xiang_dm',
  'id',
  '区划代码',
  '行政区划代码',
  '代码',
  '编码',
  '编号',
];
const NAME_NAMES = ['name', 'xzqmc', 'xzqhmc', 'mc', 'cun_mc', 'xiang_mc', '名称', '区划名称', '行政区划名称', '村名', '乡镇名', '名字'];

/** One field of a boundary file with a few of its values (and how many distinct ones), for `zones import --preview`. */
export type FieldPreview = BoundaryPreviewView['fields'][number];

/** What `zones import --preview` shows (the API's preview, with the format narrowed to the ones read). */
export interface BoundaryPreview extends BoundaryPreviewView {
  format: BoundaryFile['format'];
}

const isPolygonal = (f: BoundaryFeature) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon' || f.geometry?.type === 'GeometryCollection';

function pick(fields: string[], wanted: string[], ok: (f: string) => boolean): string | undefined {
  for (const w of wanted) {
    const f = fields.find((x) => x.toLowerCase() === w.toLowerCase());
    if (f && ok(f)) return f;
  }
  return undefined;
}

/** Fields, samples and suggested id/name fields of a boundary file. */
export function previewBoundary(b: BoundaryFile): BoundaryPreview {
  const polys = b.features.filter(isPolygonal);
  const values = (field: string) =>
    polys
      .map((f) => f.properties[field])
      .filter((v) => v !== null && v !== undefined && String(v).trim() !== '')
      .map((v) => String(v).trim());
  const fields = b.fields.map((name) => {
    const v = values(name);
    return { name, samples: [...new Set(v)].slice(0, 3), distinct: new Set(v).size };
  });
  const unique = (f: string) => fields.find((x) => x.name === f)?.distinct === polys.length;
  const idField = pick(b.fields, ID_NAMES, unique);
  const nameField = pick(b.fields, NAME_NAMES, (f) => (fields.find((x) => x.name === f)?.distinct ?? 0) > 0);
  return {
    format: b.format,
    crs: b.crs,
    features: b.features.length,
    polygons: polys.length,
    fields,
    idField,
    nameField,
    layers: b.layers,
    layer: b.layer,
    encoding: b.encoding,
    note: b.note,
  };
}

/** Options of {@link zoneCollection}. */
export interface ZoneFieldOptions {
  idField?: string;
  nameField?: string;
}

/** A KML MultiGeometry of polygons as one MultiPolygon; anything else as it is. */
function polygonal(g: NonNullable<BoundaryFeature['geometry']>): { type: string; coordinates: unknown } | undefined {
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return g;
  if (g.type !== 'GeometryCollection') return undefined;
  const parts = ((g as unknown as { geometries: { type: string; coordinates: unknown }[] }).geometries ?? []).flatMap((p) =>
    p.type === 'Polygon' ? [p.coordinates] : p.type === 'MultiPolygon' ? (p.coordinates as unknown[]) : [],
  );
  return parts.length ? { type: 'MultiPolygon', coordinates: parts } : undefined;
}

/**
 * The boundary file's polygons as the GeoJSON FeatureCollection `importZones` takes: `zone_id` and `name` from
 * the mapped (or suggested) fields; `level` and `parent` kept when the file has them. Points and lines are left out.
 * @throws StoreError `TIANDI_E_INPUT` when no id field is given or found, or a named field does not exist.
 */
export function zoneCollection(b: BoundaryFile, opts: ZoneFieldOptions, file?: string): { type: 'FeatureCollection'; features: unknown[]; left_out: number } {
  const preview = previewBoundary(b);
  const has = (f: string) => b.fields.includes(f);
  for (const [flag, f] of [
    ['--id-field', opts.idField],
    ['--name-field', opts.nameField],
  ] as const) {
    if (f !== undefined && !has(f))
      throw new StoreError('TIANDI_E_INPUT', `${flag} '${f}' 不是此文件的字段 is not a field of this file (fields: ${b.fields.join(', ') || 'none'})`, file);
  }
  const idField = opts.idField ?? preview.idField;
  const nameField = opts.nameField ?? preview.nameField;
  if (!idField)
    throw new StoreError(
      'TIANDI_E_INPUT',
      `找不到编号字段 no id field found among ${b.fields.join(', ') || 'no fields'}: pass --id-field <field> (tiandi zones import <file> --preview lists the fields)`,
      file,
    );
  let leftOut = 0;
  const features: unknown[] = [];
  for (const f of b.features) {
    const g = f.geometry && polygonal(f.geometry);
    if (!g) {
      leftOut++;
      continue;
    }
    const p = f.properties;
    features.push({
      type: 'Feature',
      geometry: g,
      properties: {
        zone_id: p[idField] === null || p[idField] === undefined ? '' : String(p[idField]).trim(),
        ...(nameField && p[nameField] != null ? { name: String(p[nameField]).trim() } : {}),
        ...(typeof p.level === 'string' ? { level: p.level } : {}),
        ...(typeof p.parent === 'string' ? { parent: p.parent } : {}),
      },
    });
  }
  return { type: 'FeatureCollection', features, left_out: leftOut };
}

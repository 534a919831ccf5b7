/**
 * Reports exported by other field apps (ODK Collect / KoboToolbox CSV, QField or Survey123 GeoJSON,
 * plain spreadsheets with Chinese headers) → the workspace report schema, so a team that used
 * another tool is not lost. Pure (runs in the browser too): text in, canonical GeoJSON features with
 * their row numbers and per-row problems out; {@link parseGroundReport} then validates each feature.
 * Used by the store's report import (`tiandi reports import`) and the server's import endpoint.
 */

import { readCsvRecords } from './read-csv-records';

/** Canonical report properties (the workspace schema) and the column names other tools use for them. */
export const REPORT_FIELD_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  report_id: ['report_id', 'reportid', 'instanceid', 'meta/instanceid', '_uuid', 'uuid', 'globalid', 'id', '编号', '报告编号'],
  target_id: ['target_id', 'targetid', 'target', 'plot_id', 'plotid', '目标', '目标编号'],
  verdict: ['verdict', 'result', 'finding', 'outcome', 'status', '结论', '核查结论'],
  what: ['what', 'crop', 'actual_crop', 'not_poppy_what', '实际作物', '实际是什么'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x', '_geolocation_longitude', 'gps_longitude', 'location_longitude', '_location_longitude', '经度'],
  lat: ['lat', 'latitude', 'y', '_geolocation_latitude', 'gps_latitude', 'location_latitude', '_location_latitude', '纬度'],
  accuracy_m: [
    'accuracy_m',
    'accuracy',
    'precision',
    'gps_accuracy',
    '_geolocation_precision',
    'gps_precision',
    'location_precision',
    '_location_precision',
    'horizontal_accuracy',
    'hacc',
    '精度',
  ],
  observed_at: [
    'observed_at',
    'observed',
    'time',
    'timestamp',
    'datetime',
    'date',
    'end',
    '_submission_time',
    'creationdate',
    'created',
    'start',
    '时间',
    '核查时间',
  ],
  team: ['team', 'team_id', 'group', 'crew', '外业组', '小组'],
  plant_count: ['plant_count', 'plants', 'count', 'plantcount', '株数'],
  area_m2: ['area_m2', 'area', 'area_sqm', '面积', '面积_m2'],
  photos: ['photos', 'photo', 'image', 'images', 'picture', 'pictures', 'attachments', '照片'],
  notes: ['notes', 'note', 'remarks', 'remark', 'comment', 'comments', 'description', '备注'],
  geopoint: ['location', 'gps', 'geopoint', '_geolocation', '位置'],
});

const VERDICT_WORDS: [RegExp, string][] = [
  [/^(confirmed_poppy|confirmed|poppy|poppy_confirmed|yes_poppy|确认罂粟|罂粟|发现罂粟)$/i, 'confirmed_poppy'],
  [/^(eradicated|destroyed|removed|已铲除|铲除)$/i, 'eradicated'],
  [/^(not_poppy|not poppy|other|other_crop|other crop|不是罂粟|非罂粟|其他作物)$/i, 'not_poppy'],
  [/^(nothing_found|nothing|none|not_found|no|negative|未发现|无)$/i, 'nothing_found'],
  [/^(inaccessible|no_access|no access|unreachable|无法到达|不可达)$/i, 'inaccessible'],
];

/** One report in the workspace schema: a GeoJSON Point feature with canonical properties. */
export interface NormalizedReportFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, unknown>;
}

/** What a normalisation produced. */
export interface NormalizedReports {
  /** Good records, each with its row number (CSV: record number, header = 1; GeoJSON: feature number). */
  features: (NormalizedReportFeature & { row: number })[];
  rejected: { row: number; message: string }[];
  /** Source column → canonical field, for the user to check. */
  mapping: Record<string, string>;
  /** A CSV that cannot be split into rows (unclosed quote …): no feature is returned, the file is to be refused. */
  syntaxError?: { line: number; message: string };
}

const key = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/^.*\//, (m) => (m === 'meta/' ? m : ''))
    .replace(/\s+/g, '_');

function mapColumns(columns: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [canonical, aliases] of Object.entries(REPORT_FIELD_ALIASES)) {
    for (const alias of aliases) {
      const col = columns.find((c) => !mapping[c] && key(c) === alias);
      if (col && !taken.has(canonical)) {
        mapping[col] = canonical;
        taken.add(canonical);
        break;
      }
    }
  }
  return mapping;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : null;
}

function toIso(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number' || /^\d{12,}$/.test(String(v))) {
    // Epoch milliseconds; beyond ±8.64e15 (year 275 760) there is no date, and toISOString would throw.
    const d = new Date(Number(v));
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  const s = String(v)
    .trim()
    .replace(/^(\d{4})\/(\d{1,2})\/(\d{1,2})/, (_m, y, mo, d) => `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`)
    .replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  return Number.isNaN(Date.parse(s)) ? null : s;
}

/** Normalises one record (already split into named values) into a canonical feature, or says what is missing. */
function normalizeRecord(
  values: Record<string, unknown>,
  mapping: Record<string, string>,
  geometry: [number, number] | null,
  defaultTeam: string | null,
): NormalizedReportFeature | string {
  const get = (canonical: string) => {
    const col = Object.keys(mapping).find((c) => mapping[c] === canonical);
    return col === undefined ? undefined : values[col];
  };
  let lon = toNumber(get('lon'));
  let lat = toNumber(get('lat'));
  let accuracy = toNumber(get('accuracy_m'));
  const gp = get('geopoint');
  if ((lon === null || lat === null) && typeof gp === 'string' && gp.trim()) {
    const [a, b, , acc] = gp
      .trim()
      .split(/[\s,]+/)
      .map(Number); // ODK geopoint: "lat lon alt accuracy"
    if (Number.isFinite(a) && Number.isFinite(b)) [lat, lon] = [a, b];
    if (accuracy === null && Number.isFinite(acc)) accuracy = acc;
  }
  if ((lon === null || lat === null) && geometry) [lon, lat] = geometry;
  if (lon === null || lat === null) return '缺少位置 no position: need lon/lat (or longitude/latitude, x/y, an ODK geopoint) columns';
  const rawVerdict = String(get('verdict') ?? '').trim();
  const verdict = VERDICT_WORDS.find(([re]) => re.test(rawVerdict))?.[1];
  if (!verdict)
    return `结论无法识别 verdict '${rawVerdict}' not recognised: confirmed_poppy, eradicated, not_poppy, nothing_found or inaccessible (or 确认罂粟/已铲除/不是罂粟/未发现/无法到达)`;
  const id = String(get('report_id') ?? '')
    .trim()
    .replace(/^uuid:/, '');
  if (!id) return '缺少报告编号 no report id column (report_id, instanceID, _uuid or globalid)';
  const observed = toIso(get('observed_at'));
  if (!observed) return `时间无效 observed_at missing or not a date: '${String(get('observed_at') ?? '')}'`;
  const photoNames = String(get('photos') ?? '')
    .split(/[;|\s]+/)
    .filter(Boolean);
  const notes = [String(get('notes') ?? '').trim(), photoNames.length ? `照片未随文件导入 photos not imported: ${photoNames.join(', ')}` : '']
    .filter(Boolean)
    .join(' · ');
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      report_id: id,
      target_id: String(get('target_id') ?? '').trim() || null,
      verdict,
      what: String(get('what') ?? '').trim() || (verdict === 'not_poppy' ? '未注明 unspecified' : null),
      accuracy_m: accuracy ?? 10,
      observed_at: observed,
      team: String(get('team') ?? '').trim() || defaultTeam,
      plant_count: toNumber(get('plant_count')) === null ? null : Math.round(toNumber(get('plant_count'))!),
      area_m2: toNumber(get('area_m2')),
      photos: [],
      notes: notes || null,
    },
  };
}

/**
 * Maps source columns onto canonical report fields (first alias wins; group prefixes such as
 * `group_a/` are dropped, `meta/` kept). Returns source column → canonical field.
 *
 * @example
 * mapReportColumns(['meta/instanceID', '_geolocation_latitude', '结论']);
 * // { 'meta/instanceID': 'report_id', _geolocation_latitude: 'lat', 结论: 'verdict' }
 */
export function mapReportColumns(columns: readonly string[]): Record<string, string> {
  return mapColumns([...columns]);
}

/** The separator of a CSV export: comma, semicolon or tab, whichever splits the header line most. */
export function csvSeparator(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return [',', ';', '\t'].sort((x, y) => first.split(y).length - first.split(x).length)[0];
}

/**
 * Splits CSV text (RFC 4180 quotes, comma or semicolon or tab separated) into rows of cells, blank rows dropped.
 * @throws SyntaxError naming the line of an unclosed quote or of text after a closing quote ({@link readCsvRecords}).
 */
export function splitCsvRows(text: string): string[][] {
  const r = readCsvRecords(text, csvSeparator(text));
  if (!r.ok) throw new SyntaxError(r.message);
  return r.records.map((x) => x.cells).filter((cells) => cells.some((c) => c.trim() !== ''));
}

/**
 * Normalises a CSV or GeoJSON export of another field app. Rows that cannot be understood come back
 * in `rejected` with their row number (CSV: record number, header = 1; GeoJSON: feature number).
 * Photos named in the export are not imported (the names go into `notes`).
 *
 * @example
 * const r = normalizeFieldAppReports('_uuid,result,_geolocation_latitude,_geolocation_longitude,end\nu1,poppy,25,100,2026-04-20T09:00+08:00');
 * r.features[0].properties.verdict; // 'confirmed_poppy'
 */
export function normalizeFieldAppReports(text: string, opts: { defaultTeam?: string | null } = {}): NormalizedReports {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const out: NormalizedReports = { features: [], rejected: [], mapping: {} };
  if (trimmed.startsWith('{')) {
    let fc: {
      features?: { geometry?: { type?: string; coordinates?: number[] }; properties?: Record<string, unknown>; attributes?: Record<string, unknown> }[];
    };
    try {
      fc = JSON.parse(trimmed);
    } catch (e) {
      out.rejected.push({ row: 0, message: `不是有效的 JSON invalid JSON: ${(e as Error).message}` });
      return out;
    }
    const feats = fc.features ?? [];
    const columns = [...new Set(feats.flatMap((f) => Object.keys(f.properties ?? f.attributes ?? {})))];
    out.mapping = mapColumns(columns);
    feats.forEach((f, i) => {
      const g =
        f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates)
          ? ([f.geometry.coordinates[0], f.geometry.coordinates[1]] as [number, number])
          : null;
      const r = normalizeRecord(f.properties ?? f.attributes ?? {}, out.mapping, g, opts.defaultTeam ?? null);
      if (typeof r === 'string') out.rejected.push({ row: i + 1, message: r });
      else out.features.push({ ...r, row: i + 1 });
    });
    return out;
  }
  const csv = readCsvRecords(trimmed, csvSeparator(trimmed));
  if (!csv.ok) {
    // The whole file is refused: past a broken quote no row can be trusted.
    out.rejected.push({ row: csv.line, message: csv.message });
    out.syntaxError = { line: csv.line, message: csv.message };
    return out;
  }
  const rows = csv.records.filter((x) => x.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) return out;
  const header = rows[0].cells.map((h) => h.trim());
  out.mapping = mapColumns(header);
  rows.slice(1).forEach(({ cells }, i) => {
    const values = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
    const r = normalizeRecord(values, out.mapping, null, opts.defaultTeam ?? null);
    if (typeof r === 'string') out.rejected.push({ row: i + 2, message: r });
    else out.features.push({ ...r, row: i + 2 });
  });
  return out;
}

import { didYouMean, normalizeFieldAppReports, parseGroundReport, readCsvRecords, REPORT_FIELD_ALIASES, type GroundReport } from '@tiandi/geo';
import { StoreError } from './errors';

/** One report row: its row number in the file (GeoJSON: feature number; CSV: line number, header = 1). */
export interface ReportRow {
  row: number;
  report: GroundReport;
}
export interface RejectedRow {
  row: number;
  message: string;
}

const CSV_COLUMNS = [
  'report_id',
  'target_id',
  'verdict',
  'what',
  'lon',
  'lat',
  'accuracy_m',
  'observed_at',
  'team',
  'plant_count',
  'area_m2',
  'photos',
  'notes',
];
const NUMERIC = new Set(['accuracy_m', 'plant_count', 'area_m2', 'lon', 'lat']);
/** GeoJSON properties of the workspace schema (the position is the geometry). */
const PROPERTIES = CSV_COLUMNS.filter((c) => c !== 'lon' && c !== 'lat');

/**
 * Parses a reports file: a GeoJSON FeatureCollection of Point features (properties as in docs/domain.md) or a
 * CSV with the header `report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes`
 * (photos separated by ';'). Exports of other field apps (ODK/KoboToolbox CSV, QField/Survey123 GeoJSON,
 * spreadsheets with Chinese headers) are recognised by their columns and mapped onto the same fields with
 * {@link normalizeFieldAppReports} (their photos are not imported: the names go into the notes).
 * Every row is validated on its own: good rows are returned, bad rows come back with one message each.
 * A file that cannot be read as either format, or lacks a report id, verdict, time or position column,
 * throws TIANDI_E_INPUT.
 */
export function parseReportsFile(text: string, fileName: string): { rows: ReportRow[]; rejected: RejectedRow[] } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  return trimmed.startsWith('{') ? parseGeoJson(trimmed, fileName) : parseCsv(trimmed, fileName);
}

function parseGeoJson(text: string, file: string) {
  let fc: { type?: string; features?: unknown[] };
  try {
    fc = JSON.parse(text);
  } catch (e) {
    throw new StoreError('TIANDI_E_INPUT', `不是有效的 JSON invalid JSON (${(e as Error).message}): export the reports as GeoJSON or CSV`, file);
  }
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new StoreError('TIANDI_E_INPUT', '不是 GeoJSON FeatureCollection not a GeoJSON FeatureCollection of Point features', file);
  const keys = new Set(fc.features.flatMap((f) => Object.keys((f as { properties?: object })?.properties ?? (f as { attributes?: object })?.attributes ?? {})));
  if (!isOurSchema([...keys], PROPERTIES)) return parseOtherApp(text, [...keys], file, true);
  const rows: ReportRow[] = [];
  const rejected: RejectedRow[] = [];
  fc.features.forEach((f, i) => {
    const feat = f as { geometry?: { type?: string; coordinates?: unknown }; properties?: unknown };
    if (feat?.geometry?.type !== 'Point') return void rejected.push({ row: i + 1, message: '几何应为点 geometry must be a Point [lon, lat]' });
    const r = parseGroundReport(feat.properties ?? {}, feat.geometry.coordinates);
    if (r.ok) rows.push({ row: i + 1, report: r.report });
    else rejected.push({ row: i + 1, message: r.message });
  });
  return { rows, rejected };
}

function parseCsv(text: string, file: string) {
  const csv = readCsvRecords(text);
  // A broken quote refuses the whole file: the rows after it cannot be trusted, so none is half-imported.
  if (!csv.ok) throw new StoreError('TIANDI_E_INPUT', `CSV 格式错误 malformed CSV: ${csv.message}`, file, `line ${csv.line}`);
  const lines = csv.records.map((r) => r.cells);
  if (lines.length === 0) throw new StoreError('TIANDI_E_INPUT', '空文件 empty file', file);
  const header = lines[0].map((h) => h.trim());
  if (!isOurSchema(header, CSV_COLUMNS)) return parseOtherApp(text, header, file, false);
  const unknown = header.filter((h) => !CSV_COLUMNS.includes(h));
  if (unknown.length || !header.includes('report_id')) {
    throw new StoreError(
      'TIANDI_E_INPUT',
      `CSV 表头无效 bad CSV header${unknown.length ? ` (unknown column '${unknown[0]}'${didYouMean(unknown[0], CSV_COLUMNS)})` : ''}: expected ${CSV_COLUMNS.join(',')}`,
      file,
    );
  }
  const rows: ReportRow[] = [];
  const rejected: RejectedRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i];
    if (cells.every((c) => c.trim() === '')) continue;
    const row = i + 1;
    if (cells.length !== header.length) {
      rejected.push({ row, message: `列数为 ${cells.length}，应为 ${header.length} has ${cells.length} columns, header has ${header.length}` });
      continue;
    }
    const props: Record<string, unknown> = {};
    let bad: string | null = null;
    header.forEach((h, k) => {
      const v = cells[k].trim();
      if (v === '') return;
      if (NUMERIC.has(h)) {
        const n = Number(v);
        if (!Number.isFinite(n)) bad ??= `${h}: 不是数字 not a number '${v}'`;
        props[h] = n;
      } else if (h === 'photos')
        props.photos = v
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean);
      else props[h] = v;
    });
    if (bad) {
      rejected.push({ row, message: bad });
      continue;
    }
    const { lon, lat, ...rest } = props;
    const r = parseGroundReport(rest, lon === undefined || lat === undefined ? undefined : [lon, lat]);
    if (r.ok) rows.push({ row, report: r.report });
    else rejected.push({ row, message: r.message });
  }
  return { rows, rejected };
}

/**
 * Our own schema: every column is one of ours, or the file has report_id and verdict and its other columns
 * are typos of ours (those are then reported by name, with a "did you mean").
 */
function isOurSchema(columns: string[], known: string[]): boolean {
  const unknown = columns.filter((c) => !known.includes(c));
  return unknown.length === 0 || (columns.includes('report_id') && columns.includes('verdict') && unknown.every((c) => didYouMean(c, known) !== ''));
}

/**
 * Another field app's export: columns mapped by alias. The file is refused as a whole when a field every
 * report needs has no column (naming the unrecognised columns, with a "did you mean"), so a typo in a
 * header is one message rather than one per row.
 */
function parseOtherApp(text: string, columns: string[], file: string, geojson: boolean) {
  const norm = normalizeFieldAppReports(text);
  if (norm.syntaxError)
    throw new StoreError('TIANDI_E_INPUT', `CSV 格式错误 malformed CSV: ${norm.syntaxError.message}`, file, `line ${norm.syntaxError.line}`);
  const mapped = new Set(Object.values(norm.mapping));
  const missing = ['report_id', 'verdict', 'observed_at'].filter((f) => !mapped.has(f));
  if (!geojson && !mapped.has('geopoint') && !(mapped.has('lon') && mapped.has('lat'))) missing.push('lon,lat');
  if (missing.length) {
    const unknown = columns.filter((c) => !norm.mapping[c]);
    const hints = unknown.slice(0, 3).map((c) => `'${c}'${didYouMean(c, [...CSV_COLUMNS, ...Object.values(REPORT_FIELD_ALIASES).flat()])}`);
    throw new StoreError(
      'TIANDI_E_INPUT',
      `${geojson ? '属性' : 'CSV 表头'}缺少 ${missing.join(', ')} ${geojson ? 'properties lack' : 'bad CSV header: no column for'} ${missing.join(', ')}${hints.length ? `; 未识别 not recognised: ${hints.join(', ')}` : ''}. Use the columns ${CSV_COLUMNS.join(',')} (or an ODK/Kobo, QField or Survey123 export)`,
      file,
    );
  }
  const rows: ReportRow[] = [];
  const rejected: RejectedRow[] = [...norm.rejected];
  for (const f of norm.features) {
    const r = parseGroundReport(f.properties, f.geometry.coordinates);
    if (r.ok) rows.push({ row: f.row, report: r.report });
    else rejected.push({ row: f.row, message: r.message });
  }
  rejected.sort((a, b) => a.row - b.row);
  return { rows, rejected };
}

import { dbOf } from '@tiandi/store/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReportsText, importZones, parseReportsFile, readZones, Workspace } from '@tiandi/store';
import { openGeoTiffSource, LIMITS } from '@tiandi/tiles/node';
import type { FuzzTarget } from './coverage-fuzzer';

const typed = (err: unknown) => typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('TIANDI_E_');
const words = (...w: (string | number[])[]) => w.map((x) => (typeof x === 'string' ? new TextEncoder().encode(x) : Uint8Array.from(x)));
const le16 = (n: number) => [n & 255, n >> 8];
/** Fails the run as a finding: a result that breaks what the parser promises. */
const invariant = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`invariant broken: ${what}`);
};
const lonLat = ([lon, lat]: readonly number[]) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

/** The TIFF header reader (openGeoTiffSource) and a small read of its first pixels. */
export function tiffHeaderTarget(): FuzzTarget {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-fuzz-tiff-'));
  const file = join(dir, 'input.tif');
  return {
    name: 'tiff-header',
    include: /packages\/tiles\/src\/read\/|node_modules\/geotiff\//,
    // Tag numbers (little-endian), field types and counts a header lies with.
    dictionary: words(
      le16(34735),
      le16(273),
      le16(279),
      le16(324),
      le16(325),
      le16(322),
      le16(323),
      le16(317),
      le16(259),
      le16(33550),
      le16(33922),
      [3, 0],
      [4, 0],
      [16, 0],
      [12, 0],
      'II*\0',
      'MM\0*',
      'II+\0',
    ),
    maxBytes: 1 << 16,
    async run(input) {
      writeFileSync(file, input);
      const s = await openGeoTiffSource(file, { cacheBytes: 4 << 20 });
      try {
        invariant(s.width > 0 && s.height > 0 && s.width <= LIMITS.maxSidePx && s.height <= LIMITS.maxSidePx, `size ${s.width}×${s.height}`);
        invariant(s.gsdM.x > 0 && s.gsdM.y > 0 && Number.isFinite(s.gsdM.x + s.gsdM.y), `gsd ${s.gsdM.x},${s.gsdM.y}`);
        invariant(lonLat(s.pixelToWgs84(0, 0)) && lonLat(s.pixelToWgs84(s.width, s.height)), 'corners on the Earth');
        const w = await s.readWindow([0, 0, Math.min(32, s.width), Math.min(32, s.height)], 8, 8);
        invariant(w.rgb.length === 8 * 8 * 3 && w.valid.length === 64, 'window size');
      } finally {
        await s.close();
      }
    },
    expected: typed,
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Checks what parseReportsFile promises: row numbers are positive integers, each row either kept or rejected, positions on the Earth. */
function checkReports(r: ReturnType<typeof parseReportsFile>) {
  const kept = new Set(r.rows.map((x) => x.row));
  for (const x of [...r.rows, ...r.rejected]) invariant(Number.isInteger(x.row) && x.row >= 0, `row number ${x.row}`);
  for (const x of r.rejected) invariant(!kept.has(x.row), `row ${x.row} both kept and rejected`);
  for (const x of r.rows) {
    invariant(lonLat(x.report.position), `row ${x.row} position ${x.report.position}`);
    invariant(typeof x.report.reportId === 'string' && x.report.reportId.length > 0, `row ${x.row} report id`);
    invariant(!Number.isNaN(Date.parse(x.report.observedAt)), `row ${x.row} observed_at '${x.report.observedAt}'`);
  }
}

/** The reports file reader: encoding detection and the CSV parsers (ours and other field apps'). */
export function reportsCsvTarget(): FuzzTarget {
  return {
    name: 'reports-csv',
    include: /packages\/(store|geo)\/src\//,
    dictionary: words(
      '"',
      '""',
      ',',
      ';',
      '\t',
      '\n',
      '\r\n',
      '\uFEFF',
      [0xc4, 0xe3],
      [0xff, 0xfe],
      'report_id',
      'verdict',
      'confirmed_poppy',
      'not_poppy',
      '2026-04-20T11:00:00+08:00',
      '100.002',
      '25.008',
      '../x.jpg',
      'uuid:',
      '结论',
      '位置',
      '_geolocation_latitude',
    ),
    maxBytes: 1 << 14,
    run(input) {
      checkReports(parseReportsFile(decodeReportsText(input, 'fuzz.csv'), 'fuzz.csv'));
    },
    expected: typed,
  };
}

/** The reports file reader on GeoJSON: our schema and QField/Survey123 exports. */
export function reportsGeoJsonTarget(): FuzzTarget {
  return {
    ...reportsCsvTarget(),
    name: 'reports-geojson',
    dictionary: words(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      'null',
      'true',
      '1e308',
      '-1e308',
      '"Point"',
      '"geometry":',
      '"properties":',
      '"features":',
      '"coordinates":',
      '"photos":',
      '"attributes":',
      '"verdict":',
      '"report_id":',
      '"observed_at":',
      '"result":',
    ),
  };
}

/** The zone import: GeoJSON text → importZones into a workspace, as `tiandi zones import` does. */
export function zonesGeoJsonTarget(): FuzzTarget {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-fuzz-zones-'));
  let ws: Workspace | undefined;
  return {
    name: 'zones-geojson',
    include: /packages\/(store|geo)\/src\//,
    dictionary: words(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      'null',
      '1e308',
      '1e-7',
      '-180',
      '90',
      '"Polygon"',
      '"MultiPolygon"',
      '"zone_id":',
      '"level":',
      '"village"',
      '"township"',
      '"county"',
      '"parent":',
      '"coordinates":',
      '"../x"',
    ),
    maxBytes: 1 << 14,
    run(input) {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(input));
      } catch {
        return; // the CLI refuses text that is not JSON before importing (zones.ts)
      }
      ws ??= Workspace.create(join(dir, 'zones.gpkg'));
      importZones(ws, json, {}, 'fuzz');
      for (const z of readZones(ws)) {
        invariant(z.areaM2 > 0 && Number.isFinite(z.areaM2), `zone ${z.zoneId} area ${z.areaM2}`);
        const rings = z.geometry.type === 'Polygon' ? z.geometry.coordinates : z.geometry.coordinates.flat();
        for (const r of rings) for (const p of r) invariant(lonLat(p), `zone ${z.zoneId} vertex ${p}`);
      }
      dbOf(ws).exec('DELETE FROM zones'); // each input starts from an empty zone layer
    },
    expected: typed,
    close() {
      ws?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const TARGETS = {
  'tiff-header': tiffHeaderTarget,
  'reports-csv': reportsCsvTarget,
  'reports-geojson': reportsGeoJsonTarget,
  'zones-geojson': zonesGeoJsonTarget,
} as const;
export type TargetName = keyof typeof TARGETS;

import type Database from 'better-sqlite3';
import { bboxOf, type Geometry } from '@tiandi/geo';
import { decodeWkb } from './wkb';

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** [minx, maxx, miny, maxy] of a GeoPackage blob (from its envelope, else from the WKB), or null when empty. */
function envelopeOf(blob: Uint8Array | null): [number, number, number, number] | null {
  if (!blob || blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) return null;
  const flags = blob[3];
  if (flags & 0x10) return null;
  const le = (flags & 1) === 1;
  const env = (flags >> 1) & 7;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (env >= 1 && env <= 4) return [view.getFloat64(8, le), view.getFloat64(16, le), view.getFloat64(24, le), view.getFloat64(32, le)];
  const g = decodeWkb(blob, 8 + (ENVELOPE_BYTES[env] ?? 0)) as Geometry;
  const [x0, y0, x1, y1] = bboxOf(g);
  return Number.isFinite(x0) ? [x0, x1, y0, y1] : null;
}

/**
 * Registers the SQL functions the GeoPackage R-tree triggers call (ST_MinX, ST_MaxX, ST_MinY, ST_MaxY,
 * ST_IsEmpty) on a connection. GDAL and QGIS provide their own; Tiandi's connections get these.
 */
export function registerGpkgFunctions(db: Database.Database): void {
  const opts = { deterministic: true, varargs: false } as const;
  const pick = (i: number) => (blob: Uint8Array | null) => envelopeOf(blob)?.[i] ?? null;
  db.function('ST_MinX', opts, pick(0));
  db.function('ST_MaxX', opts, pick(1));
  db.function('ST_MinY', opts, pick(2));
  db.function('ST_MaxY', opts, pick(3));
  db.function('ST_IsEmpty', opts, (blob: Uint8Array | null) => (envelopeOf(blob) === null ? 1 : 0));
}

/**
 * Creates the GeoPackage R-tree spatial index (extension gpkg_rtree_index) of a layer's `geom` column,
 * with the standard triggers, and fills it from the rows already there.
 */
export function createSpatialIndex(db: Database.Database, table: string): void {
  const t = table,
    r = `rtree_${table}_geom`;
  const vals = `NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)`;
  db.exec(`
    CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
    INSERT OR IGNORE INTO gpkg_extensions VALUES ('${t}', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
    CREATE VIRTUAL TABLE "${r}" USING rtree(id, minx, maxx, miny, maxy);
    INSERT OR REPLACE INTO "${r}" SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM "${t}" WHERE geom NOT NULL AND NOT ST_IsEmpty(geom);
    CREATE TRIGGER "${r}_insert" AFTER INSERT ON "${t}" WHEN (NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "${r}" VALUES (${vals}); END;
    CREATE TRIGGER "${r}_update1" AFTER UPDATE OF geom ON "${t}" WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN INSERT OR REPLACE INTO "${r}" VALUES (${vals}); END;
    CREATE TRIGGER "${r}_update2" AFTER UPDATE OF geom ON "${t}" WHEN OLD.fid = NEW.fid AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "${r}" WHERE id = OLD.fid; END;
    CREATE TRIGGER "${r}_update3" AFTER UPDATE ON "${t}" WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "${r}" WHERE id = OLD.fid; INSERT OR REPLACE INTO "${r}" VALUES (${vals}); END;
    CREATE TRIGGER "${r}_update4" AFTER UPDATE ON "${t}" WHEN OLD.fid != NEW.fid AND (NEW.geom IS NULL OR ST_IsEmpty(NEW.geom))
      BEGIN DELETE FROM "${r}" WHERE id IN (OLD.fid, NEW.fid); END;
    CREATE TRIGGER "${r}_delete" AFTER DELETE ON "${t}" WHEN OLD.geom NOT NULL
      BEGIN DELETE FROM "${r}" WHERE id = OLD.fid; END;
  `);
}

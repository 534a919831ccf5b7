import type Database from 'better-sqlite3';
import { createSpatialIndex } from './spatial-index';
import { ACCOUNTS_MIGRATION_SQL } from './accounts/accounts-schema';

/** GeoPackage application_id "GPKG" and the GeoPackage version (1.3, what GDAL ≥ 2.2 and QGIS read without warnings) kept in PRAGMA user_version. */
export const GPKG_APPLICATION_ID = 0x47504b47;
export const GPKG_USER_VERSION = 10300;

/** A feature layer: GeoPackage table with an integer primary key `fid` and a `geom` column. */
export interface LayerDef {
  name: string;
  geometryType: 'POINT' | 'MULTIPOLYGON' | 'MULTILINESTRING';
  description: string;
  columns: string;
}

/** The layers QGIS, QField and GDAL open, with the attribute columns they carry. */
export const LAYERS: LayerDef[] = [
  {
    name: 'zones',
    geometryType: 'MULTIPOLYGON',
    description: '行政区划 zones (county › township › village)',
    columns: `zone_id TEXT NOT NULL UNIQUE, name TEXT, level TEXT NOT NULL CHECK (level IN ('county','township','village')), parent_id TEXT, area_m2 REAL NOT NULL, imported_at TEXT NOT NULL`,
  },
  {
    name: 'images',
    geometryType: 'MULTIPOLYGON',
    description: '影像及有效范围 orthophotos and their valid-data footprints',
    columns: `image_id TEXT NOT NULL UNIQUE, crs TEXT, gsd_m REAL NOT NULL, width INTEGER, height INTEGER, acquired TEXT, operator TEXT, sha256 TEXT, imported_at TEXT NOT NULL`,
  },
  {
    name: 'candidates',
    geometryType: 'MULTIPOLYGON',
    description: '候选地块 candidate plots from one scan',
    columns: `candidate_id TEXT NOT NULL UNIQUE, scan_id TEXT NOT NULL, image_id TEXT NOT NULL, score_max REAL NOT NULL, score_mean REAL, area_m2 REAL, model TEXT, model_version TEXT, target_id TEXT`,
  },
  {
    name: 'targets',
    geometryType: 'MULTIPOLYGON',
    description: '核查目标 targets (merged candidates and ground findings)',
    columns: `target_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, origin TEXT NOT NULL, missed_by_scan INTEGER NOT NULL DEFAULT 0, score_max REAL NOT NULL, area_m2 REAL NOT NULL, review_reason TEXT, eradicated_at TEXT, sources_json TEXT NOT NULL, report_ids_json TEXT NOT NULL, review_json TEXT, updated_at TEXT NOT NULL`,
  },
  {
    name: 'plans',
    geometryType: 'MULTILINESTRING',
    description: '核查路线 team routes of a plan',
    columns: `plan_id TEXT NOT NULL, team TEXT NOT NULL, stop_count INTEGER NOT NULL, duration_s REAL, distance_m REAL, created_at TEXT NOT NULL, UNIQUE (plan_id, team)`,
  },
  {
    name: 'stops',
    geometryType: 'POINT',
    description: '核查点 ordered stops of a plan',
    columns: `plan_id TEXT NOT NULL, team TEXT NOT NULL, seq INTEGER NOT NULL, target_id TEXT, arrive_s REAL, UNIQUE (plan_id, team, seq)`,
  },
  {
    name: 'reports',
    geometryType: 'POINT',
    description: '地面核查报告 ground reports',
    columns: `report_id TEXT NOT NULL UNIQUE, target_id TEXT, match TEXT NOT NULL, verdict TEXT NOT NULL, what TEXT, accuracy_m REAL NOT NULL, observed_at TEXT NOT NULL, team TEXT, plant_count INTEGER, area_m2 REAL, photos_json TEXT NOT NULL, notes TEXT, content_sha256 TEXT NOT NULL, source TEXT, imported_at TEXT NOT NULL`,
  },
  {
    name: 'certifications',
    geometryType: 'MULTIPOLYGON',
    description: '无种植认证 zero-cultivation certifications',
    columns: `cert_id TEXT NOT NULL UNIQUE, zone_id TEXT NOT NULL, season_id TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('issued','stale','revoked')), signed_by TEXT NOT NULL, issued_at TEXT NOT NULL, evidence_digest TEXT NOT NULL, coverage_share REAL NOT NULL, status_reason TEXT, status_at TEXT, certificate_json TEXT NOT NULL`,
  },
];

/** Layers added by later migrations (created there, not in step 1): what `tiandi plan --workspace` plans on. */
export const PLANNING_LAYERS: LayerDef[] = [
  {
    name: 'roads',
    geometryType: 'MULTILINESTRING',
    description: '路网 roads, tracks and paths for route planning (OSM tags)',
    columns: `way_id TEXT NOT NULL UNIQUE, highway TEXT NOT NULL, name TEXT, tags_json TEXT NOT NULL, nodes_json TEXT, source TEXT, imported_at TEXT NOT NULL`,
  },
  {
    name: 'depots',
    geometryType: 'POINT',
    description: '驻地 where the teams start and end each day',
    columns: `depot_id TEXT NOT NULL UNIQUE, name TEXT, set_at TEXT NOT NULL`,
  },
];

/** Plain (non-spatial) tables, registered as GeoPackage "attributes" so GIS tools list them too. */
export const ATTRIBUTE_TABLES: { name: string; description: string; sql: string }[] = [
  {
    name: 'seasons',
    description: '调查季及规则 seasons and their policy',
    sql: `CREATE TABLE seasons (fid INTEGER PRIMARY KEY AUTOINCREMENT, season_id TEXT NOT NULL UNIQUE, name TEXT, flowering_start TEXT NOT NULL, flowering_end TEXT NOT NULL, season_json TEXT NOT NULL, set_at TEXT NOT NULL)`,
  },
  {
    name: 'scans',
    description: '扫描 scans (image × model version)',
    sql: `CREATE TABLE scans (fid INTEGER PRIMARY KEY AUTOINCREMENT, scan_id TEXT NOT NULL UNIQUE, image_id TEXT NOT NULL, model TEXT, model_version TEXT, candidate_count INTEGER NOT NULL, summary_json TEXT, imported_at TEXT NOT NULL)`,
  },
  {
    name: 'photos',
    description: '照片（按 sha256）photos by sha256',
    sql: `CREATE TABLE photos (fid INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL UNIQUE, mime TEXT, size_bytes INTEGER NOT NULL, bytes BLOB NOT NULL, added_at TEXT NOT NULL)`,
  },
  {
    name: 'audit_log',
    description: '审计链 audit hash chain',
    sql: `CREATE TABLE audit_log (fid INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, payload_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
  },
  {
    name: 'schema_migrations',
    description: '结构版本 schema migrations',
    sql: `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  },
];

const SRS_SQL = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
`;

/** One schema step. Steps run in order, each in the transaction that records it in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'geopackage core, survey layers, audit log',
    up(db) {
      db.exec(SRS_SQL);
      const contents = db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)`);
      const geomCol = db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`);
      for (const l of LAYERS) {
        db.exec(`CREATE TABLE "${l.name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${l.geometryType}, ${l.columns})`);
        contents.run(l.name, 'features', l.name, l.description, 4326);
        geomCol.run(l.name, l.geometryType);
      }
      for (const t of ATTRIBUTE_TABLES) {
        if (t.name === 'schema_migrations') continue;
        db.exec(t.sql);
        contents.run(t.name, 'attributes', t.name, t.description, null);
      }
      db.exec(`CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);
        CREATE INDEX candidates_target ON candidates(target_id);
        CREATE INDEX reports_target ON reports(target_id);
        CREATE INDEX certifications_zone ON certifications(zone_id, season_id);
        CREATE TABLE tiandi_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    },
  },
  {
    version: 2,
    name: 'accounts and login sessions (issue 7; scrypt hashes and sha256 of session tokens, never clear text)',
    up(db) {
      db.exec(ACCOUNTS_MIGRATION_SQL);
    },
  },
  {
    version: 3,
    name: 'GeoPackage R-tree spatial index on every layer (QGIS and QField draw large layers fast)',
    up(db) {
      for (const l of LAYERS) createSpatialIndex(db, l.name);
    },
  },
  {
    version: 4,
    name: "verifier scores: candidates' and targets' score_verify (a two-stage model's second look; null for one-stage models)",
    up(db) {
      db.exec(`ALTER TABLE candidates ADD COLUMN score_verify REAL; ALTER TABLE targets ADD COLUMN score_verify REAL;`);
    },
  },
  {
    version: 5,
    name: "desk decisions apart from ground inspections (issue 17): targets' desk_json and ground_audit; images' pixel_sha256 (same imagery recognised by content); a negative without any ground report becomes dismissed_desk",
    up(db) {
      db.exec(`ALTER TABLE targets ADD COLUMN desk_json TEXT; ALTER TABLE targets ADD COLUMN ground_audit INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE images ADD COLUMN pixel_sha256 TEXT;
        CREATE INDEX images_sha256 ON images(sha256); CREATE INDEX images_pixel_sha256 ON images(pixel_sha256);`);
      // Before this step an office dismissal was stored as inspected_negative: without a ground report it never was one.
      db.prepare(`UPDATE targets SET status = 'dismissed_desk', desk_json = ? WHERE status = 'inspected_negative' AND report_ids_json = '[]'`).run(
        JSON.stringify({
          by: 'unknown',
          at: null,
          reason: '迁移：无地面报告的排除 migrated: a negative without a ground report',
          seasonId: null,
          modelVersions: [],
          scoreMax: null,
        }),
      );
    },
  },
  {
    version: 6,
    name: 'triage decisions (issue 17): one desk review per target — poppy_like (send a team) or not_poppy (a desk dismissal) — with reason, reviewer and model version',
    up(db) {
      db.exec(`CREATE TABLE triage_decisions (fid INTEGER PRIMARY KEY AUTOINCREMENT, target_id TEXT NOT NULL UNIQUE, decision TEXT NOT NULL CHECK (decision IN ('poppy_like','not_poppy')),
        reason TEXT, note TEXT, actor TEXT NOT NULL, model_versions_json TEXT NOT NULL, score_max REAL, decided_at TEXT NOT NULL);
        INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('triage_decisions', 'attributes', 'triage_decisions', '案头判读 desk triage decisions');`);
    },
  },
  {
    version: 7,
    name: 'planning inputs in the workspace (issue 20): roads (OSM ways with their tags and node ids) and depots, so tiandi plan --workspace plans from the workspace alone',
    up(db) {
      const contents = db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, 4326)`);
      const geomCol = db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`);
      for (const l of PLANNING_LAYERS) {
        db.exec(`CREATE TABLE "${l.name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${l.geometryType}, ${l.columns})`);
        contents.run(l.name, l.name, l.description);
        geomCol.run(l.name, l.geometryType);
        createSpatialIndex(db, l.name);
      }
    },
  },
  {
    version: 8,
    name: "zones' name_pinyin (issue 22): the romanised name beside the Chinese one, so an English UI names places in letters",
    up(db) {
      db.exec(`ALTER TABLE zones ADD COLUMN name_pinyin TEXT`);
    },
  },
  {
    version: 9,
    name: "candidates' and targets' unverified (issue 16): no second stage judged the candidate (for a target: one of its candidates), said outright instead of read from a missing score_verify",
    up(db) {
      db.exec(`ALTER TABLE candidates ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0; ALTER TABLE targets ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0;
        UPDATE candidates SET unverified = 1 WHERE score_verify IS NULL;
        UPDATE targets SET unverified = 1 WHERE origin = 'scan' AND (score_verify IS NULL
          OR EXISTS (SELECT 1 FROM candidates c WHERE c.target_id = targets.target_id AND c.unverified = 1));`);
    },
  },
  {
    version: 10,
    name: "depots' name_pinyin (issue 22): the depot's romanised name beside the Chinese one, as zones have since step 8",
    up(db) {
      db.exec(`ALTER TABLE depots ADD COLUMN name_pinyin TEXT`);
    },
  },
  {
    version: 11,
    name: "candidates' and targets' p_poppy (issue 22): the verifier score calibrated by the model card (share that was poppy at that score), null when the model has no calibration",
    up(db) {
      db.exec(`ALTER TABLE candidates ADD COLUMN p_poppy REAL; ALTER TABLE targets ADD COLUMN p_poppy REAL;`);
    },
  },
  {
    version: 12,
    name: 'triage leases (issue 17): which reviewer holds which target in the desk gallery, until when, kept in the workspace so a server restart does not hand one target to two reviewers',
    up(db) {
      db.exec(`CREATE TABLE triage_leases (fid INTEGER PRIMARY KEY AUTOINCREMENT, target_id TEXT NOT NULL UNIQUE, actor TEXT NOT NULL, until_ms INTEGER NOT NULL);
        CREATE INDEX triage_leases_actor ON triage_leases(actor);
        INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('triage_leases', 'attributes', 'triage_leases', '案头判读租约 desk triage leases (reviewer, until)');`);
    },
  },
  {
    version: 13,
    name: "the server's scan jobs and raster list in the workspace (issue 21): scan_jobs and rasters tables instead of jobs.json and rasters.json beside it",
    up(db) {
      db.exec(`CREATE TABLE scan_jobs (fid INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL, status TEXT NOT NULL, image_name TEXT NOT NULL,
          image_path TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, error TEXT, job_json TEXT NOT NULL);
        CREATE INDEX scan_jobs_sha256 ON scan_jobs(sha256);
        CREATE TABLE rasters (fid INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('ortho','heatmap')), name TEXT NOT NULL, file TEXT NOT NULL, image_id TEXT, UNIQUE (kind, file));
        INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('scan_jobs', 'attributes', 'scan_jobs', '扫描任务 the server''s scan jobs (upload → scan → record)');
        INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('rasters', 'attributes', 'rasters', '地图栅格 orthophotos and heatmaps the map shows');`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

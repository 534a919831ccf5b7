import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { bboxOf, chainAuditEntry, type AuditEntry, type Geometry } from '@tiandi/geo';
import { StoreError } from './errors';
import { ATTRIBUTE_TABLES, GPKG_APPLICATION_ID, GPKG_USER_VERSION, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { toGpkgBlob } from './gpkg-geometry';
import { registerGpkgFunctions } from './spatial-index';

let sqliteOf: (ws: Workspace) => Database.Database;

/**
 * The workspace's SQLite connection, for this package's own modules (index.ts does not export it;
 * tests reach it through `@tiandi/store/testing`). Apps call named store functions instead.
 */
export function dbOf(ws: Workspace): Database.Database {
  return sqliteOf(ws);
}

export interface WorkspaceOptions {
  /** Clock for audit entries and timestamps (tests pass a fixed one). Returns ISO 8601. */
  now?: () => string;
}

/**
 * The survey workspace: one GeoPackage file (SQLite, WAL) that QGIS, QField and GDAL open as layers.
 * Every mutating operation in this package runs as one transaction through {@link Workspace.write},
 * which also appends its audit entries, so a crash or kill leaves the file as it was before or after.
 * All calls are synchronous (better-sqlite3), which suits a fastify server as well as the CLI.
 */
export class Workspace {
  readonly now: () => string;
  private readonly statements = new Map<string, Database.Statement>();
  /** The SQLite connection: private, so code outside this package goes through named functions (see {@link dbOf}). */
  readonly #db: Database.Database;
  static {
    sqliteOf = (ws) => ws.#db;
  }
  private constructor(
    db: Database.Database,
    readonly path: string,
    opts: WorkspaceOptions,
  ) {
    this.#db = db;
    this.now = opts.now ?? (() => new Date().toISOString());
    registerGpkgFunctions(db);
  }

  /** Creates a new, empty workspace file. Fails if the file exists. */
  static create(path: string, opts: WorkspaceOptions = {}): Workspace {
    if (existsSync(path))
      throw new StoreError(
        'TIANDI_E_WORKSPACE_EXISTS',
        `工作区已存在，不会覆盖 workspace already exists, not overwriting: remove it or choose another name`,
        path,
      );
    let db: Database.Database;
    try {
      db = new Database(path);
    } catch (e) {
      throw new StoreError('TIANDI_E_INPUT', `无法创建 cannot create the workspace (${(e as Error).message}): does the folder exist and is it writable?`, path);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
      db.pragma(`user_version = ${GPKG_USER_VERSION}`);
      const ws = new Workspace(db, path, opts);
      ws.migrate();
      return ws;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Opens an existing workspace and brings its schema up to date (each migration one transaction). */
  static open(path: string, opts: WorkspaceOptions = {}): Workspace {
    if (!existsSync(path)) throw new StoreError('TIANDI_E_WORKSPACE_MISSING', `找不到工作区 workspace not found: create it with 'tiandi init ${path}'`, path);
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: true });
      db.pragma('journal_mode = WAL');
    } catch (e) {
      throw new StoreError('TIANDI_E_NOT_WORKSPACE', `无法打开 cannot open as SQLite (${(e as Error).message}): is this a .gpkg made by 'tiandi init'?`, path);
    }
    const appId = db.pragma('application_id', { simple: true });
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'`).get();
    if (appId !== GPKG_APPLICATION_ID || !hasTable) {
      db.close();
      throw new StoreError(
        'TIANDI_E_NOT_WORKSPACE',
        `不是 Tiandi 工作区 not a Tiandi workspace (no GeoPackage id or schema_migrations): create one with 'tiandi init'`,
        path,
      );
    }
    const ws = new Workspace(db, path, opts);
    ws.migrate();
    return ws;
  }

  /** Schema version recorded in schema_migrations (GeoPackage reserves PRAGMA user_version for its own version). */
  schemaVersion(): number {
    return (this.#db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  }

  private migrate(): void {
    // Only a new file needs the table; checking first keeps opening an existing workspace read-only.
    if (!this.#db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'`).get()) {
      this.#db.exec(ATTRIBUTE_TABLES.find((t) => t.name === 'schema_migrations')!.sql);
    }
    const current = this.schemaVersion();
    if (current > SCHEMA_VERSION) {
      throw new StoreError(
        'TIANDI_E_WORKSPACE_NEWER',
        `工作区结构版本 ${current} 高于本程序支持的 ${SCHEMA_VERSION} workspace schema ${current} is newer than this program (${SCHEMA_VERSION}): update tiandi`,
        this.path,
      );
    }
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
      this.#db
        .transaction(() => {
          m.up(this.#db);
          this.#db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, this.now());
        })
        .immediate();
    }
  }

  /**
   * Runs `fn` as one IMMEDIATE transaction with an audit writer bound to `actor`. Everything `fn` writes,
   * audit entries included, is committed together or not at all.
   */
  write<T>(actor: string, fn: (audit: (action: string, subject: string, payload?: unknown) => AuditEntry) => T): T {
    if (!actor.trim()) throw new StoreError('TIANDI_E_INPUT', '需要操作人 an actor is required for the audit log', undefined, 'actor');
    return this.#db.transaction(() => fn((action, subject, payload) => this.appendAudit(actor, action, subject, payload))).immediate();
  }

  /**
   * A prepared statement kept for the workspace's life, for statements run per row (audit entries, layer extents):
   * preparing costs more than running them. Use with run/get/all, not iterate (a kept statement may be reused
   * while one iterates).
   */
  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private appendAudit(actor: string, action: string, subject: string, payload: unknown): AuditEntry {
    const last = this.prepared('SELECT seq, hash FROM audit_log ORDER BY fid DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const e = chainAuditEntry(last ?? null, { at: this.now(), actor, action, subject, payload: payload ?? null });
    this.prepared('INSERT INTO audit_log (seq, at, actor, action, subject, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      e.seq,
      e.at,
      e.actor,
      e.action,
      e.subject,
      JSON.stringify(e.payload),
      e.prevHash,
      e.hash,
    );
    this.prepared(`INSERT INTO tiandi_meta (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
      JSON.stringify({ count: e.seq, hash: e.hash }),
    );
    return e;
  }

  /** Widens a layer's extent in gpkg_contents to include `g` and stamps last_change (call inside a write). */
  extendLayer(table: string, g: Geometry): void {
    const [x0, y0, x1, y1] = bboxOf(g);
    this.prepared(
      `UPDATE gpkg_contents SET last_change = ?, min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?) WHERE table_name = ?`,
    ).run(this.now(), x0, x0, y0, y0, x1, x1, y1, y1, table);
  }

  /** GeoPackage blob for a geometry (WGS 84). */
  blob(g: Geometry): Buffer {
    return toGpkgBlob(g);
  }

  /** Checkpoints the WAL into the main file (so the .gpkg alone can be copied to QField) and closes. */
  close(): void {
    if (!this.#db.open) return;
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.#db.close();
    }
  }
}

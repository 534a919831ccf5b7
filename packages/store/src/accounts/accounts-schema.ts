import type BetterSqlite3 from 'better-sqlite3';

/**
 * The accounts migration: accounts (with scrypt password hashes, never clear text) and login sessions
 * (stored as the sha256 of the token, so a copy of the workspace file does not leak live sessions).
 * Both are plain attribute tables, not GeoPackage feature layers.
 */
export const ACCOUNTS_MIGRATION_SQL = `
CREATE TABLE IF NOT EXISTS tiandi_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('operator','planner','field','manager','admin')),
  team_id TEXT,
  password_hash TEXT NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  CHECK (role <> 'field' OR team_id IS NOT NULL)
);
CREATE TABLE IF NOT EXISTS tiandi_sessions (
  token_sha256 TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES tiandi_accounts(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tiandi_sessions_account ON tiandi_sessions(account_id);
`;

/** The better-sqlite3 database type (a type-only import: this module does not load the native driver). */
export type SqlDatabase = BetterSqlite3.Database;

/** Creates the accounts tables if they are missing (for workspaces made before the migration, and for tests). */
export function ensureAccountsSchema(db: SqlDatabase): void {
  db.exec(ACCOUNTS_MIGRATION_SQL);
}

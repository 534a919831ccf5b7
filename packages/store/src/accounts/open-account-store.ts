import { AccountStore } from './account-store';
import type { ScryptParams } from './password-hash';

/**
 * Opens the accounts of a workspace file on its own connection (WAL, foreign keys on, busy timeout),
 * creating the accounts tables if they are missing. Used by `tiandi user` and by the server when no
 * shared workspace connection is available. Close it with `close()`.
 */
export async function openAccountStore(
  file: string,
  options: { scrypt?: ScryptParams; now?: () => Date; mustExist?: boolean } = {},
): Promise<{ accounts: AccountStore; close(): void }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { fileMustExist: options.mustExist ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return { accounts: new AccountStore(db, options), close: () => db.close() };
}

import { createHash, randomBytes } from 'node:crypto';
import { AccountError, ACCOUNT_ERROR_CODES as E } from './accounts-errors';
import { ensureAccountsSchema, type SqlDatabase } from './accounts-schema';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password-hash';
import { isRole, ROLES, type Role } from './roles';

/** An account as the rest of Tiandi sees it: never with its password hash. */
export interface Account {
  id: number;
  name: string;
  role: Role;
  /** The field team this account belongs to (required for `field`, optional otherwise). */
  teamId: string | null;
  createdAt: string;
  disabledAt: string | null;
}

/** A new session: the clear token goes to the client once; only its sha256 is stored. */
export interface NewSession {
  token: string;
  expiresAt: string;
  account: Account;
}

export interface NewAccount {
  name: string;
  role: Role;
  teamId?: string | null;
  password: string;
}

/** Minimum password length accepted by {@link AccountStore.addAccount}. */
export const MIN_PASSWORD_LENGTH = 8;
const NAME_RE = /^[\p{L}\p{N}_.@-]{2,64}$/u;

interface AccountRow {
  id: number;
  name: string;
  role: string;
  team_id: string | null;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

function toAccount(row: AccountRow): Account {
  return Object.freeze({
    id: row.id,
    name: row.name,
    role: row.role as Role,
    teamId: row.team_id,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  });
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Validates the fields of a new account (not the password strength beyond its length). Throws {@link AccountError}. */
export function validateNewAccount(input: NewAccount): void {
  if (typeof input.name !== 'string' || !NAME_RE.test(input.name)) {
    throw new AccountError(
      E.badName,
      `账号名须为 2–64 个字母、数字或 _ . @ - Account name must be 2–64 letters, digits or _ . @ -: '${String(input.name)}'`,
      'name',
    );
  }
  if (!isRole(input.role)) {
    throw new AccountError(E.badRole, `未知角色 Unknown role '${String(input.role)}'; use one of ${ROLES.join(', ')}`, 'role');
  }
  if (input.role === 'field' && !input.teamId) {
    throw new AccountError(E.teamRequired, '外业组账号须指定 --team A field account needs --team <team id>', 'teamId');
  }
  if (typeof input.password !== 'string' || [...input.password].length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(E.badPassword, `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 Password must have at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  }
}

/** Sessions one account may hold at once (phones, laptops, a browser or two each). */
export const MAX_SESSIONS_PER_ACCOUNT = 10;

/**
 * Accounts and login sessions in the workspace (tables `tiandi_accounts`, `tiandi_sessions`).
 * Passwords are stored only as scrypt hashes; session tokens only as their sha256.
 *
 * @example
 * const accounts = new AccountStore(db);
 * await accounts.addAccount({ name: 'team1', role: 'field', teamId: 'T1', password: '…' });
 * const session = await accounts.login('team1', '…'); // { token, expiresAt, account } or null
 * accounts.resolveSession(session.token); // Account or null once expired
 */
export class AccountStore {
  /** A hash to verify against when the name is unknown, so a login takes as long for unknown names as for known ones. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: { scrypt?: ScryptParams; now?: () => Date } = {},
  ) {
    ensureAccountsSchema(db);
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  /** Creates an account. Throws {@link AccountError} on a bad field or a taken name. */
  async addAccount(input: NewAccount): Promise<Account> {
    validateNewAccount(input);
    if (this.findByName(input.name)) {
      throw new AccountError(E.exists, `账号已存在 Account '${input.name}' already exists`, 'name');
    }
    const hash = await hashPassword(input.password, this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    const info = this.db
      .prepare('INSERT INTO tiandi_accounts (name, role, team_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(input.name, input.role, input.teamId ?? null, hash, this.now().toISOString());
    return this.getAccount(Number(info.lastInsertRowid))!;
  }

  /** The account with this id, or null. */
  getAccount(id: number): Account | null {
    const row = this.db.prepare('SELECT * FROM tiandi_accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  /** The account with this name (case-insensitive), or null. */
  findByName(name: string): Account | null {
    const row = this.db.prepare('SELECT * FROM tiandi_accounts WHERE name = ?').get(name) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  /** Every account, by name. */
  listAccounts(): Account[] {
    return (this.db.prepare('SELECT * FROM tiandi_accounts ORDER BY name').all() as AccountRow[]).map(toAccount);
  }

  /** Replaces an account's password and ends all its sessions. */
  async setPassword(name: string, password: string): Promise<void> {
    const account = this.requireAccount(name);
    validateNewAccount({ name: account.name, role: account.role, teamId: account.teamId ?? 'x', password });
    const hash = await hashPassword(password, this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
    this.db.transaction(() => {
      this.db.prepare('UPDATE tiandi_accounts SET password_hash = ? WHERE id = ?').run(hash, account.id);
      this.db.prepare('DELETE FROM tiandi_sessions WHERE account_id = ?').run(account.id);
    })();
  }

  /** Disables an account (it can no longer log in) and ends all its sessions. */
  disableAccount(name: string): Account {
    const account = this.requireAccount(name);
    this.db.transaction(() => {
      this.db.prepare('UPDATE tiandi_accounts SET disabled_at = ? WHERE id = ?').run(this.now().toISOString(), account.id);
      this.db.prepare('DELETE FROM tiandi_sessions WHERE account_id = ?').run(account.id);
    })();
    return this.getAccount(account.id)!;
  }

  /**
   * Checks a name and password. Returns the account, or null for an unknown name, a wrong password
   * or a disabled account (the caller cannot tell which, by result or by time).
   */
  async authenticate(name: string, password: string): Promise<Account | null> {
    const row = (typeof name === 'string' ? this.db.prepare('SELECT * FROM tiandi_accounts WHERE name = ?').get(name) : undefined) as AccountRow | undefined;
    if (!row) {
      this.dummyHash ??= hashPassword('not-a-real-password', this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
      await verifyPassword(String(password), await this.dummyHash);
      return null;
    }
    const ok = await verifyPassword(String(password), row.password_hash);
    if (!ok || row.disabled_at) return null;
    if (needsRehash(row.password_hash, this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS)) {
      const hash = await hashPassword(String(password), this.options.scrypt ?? DEFAULT_SCRYPT_PARAMS);
      this.db.prepare('UPDATE tiandi_accounts SET password_hash = ? WHERE id = ?').run(hash, row.id);
    }
    return toAccount(row);
  }

  /**
   * Opens a session for an account that lasts `ttlS` seconds. An account keeps at most
   * `maxPerAccount` sessions (default {@link MAX_SESSIONS_PER_ACCOUNT}): the oldest are ended, so
   * sessions cannot pile up.
   */
  createSession(account: Account, ttlS: number, maxPerAccount = MAX_SESSIONS_PER_ACCOUNT): NewSession {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttlS * 1000).toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO tiandi_sessions (token_sha256, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(sha256Hex(token), account.id, now.toISOString(), expiresAt);
      this.db
        .prepare(
          'DELETE FROM tiandi_sessions WHERE account_id = ? AND rowid NOT IN (SELECT rowid FROM tiandi_sessions WHERE account_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)',
        )
        .run(account.id, account.id, Math.max(1, maxPerAccount));
    })();
    return { token, expiresAt, account };
  }

  /** {@link authenticate} then {@link createSession}; null when the credentials are refused. */
  async login(name: string, password: string, ttlS: number): Promise<NewSession | null> {
    const account = await this.authenticate(name, password);
    return account ? this.createSession(account, ttlS) : null;
  }

  /** The account behind a live session token, or null when unknown, expired or disabled. */
  resolveSession(token: string): { account: Account; expiresAt: string } | null {
    if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
    const row = this.db
      .prepare(
        `SELECT a.*, s.expires_at AS session_expires_at FROM tiandi_sessions s JOIN tiandi_accounts a ON a.id = s.account_id
         WHERE s.token_sha256 = ?`,
      )
      .get(sha256Hex(token)) as (AccountRow & { session_expires_at: string }) | undefined;
    if (!row || row.disabled_at) return null;
    if (Date.parse(row.session_expires_at) <= this.now().getTime()) {
      this.endSession(token);
      return null;
    }
    return { account: toAccount(row), expiresAt: row.session_expires_at };
  }

  /** Ends one session (logout). */
  endSession(token: string): void {
    this.db.prepare('DELETE FROM tiandi_sessions WHERE token_sha256 = ?').run(sha256Hex(String(token)));
  }

  /** Deletes expired sessions; returns how many. */
  purgeExpiredSessions(): number {
    return this.db.prepare('DELETE FROM tiandi_sessions WHERE expires_at <= ?').run(this.now().toISOString()).changes;
  }

  private requireAccount(name: string): Account {
    const account = this.findByName(name);
    if (!account) throw new AccountError(E.notFound, `没有此账号 No account named '${name}'`, 'name');
    return account;
  }
}

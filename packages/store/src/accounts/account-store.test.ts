import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AccountStore, MAX_SESSIONS_PER_ACCOUNT } from './account-store';
import { AccountError } from './accounts-errors';

const FAST = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };

function setup(start = '2026-04-01T08:00:00Z') {
  const db = new Database(':memory:');
  let now = new Date(start);
  const store = new AccountStore(db, { scrypt: FAST, now: () => now });
  return { db, store, advance: (s: number) => (now = new Date(now.getTime() + s * 1000)) };
}

describe('AccountStore', () => {
  it('stores only a scrypt hash, never the clear password', async () => {
    const { db, store } = setup();
    await store.addAccount({ name: 'lin', role: 'manager', password: 'secret-pass-123' });
    const dump = JSON.stringify(db.prepare('SELECT * FROM tiandi_accounts').all());
    expect(dump).not.toContain('secret-pass-123');
    expect(dump).toContain('scrypt$1024$8$1$');
  });

  it('logs in with the right password only, and the session resolves to the account', async () => {
    const { store } = setup();
    const acc = await store.addAccount({ name: '一组', role: 'field', teamId: 'T1', password: 'field-pass-1' });
    expect(acc).toMatchObject({ name: '一组', role: 'field', teamId: 'T1' });
    expect(await store.login('一组', 'wrong-pass', 3600)).toBeNull();
    expect(await store.login('nobody', 'field-pass-1', 3600)).toBeNull();
    const s = (await store.login('一组', 'field-pass-1', 3600))!;
    expect(s.token.length).toBeGreaterThanOrEqual(40);
    expect(store.resolveSession(s.token)?.account.name).toBe('一组');
    expect(store.resolveSession(s.token + 'x')).toBeNull();
  });

  it('stores sessions as sha256 of the token, not the token', async () => {
    const { db, store } = setup();
    await store.addAccount({ name: 'ops', role: 'operator', password: 'operator-pw' });
    const s = (await store.login('ops', 'operator-pw', 60))!;
    const dump = JSON.stringify(db.prepare('SELECT * FROM tiandi_sessions').all());
    expect(dump).not.toContain(s.token);
  });

  it('expires sessions after their time to live', async () => {
    const { store, advance } = setup();
    await store.addAccount({ name: 'plan', role: 'planner', password: 'planner-pw' });
    const s = (await store.login('plan', 'planner-pw', 600))!;
    expect(s.expiresAt).toBe('2026-04-01T08:10:00.000Z');
    advance(599);
    expect(store.resolveSession(s.token)).not.toBeNull();
    advance(1);
    expect(store.resolveSession(s.token)).toBeNull();
  });

  it('ends sessions on logout, password change and disable', async () => {
    const { store } = setup();
    await store.addAccount({ name: 'mgr', role: 'manager', password: 'manager-pw' });
    const a = (await store.login('mgr', 'manager-pw', 600))!;
    store.endSession(a.token);
    expect(store.resolveSession(a.token)).toBeNull();
    const b = (await store.login('mgr', 'manager-pw', 600))!;
    await store.setPassword('mgr', 'manager-pw-2');
    expect(store.resolveSession(b.token)).toBeNull();
    expect(await store.login('mgr', 'manager-pw', 600)).toBeNull();
    const c = (await store.login('mgr', 'manager-pw-2', 600))!;
    store.disableAccount('mgr');
    expect(store.resolveSession(c.token)).toBeNull();
    expect(await store.login('mgr', 'manager-pw-2', 600)).toBeNull();
  });

  it('refuses bad names, roles, short passwords, field accounts without a team and duplicate names', async () => {
    const { store } = setup();
    const codes: string[] = [];
    const attempts = [
      { name: 'a b', role: 'admin', password: 'long-enough' },
      { name: 'x1', role: 'boss', password: 'long-enough' },
      { name: 'x2', role: 'admin', password: 'short' },
      { name: 'x3', role: 'field', password: 'long-enough' },
    ];
    for (const a of attempts) {
      await store.addAccount(a as never).catch((e: AccountError) => codes.push(e.code));
    }
    await store.addAccount({ name: 'dup', role: 'admin', password: 'long-enough' });
    await store.addAccount({ name: 'DUP', role: 'admin', password: 'long-enough' }).catch((e: AccountError) => codes.push(e.code));
    expect(codes).toEqual(['TIANDI_E_ACCOUNT_NAME', 'TIANDI_E_ACCOUNT_ROLE', 'TIANDI_E_ACCOUNT_PASSWORD', 'TIANDI_E_ACCOUNT_TEAM', 'TIANDI_E_ACCOUNT_EXISTS']);
  });

  it('re-hashes a weak stored hash at login with the stronger parameters', async () => {
    const db = new Database(':memory:');
    const weak = new AccountStore(db, { scrypt: { ...FAST, N: 1 << 8 } });
    await weak.addAccount({ name: 'old', role: 'admin', password: 'old-account-pw' });
    const strong = new AccountStore(db, { scrypt: FAST });
    expect(await strong.authenticate('old', 'old-account-pw')).not.toBeNull();
    const row = db.prepare('SELECT password_hash FROM tiandi_accounts').get() as { password_hash: string };
    expect(row.password_hash.startsWith('scrypt$1024$')).toBe(true);
  });

  it('keeps at most MAX_SESSIONS_PER_ACCOUNT sessions per account, ending the oldest (issue 15)', async () => {
    const { store, advance } = setup();
    const a = await store.addAccount({ name: 'ops', role: 'operator', password: 'operator-pw' });
    const other = await store.addAccount({ name: 'plan', role: 'planner', password: 'planner-pw' });
    const theirs = store.createSession(other, 600);
    const tokens = [];
    for (let i = 0; i < MAX_SESSIONS_PER_ACCOUNT + 5; i++) {
      advance(1);
      tokens.push(store.createSession(a, 600).token);
    }
    const live = tokens.filter((t) => store.resolveSession(t));
    expect(live).toEqual(tokens.slice(-MAX_SESSIONS_PER_ACCOUNT));
    expect(store.resolveSession(theirs.token)).not.toBeNull();
    // Several in the same millisecond: still the newest are kept.
    const burst = Array.from({ length: 3 }, () => store.createSession(a, 600, 2).token);
    expect(burst.map((t) => store.resolveSession(t) !== null)).toEqual([false, true, true]);
  });
});

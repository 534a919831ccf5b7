import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AccountStore } from '@tiandi/store/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../app';
import { accountsModule } from '../auth/accounts-module';
import health from './health';
import auth from './auth';
import users from './users';

const FAST = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-auth-'));
  dirs.push(d);
  const db = new Database(':memory:');
  const accounts = new AccountStore(db, { scrypt: FAST });
  await accounts.addAccount({ name: 'admin', role: 'admin', password: 'admin-password' });
  await accounts.addAccount({ name: 'team1', role: 'field', teamId: 'T1', password: 'team1-password' });
  const logs: string[] = [];
  const logger = {
    level: 'trace',
    stream: { write: (s: string) => void logs.push(s) },
  };
  const app = await buildServer({ workspacePath: path.join(d, 'w.gpkg'), dataDir: d, logger: logger as never }, [
    accountsModule(accounts),
    health,
    auth,
    users,
  ]);
  const login = async (name: string, password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } });
  return { app, db, accounts, logs, login };
}

describe('auth routes', () => {
  it('signs in, sets an HttpOnly SameSite=Strict cookie, and /me answers with cookie or bearer', async () => {
    const { app, login } = await setup();
    const res = await login('team1', 'team1-password');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account).toEqual({ id: expect.any(String), name: 'team1', role: 'field', team: 'T1' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tiandi_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/);
    const viaCookie = await app.inject({ url: '/api/auth/me', headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.json().account.name).toBe('team1');
    const viaBearer = await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(viaBearer.statusCode).toBe(200);
    const session = await app.inject({ url: '/api/auth/session', headers: { cookie: cookie.split(';')[0] } });
    expect(session.json()).toMatchObject({ account: { name: 'team1', role: 'field' }, expiresAt: expect.any(String) });
    await app.close();
  });

  it('answers /session with 200 and no account when signed out or the token is unknown, so a cold load logs no 401', async () => {
    const { app } = await setup();
    for (const headers of [{}, { cookie: 'tiandi_session=nope' }, { authorization: 'Bearer nope' }]) {
      const r = await app.inject({ url: '/api/auth/session', headers });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ account: null, expiresAt: null });
      expect(r.headers['cache-control']).toBe('no-store');
    }
    await app.close();
  });

  it('refuses wrong passwords and unknown names alike with 401, and /me without a session with 401', async () => {
    const { app, login } = await setup();
    for (const [n, p] of [
      ['team1', 'nope-nope'],
      ['ghost', 'team1-password'],
    ]) {
      const r = await login(n, p);
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('TIANDI_E_AUTH_BAD_CREDENTIALS');
    }
    const me = await app.inject({ url: '/api/auth/me' });
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('TIANDI_E_AUTH_REQUIRED');
    await app.close();
  });

  it('throttles repeated failures for one name with 429', async () => {
    const { app, login } = await setup();
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('admin', `wrong-${i}-pass`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    await app.close();
  });

  it('checks at most 5 hashes for 400 concurrent wrong passwords to one account; the rest get 429 at once', async () => {
    const { app, accounts, login } = await setup();
    let checked = 0;
    const authenticate = accounts.authenticate.bind(accounts);
    accounts.authenticate = async (n: string, p: string) => {
      checked++;
      return authenticate(n, p);
    };
    const codes = await Promise.all(Array.from({ length: 400 }, (_, i) => login('admin', `wrong-${i}-password`).then((r) => r.statusCode)));
    expect(checked).toBe(5);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(395);
    // Even the right password is refused while the account is locked from this address.
    expect((await login('admin', 'admin-password')).statusCode).toBe(429);
    await app.close();
  });

  it('refuses Origin: null and other sites for cookie state changes and for sign-in (issue 15)', async () => {
    const { app, login } = await setup();
    const cookie = String((await login('admin', 'admin-password')).headers['set-cookie']).split(';')[0];
    const payload = { name: 'y-user', role: 'planner', password: 'planner-password' };
    for (const origin of ['null', 'https://evil.example', 'not a url']) {
      const r = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin, host: 'tiandi.local' }, payload });
      expect(r.statusCode, origin).toBe(403);
      expect(r.json().code).toBe('TIANDI_E_AUTH_ORIGIN');
      const l = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin, host: 'tiandi.local' },
        payload: { name: 'admin', password: 'admin-password' },
      });
      expect(l.statusCode, origin).toBe(403);
    }
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'http://tiandi.local', host: 'tiandi.local' },
      payload: { name: 'admin', password: 'admin-password' },
    });
    expect(ok.statusCode).toBe(200);
    await app.close();
  });

  it('keeps at most 10 sessions per account: signing in an 11th time ends the oldest (issue 15)', async () => {
    const { app, login } = await setup();
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) tokens.push((await login('team1', 'team1-password')).json().token);
    const alive = [];
    for (const t of tokens) alive.push((await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${t}` } })).statusCode === 200);
    expect(alive).toEqual([false, false, ...Array(10).fill(true)]);
    await app.close();
  });

  it('logs out: the token stops working', async () => {
    const { app, login } = await setup();
    const { token } = (await login('admin', 'admin-password')).json();
    const h = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/auth/me', headers: h })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: h });
    expect((await app.inject({ url: '/api/auth/me', headers: h })).statusCode).toBe(401);
    await app.close();
  });

  it('refuses a state change carried by the cookie from another site (Origin check)', async () => {
    const { app, login } = await setup();
    const cookie = String((await login('admin', 'admin-password')).headers['set-cookie']).split(';')[0];
    const payload = { name: 'x-user', role: 'planner', password: 'planner-password' };
    const evil = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: 'https://evil.example', host: 'tiandi.local' }, payload });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('TIANDI_E_AUTH_ORIGIN');
    const same = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: 'http://tiandi.local', host: 'tiandi.local' }, payload });
    expect(same.statusCode).toBe(201);
    await app.close();
  });

  it('never writes a password or token to the log or the database in clear', async () => {
    const { app, db, logs, login } = await setup();
    const { token } = (await login('admin', 'admin-password')).json();
    await login('admin', 'typo-password-zz');
    await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'new1', role: 'manager', password: 'brand-new-secret' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/users/new1/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { password: 'second-new-secret' },
    });
    const all =
      logs.join('\n') + JSON.stringify(db.prepare('SELECT * FROM tiandi_accounts').all()) + JSON.stringify(db.prepare('SELECT * FROM tiandi_sessions').all());
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['admin-password', 'typo-password-zz', 'brand-new-secret', 'second-new-secret', token]) expect(all).not.toContain(secret);
    await app.close();
  });
});

describe('users routes', () => {
  it('lets only admins list and add accounts (401 without session, 403 for other roles), never returning hashes', async () => {
    const { app, login } = await setup();
    const adminToken = (await login('admin', 'admin-password')).json().token;
    const fieldToken = (await login('team1', 'team1-password')).json().token;
    const routes = [
      { method: 'GET' as const, url: '/api/users' },
      { method: 'POST' as const, url: '/api/users', payload: { name: 'p1', role: 'planner', password: 'planner-pass' } },
      { method: 'POST' as const, url: '/api/users/team1/password', payload: { password: 'another-pass' } },
      { method: 'POST' as const, url: '/api/users/team1/disable' },
    ];
    for (const r of routes) {
      expect((await app.inject(r)).statusCode, `${r.method} ${r.url} anonymous`).toBe(401);
      const f = await app.inject({ ...r, headers: { authorization: `Bearer ${fieldToken}` } });
      expect(f.statusCode, `${r.method} ${r.url} as field`).toBe(403);
      expect(f.json().code).toBe('TIANDI_E_AUTH_ROLE');
      // The web app words the refusal in the user's language from these; the message stays bilingual for the CLI.
      expect(f.json().params).toEqual({ role: 'field', allowed: 'admin' });
    }
    const list = await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${adminToken}` } });
    expect(list.json().accounts.map((a: { name: string }) => a.name)).toEqual(['admin', 'team1']);
    expect(list.body).not.toContain('scrypt');
    const dup = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'team1', role: 'planner', password: 'planner-pass' },
    });
    expect(dup.statusCode).toBe(409);
    const noTeam = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'team2', role: 'field', password: 'field-pass-2' },
    });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.json().field).toBe('teamId');
    const disable = await app.inject({ method: 'POST', url: '/api/users/team1/disable', headers: { authorization: `Bearer ${adminToken}` } });
    expect(disable.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${fieldToken}` } })).statusCode).toBe(401);
    await app.close();
  });
});

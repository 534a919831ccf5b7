import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { AccountStore } from '@tiandi/store/accounts';
import { Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import user from './user';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-user-'));
  dirs.push(d);
  const file = path.join(d, 'w.gpkg');
  Workspace.create(file).close();
  return file;
}

function notWorkspace(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-user-'));
  dirs.push(d);
  fs.writeFileSync(path.join(d, 'x.gpkg'), 'not sqlite');
  return path.join(d, 'x.gpkg');
}

async function run(argv: string[], stdinText = '') {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd: process.cwd(),
    stdin: Readable.from([Buffer.from(stdinText)]),
  };
  const status = await user.run(argv, io);
  return { status, out, err };
}

describe('tiandi user', () => {
  it('adds an account with the password from stdin, never echoing it, and the account can sign in', async () => {
    const ws = workspace();
    const r = await run(['add', '一组', '--role', 'field', '--team', 'T1', '--workspace', ws], 'pa55-w0rd-field\n');
    expect(r).toMatchObject({ status: 0, err: '' });
    expect(r.out).toContain('一组 (field, team T1)');
    expect(r.out + r.err).not.toContain('pa55-w0rd-field');
    const w = Workspace.open(ws);
    expect((await new AccountStore(dbOf(w)).authenticate('一组', 'pa55-w0rd-field'))?.teamId).toBe('T1');
    w.close();
    expect(fs.readFileSync(ws).includes(Buffer.from('pa55-w0rd-field'))).toBe(false);
    const list = await run(['list', '--workspace', ws]);
    expect(list.out).toBe('一组\tfield\tT1\tactive\n');
  });

  it('refuses bad input with one line and exit 2', async () => {
    const ws = workspace();
    const cases: [string[], string, RegExp][] = [
      [['add', 'x1', '--role', 'boss', '--workspace', ws], 'password-123\n', /^tiandi: user: .*unknown role 'boss'.*\n$/],
      [['add', 'x1', '--role', 'field', '--workspace', ws], 'password-123\n', /needs --team/],
      [['add', 'x1', '--role', 'admin', '--workspace', ws], '', /no password on standard input/],
      [['add', 'x1', '--role', 'admin', '--workspace', ws], 'short\n', /^tiandi: .*w\.gpkg: .*at least 8 characters/],
      [['add', 'x1', 'hunter2hunter2', '--role', 'admin', '--workspace', ws], '', /unexpected argument/],
      [['add', 'x1', '--role', 'admin', '--password', 'p', '--workspace', ws], '', /Unknown option '--password'/],
      [['add', 'x1', '--role', 'admin', '--workspace', ws + '.missing'], 'password-123\n', /workspace not found; create it with 'tiandi init/],
      [['add', 'x1', '--role', 'admin', '--workspace', notWorkspace()], 'password-123\n', /is this a .gpkg made by 'tiandi init'|not a Tiandi workspace/],
    ];
    for (const [argv, stdin, re] of cases) {
      const r = await run(argv, stdin);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    await run(['add', 'dup', '--role', 'admin', '--workspace', ws], 'password-123\n');
    const dup = await run(['add', 'DUP', '--role', 'admin', '--workspace', ws], 'password-123\n');
    expect(dup.status).toBe(2);
    expect(dup.err).toContain('already exists');
  });

  it('changes a password and disables an account', async () => {
    const ws = workspace();
    await run(['add', 'mgr', '--role', 'manager', '--workspace', ws], 'first-password\n');
    expect((await run(['passwd', 'mgr', '--workspace', ws], 'second-password\n')).status).toBe(0);
    expect((await run(['disable', 'mgr', '--workspace', ws])).status).toBe(0);
    const w = Workspace.open(ws);
    expect(new AccountStore(dbOf(w)).findByName('mgr')?.disabledAt).not.toBeNull();
    w.close();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AccountStore } from '@tiandi/store/accounts';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app';
import { accountsModule } from '../auth/accounts-module';
import type { RouteModule, ServerOptions } from '../context';
import { routes } from '../routes/index';

const FAST_SCRYPT = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };

/** A server for tests over a fresh temp folder, with an operator, planner, manager and field account signed in. */
export async function signedInServer(
  opts: Partial<ServerOptions> = {},
  modules: RouteModule[] = routes,
): Promise<{
  app: FastifyInstance;
  dir: string;
  /** Authorization headers by role. */
  as: Record<'operator' | 'planner' | 'manager' | 'field', { authorization: string }>;
  cleanup(): Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-srv-'));
  const db = new Database(':memory:');
  const accounts = new AccountStore(db, { scrypt: FAST_SCRYPT });
  const roles = ['operator', 'planner', 'manager', 'field'] as const;
  for (const role of roles) await accounts.addAccount({ name: role, role, password: `${role}-password`, ...(role === 'field' ? { teamId: 'T1' } : {}) });
  const app = await buildServer({ workspacePath: path.join(dir, 'w.gpkg'), dataDir: path.join(dir, 'data'), ...opts }, [accountsModule(accounts), ...modules]);
  const as = {} as Record<(typeof roles)[number], { authorization: string }>;
  for (const role of roles) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: role, password: `${role}-password` } });
    as[role] = { authorization: `Bearer ${res.json().token}` };
  }
  return {
    app,
    dir,
    as,
    async cleanup() {
      await app.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

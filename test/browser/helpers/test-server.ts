import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer, ensureWebBuild } from '@tiandi/server';
import { Workspace } from '@tiandi/store';
import { openAccountStore } from '@tiandi/store/accounts';
import type { FastifyInstance } from 'fastify';

/** Accounts every browser test can sign in with (name = role, password = `<role>-password`). */
export const TEST_ACCOUNTS = ['operator', 'planner', 'manager', 'admin'] as const;

/**
 * Builds the web app if needed and starts the real server in-process on 127.0.0.1 with an
 * ephemeral port, over `workspacePath` (or a fresh one) with the test accounts added.
 */
export async function startTestServer(
  opts: { workspacePath?: string; dataDir?: string; modelDir?: string; setup?: (dir: string) => Promise<void> | void } = {},
): Promise<{
  app: FastifyInstance;
  url: string;
  dir: string;
  close(): Promise<void>;
}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-browser-'));
  const workspacePath = opts.workspacePath ?? path.join(dir, 'survey.gpkg');
  await opts.setup?.(dir);
  const webRoot = await ensureWebBuild();
  if (!fs.existsSync(workspacePath)) Workspace.create(workspacePath).close();
  const { accounts, close: closeAccounts } = await openAccountStore(workspacePath, { scrypt: { N: 1 << 12, r: 8, p: 1, keyLen: 32 } });
  for (const role of TEST_ACCOUNTS) {
    if (!accounts.findByName(role)) await accounts.addAccount({ name: role, role, password: `${role}-password` });
  }
  closeAccounts();
  const app = await buildServer({ workspacePath, dataDir: opts.dataDir ?? path.join(dir, 'data'), webRoot, modelDir: opts.modelDir });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: address,
    dir,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

import fs from 'node:fs';
import { Workspace } from '@tiandi/store';
import type { ServerContext } from '../context';

const KEY = 'workspace';

/**
 * The server's one workspace connection, opened on first use (created, empty, when the file does
 * not exist yet, so `tiandi serve --workspace new.gpkg` starts a new survey). Closed with the server.
 */
export function workspaceOf(ctx: ServerContext): Workspace {
  let ws = ctx.services.get(KEY) as Workspace | undefined;
  if (!ws) {
    const file = ctx.options.workspacePath;
    ws = fs.existsSync(file) ? Workspace.open(file) : Workspace.create(file);
    ctx.services.set(KEY, ws);
  }
  return ws;
}

/** Closes the workspace if it was opened. */
export function closeWorkspace(ctx: ServerContext): void {
  const ws = ctx.services.get(KEY) as Workspace | undefined;
  if (ws) {
    ws.close();
    ctx.services.delete(KEY);
  }
}

/** The audit actor of a request: the signed-in account name, or 'web' when auth is off. */
export function actorOf(account: { name: string } | null): string {
  return account?.name ?? 'web';
}

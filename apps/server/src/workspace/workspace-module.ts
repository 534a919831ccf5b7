import fs from 'node:fs';
import { Workspace } from '@tiandi/store';
import type { RouteModule } from '../context';
import { closeWorkspace } from './workspace-service';

/**
 * Creates the workspace file if it does not exist yet (before anything else opens it, e.g. the
 * account store), and closes the shared connection when the server closes.
 */
export const workspaceModule: RouteModule = {
  name: 'workspace',
  register(_app, ctx) {
    if (!fs.existsSync(ctx.options.workspacePath)) Workspace.create(ctx.options.workspacePath).close();
  },
  close(ctx) {
    closeWorkspace(ctx);
  },
};

import type { RouteModule } from '../context';
import { closeWorkspace } from './workspace-service';

/** Closes the shared workspace connection when the server closes (it is opened on first use). */
export const workspaceModule: RouteModule = {
  name: 'workspace',
  register() {},
  close(ctx) {
    closeWorkspace(ctx);
  },
};

import type { RouteModule } from '../context';
import health from './health';
import jobs from './jobs';
import uploads from './uploads';
import rasters from './rasters';
import auth from './auth';
import users from './users';

/**
 * Every route module of the server, registered in this order. One file per resource under
 * src/routes/; to add one, create the file and add one line here.
 */
export const routes: RouteModule[] = [
  health,
  jobs,
  uploads,
  rasters,
  auth,
  users,
];

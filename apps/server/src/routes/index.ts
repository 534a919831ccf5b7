import type { RouteModule } from '../context';
import health from './health';
import jobs from './jobs';
import uploads from './uploads';
import rasters from './rasters';
import zones from './zones';
import images from './images';
import scans from './scans';
import targets from './targets';
import plans from './plans';
import reports from './reports';
import certifications from './certifications';
import planning from './planning';
import { workspaceModule } from '../workspace/workspace-module';
import auth from './auth';
import users from './users';
import field from './field';
import manager from './manager';
import triage from './triage';
import adaptation from './adaptation';
import zoneImport from './zone-import';

/**
 * Every route module of the server, registered in this order. One file per resource under
 * src/routes/; to add one, create the file and add one line here.
 */
export const routes: RouteModule[] = [
  health,
  workspaceModule,
  jobs,
  uploads,
  rasters,
  zones,
  images,
  scans,
  targets,
  plans,
  reports,
  certifications,
  planning,
  auth,
  users,
  field,
  manager,
  triage,
  adaptation,
  zoneImport,
];

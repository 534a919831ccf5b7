import fs from 'node:fs';
import path from 'node:path';
import { readDepot, roadsVersion, setDepot, setRoads, type Workspace } from '@tiandi/store';
import { validateRoads } from './validate-roads';
import { depotFromGeoJson, roadWaysFromGeoJson } from './workspace-roads';

/** Files older servers kept in the data folder for the planner (now the workspace's roads and depots layers). */
export const LEGACY_PLANNING_FILES = { roads: 'roads.geojson', depot: 'depot.geojson' } as const;

/** What {@link migratePlanningFiles} did with each old file. */
export interface PlanningFilesMigration {
  roads?: 'imported' | 'kept-workspace' | 'invalid';
  depot?: 'imported' | 'kept-workspace' | 'invalid';
  messages: string[];
}

/** True when the data folder still holds a planning file of an older server. */
export function hasLegacyPlanningFiles(dataDir: string): boolean {
  return Object.values(LEGACY_PLANNING_FILES).some((f) => fs.existsSync(path.join(dataDir, f)));
}

/**
 * Moves an older server's roads.geojson and depot.geojson into the workspace, once: each is imported
 * (audited) unless the workspace already has its own, then renamed `*.migrated` so it is not read
 * again (nothing is deleted). A file that cannot be read stays as it is, with a message saying why.
 */
export function migratePlanningFiles(dataDir: string, ws: Workspace, actor = 'server'): PlanningFilesMigration {
  const out: PlanningFilesMigration = { messages: [] };
  const roadsFile = path.join(dataDir, LEGACY_PLANNING_FILES.roads);
  if (fs.existsSync(roadsFile)) {
    try {
      const fc = JSON.parse(fs.readFileSync(roadsFile, 'utf8'));
      validateRoads(fc);
      if (roadsVersion(ws) > 0) out.roads = 'kept-workspace';
      else {
        setRoads(ws, roadWaysFromGeoJson(fc), LEGACY_PLANNING_FILES.roads, actor);
        out.roads = 'imported';
      }
      fs.renameSync(roadsFile, `${roadsFile}.migrated`);
      out.messages.push(
        out.roads === 'imported'
          ? `${roadsFile}: 路网已移入工作区 roads moved into the workspace`
          : `${roadsFile}: 工作区已有路网，未导入 the workspace already has roads; file not imported`,
      );
    } catch (e) {
      out.roads = 'invalid';
      out.messages.push(`${roadsFile}: 无法移入工作区 cannot move into the workspace (${(e as Error).message}); fix it or upload the roads again`);
    }
  }
  const depotFile = path.join(dataDir, LEGACY_PLANNING_FILES.depot);
  if (fs.existsSync(depotFile)) {
    let depot = null;
    try {
      depot = depotFromGeoJson(JSON.parse(fs.readFileSync(depotFile, 'utf8')));
    } catch {
      depot = null;
    }
    if (!depot) {
      out.depot = 'invalid';
      out.messages.push(`${depotFile}: 不是驻地点 not a depot Point; set the depot again in the planner`);
    } else {
      if (readDepot(ws)) out.depot = 'kept-workspace';
      else {
        setDepot(ws, depot, actor);
        out.depot = 'imported';
      }
      fs.renameSync(depotFile, `${depotFile}.migrated`);
      out.messages.push(
        out.depot === 'imported'
          ? `${depotFile}: 驻地已移入工作区 depot moved into the workspace`
          : `${depotFile}: 工作区已有驻地，未导入 the workspace already has a depot; file not imported`,
      );
    }
  }
  return out;
}

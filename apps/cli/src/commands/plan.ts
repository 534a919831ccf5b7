import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import type { Workspace } from '@tiandi/store';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, rel } from '../workspace-command';
import { readDemFile, readRoadsFile } from './plan-inputs';

const usage = `用法 Usage:
  tiandi plan --workspace <survey.gpkg> --out <dir> [--roads <roads>] [--depot <lon,lat | depot.geojson>] [--min-score 0.35]
  tiandi plan --targets <targets.geojson> --depot <lon,lat | depot.geojson> --out <dir> [--roads <roads>]
              [--teams N | --teams-file <teams.json>] [--shift 8h] [--start 08:00] [--service 10m]
              [--max-stops N] [--days N] [--break 12:00+1h] [--daylight 07:00-19:00] [--objective makespan|total]
              [--walk-speed 4] [--max-walk 2000] [--speed 30] [--detour 1.3] [--dem <N27E102.hgt | dem.tif>]
              [--time-limit 1.5s] [--iterations N] [--seed 1] [--date YYYY-MM-DD] [--plan-id <id>]
              [--visited <ids.txt | id,id>] [--previous <plan.json>]

--workspace: 用工作区中待核查的目标（得分 ≥ --min-score，默认取调查季规则 review_threshold）、路网与驻地规划，
  并把计划记入工作区（目标标记为已计划，外业组看到自己的路线），不再需要 tiandi plans import。
  给出的 --roads / --depot 存入工作区，之后可省略。
  Plans the workspace's open targets (score ≥ --min-score, by default the season policy's review_threshold),
  with the roads and depot stored in it, and records the plan there (no 'tiandi plans import' needed).
  --roads / --depot given with --workspace are stored in it for next time.
--roads: GeoJSON 线或 OpenStreetMap 数据 (.osm.pbf, .osm, .osm.gz)；道路只在共享节点处相连。
  GeoJSON lines or an OpenStreetMap extract (.osm.pbf, .osm, .osm.gz); ways meet only where they share a node.
--dem: SRTM 高程 (.hgt, .hgt.zip) 或经纬度 GeoTIFF；步行按坡度计时 (Tobler)。 Walking times follow the slope.
--objective: makespan（默认，最早完工、各组均衡）或 total（总时长最少）。 makespan (default: finish soonest, balanced) or total.

为多个踏查小组规划路线（车行道路 + 步行小路），输出到 --out 目录：
Plans inspection routes for several ground teams and writes to --out:
  plan.json             每组有序站点、到达/离开时间、总时长与里程、未安排目标及原因、目标函数
  routes.geojson        每组一条沿路网的线 + 站点 (WGS 84)
  routes.gpx            航点 + 每组一条航线与轨迹（手持 GPS，WGS 84）
  routes.kml            同上，供奥维/Google Earth
  stops.csv             可打印的站点表（含高德导航链接，GCJ-02）
  navigation-gcj02.html 每站一个高德导航链接（坐标已转换为 GCJ-02）

--teams-file: {"teams":[{"id":"A","name":"一组","start":[lon,lat],"end":[lon,lat],"shift_s":28800,"shift_start":"08:00","max_stops":20}]}
  每组可有自己的出发/返回地点与班次（未给出的用 --shift/--start/--max-stops）。Each team may have its own depots and shift.
目标: GeoJSON 点或多边形（扫描候选 id/score_max/score_mean/area_m2；可加 priority、service_s、time_window "HH:MM-HH:MM"）。
无 --roads 时按大地线距离 × --detour 以 --speed 计算。--service 为每个目标的基本作业时间（另加每 10 m² 1 分钟）。
重新规划: --visited 排除已核查目标，--previous 保持各组剩余顺序。结果在给定 --seed 与 --iterations 时可复现。
Targets: GeoJSON points or polygons. Without --roads travel is geodesic × --detour at --speed.
Re-plan: --visited leaves inspected targets out, --previous keeps each team's remaining order.
Deterministic for a --seed with --iterations (a --time-limit alone depends on the machine).
`;

/** A bad-input error printed as `tiandi: <file>: <message>` with exit status 2 (the CLI's TIANDI_E_USAGE). */
class BadInput extends UsageError {}

const plan: Command = {
  summary: '规划踏查路线 Plan ground inspection routes for several teams',
  usage,
  async run(argv, io) {
    try {
      return await runPlan(argv, io);
    } catch (e) {
      if (e instanceof BadInput) {
        io.stderr.write(`tiandi: ${e.file}: ${e.message}\n`);
        return EXIT.badInput;
      }
      throw e;
    }
  },
};
export default plan;

async function runPlan(argv: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        ['targets', 'workspace', 'min-score', 'objective', 'dem', 'plan-id', 'actor', 'roads', 'depot', 'out', 'teams', 'teams-file', 'shift', 'start', 'service', 'max-stops', 'days', 'break', 'daylight', 'walk-speed', 'max-walk', 'speed', 'detour', 'time-limit', 'iterations', 'seed', 'date', 'visited', 'previous'].map((k) => [k, { type: 'string' as const }]),
      ),
    }) as { values: Record<string, string | undefined> });
  } catch (e) {
    if (argv.some((a) => a === '--snap' || a.startsWith('--snap='))) throw new BadInput('--snap', '不再需要 no longer needed: ways meet only where they share a node (OSM node id, or the exact same vertex); drop the flag');
    throw new BadInput('plan', `${(e as Error).message}; see 'tiandi plan --help'`);
  }
  const P = await import('@tiandi/planner');
  const need = (k: string): string => {
    const v = values[k];
    if (!v) throw new BadInput('plan', `缺少 --${k} missing --${k}; see 'tiandi plan --help'`);
    return v;
  };
  const wsFile = values.workspace ? path.resolve(io.cwd, values.workspace) : null;
  if (wsFile && values.targets) throw new BadInput('plan', '--targets 与 --workspace 二选一 give either --targets or --workspace (which plans its own targets)');
  if (!wsFile && !values.targets) throw new BadInput('plan', "缺少 --targets 或 --workspace missing --targets <file> or --workspace <gpkg>; see 'tiandi plan --help'");
  const targetsFile = wsFile ? rel(io, wsFile) : values.targets!;
  const outDir = need('out');
  const depotArg = values['teams-file'] || wsFile ? values.depot : need('depot');
  const S = wsFile ? await import('@tiandi/store') : null;
  const ws = wsFile && S ? openWorkspace(S, wsFile) : null;
  try {

  const readJson = async (file: string, what: string): Promise<unknown> => {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new BadInput(file, `无法读取 cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path`);
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new BadInput(file, `不是有效的 JSON not valid JSON (${(e as Error).message}): export the ${what} as GeoJSON`);
    }
  };
  const num = (k: string, def: number, min = 0): number => {
    const v = values[k];
    if (v === undefined) return def;
    const x = Number(v);
    if (!Number.isFinite(x) || x < min) throw new BadInput(`--${k}`, `需要 ≥ ${min} 的数 expected a number ≥ ${min}, got '${v}'`);
    return x;
  };
  const int = (k: string, def: number, min = 1): number => {
    const x = num(k, def, min);
    if (!Number.isInteger(x)) throw new BadInput(`--${k}`, `需要整数 expected an integer, got '${values[k]}'`);
    return x;
  };
  const dur = (k: string, def: number): number => {
    const v = values[k];
    if (v === undefined) return def;
    const s = parseDuration(v);
    if (s === null) throw new BadInput(`--${k}`, `时长格式如 8h、90m、1h30m、45s duration must look like 8h, 90m, 1h30m or 45s, got '${v}'`);
    return s;
  };
  const clock = (k: string, v: string): number => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(v.trim());
    if (!m || Number(m[1]) > 47 || Number(m[2]) > 59) throw new BadInput(`--${k}`, `时间格式 HH:MM time must look like 08:00, got '${v}'`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60;
  };

  // Targets: from the workspace (open, score ≥ the minimum) or the file.
  const w = (line: string): boolean => io.stdout.write(line + '\n');
  let targetsJson: unknown;
  if (ws && S) {
    let minScore = values['min-score'] !== undefined ? num('min-score', 0) : NaN;
    let why = '--min-score';
    if (!Number.isFinite(minScore)) {
      try {
        const season = S.readSeason(ws);
        minScore = season.policy.reviewThreshold;
        why = `调查季 season ${season.id} review_threshold`;
      } catch {
        minScore = 0.35;
        why = '默认 default review_threshold (no season set)';
      }
    }
    const got = S.planningTargets(ws, { minScore });
    targetsJson = got.fc;
    w(`目标 Targets: ${got.fc.features.length} 待核查 open with score ≥ ${minScore} (${why})${got.below ? `; ${got.below} 低于此分值未规划 below it, left out` : ''}${got.closed ? `; ${got.closed} 已结束 closed` : ''}`);
  } else targetsJson = await readJson(targetsFile, 'targets');
  let targets;
  try {
    targets = P.targetsFromGeoJson(targetsJson, { baseServiceS: dur('service', 600) });
  } catch (e) {
    if (e instanceof P.PlannerError) throw new BadInput(targetsFile, `${e.message}${e.code === 'TIANDI_E_NO_TARGETS' ? ': run tiandi scan first or pass a targets file with features' : ''}`);
    throw e;
  }

  // Depot.
  let depot: [number, number] | undefined;
  if (depotArg) {
    const ll = /^\s*(-?\d+(\.\d+)?)\s*,\s*(-?\d+(\.\d+)?)\s*$/.exec(depotArg);
    if (ll) depot = [Number(ll[1]), Number(ll[3])];
    else {
      const fc = (await readJson(depotArg, 'depot')) as { type?: string; features?: { geometry?: { type?: string; coordinates?: number[] } }[]; geometry?: { type?: string; coordinates?: number[] } };
      const g = fc.type === 'FeatureCollection' ? fc.features?.find((f) => f.geometry?.type === 'Point')?.geometry : fc.type === 'Feature' ? fc.geometry : (fc as { type?: string; coordinates?: number[] });
      if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) throw new BadInput(depotArg, '需要一个点要素 the depot file needs a Point feature; or pass --depot <lon,lat>');
      depot = [g.coordinates[0], g.coordinates[1]];
    }
    if (!(Math.abs(depot[0]) <= 180 && Math.abs(depot[1]) <= 90)) throw new BadInput('--depot', `经纬度超出范围 lon,lat out of range: '${depotArg}'`);
    if (ws && S) S.setDepot(ws, { id: 'depot', name: null, lonLat: depot }, actorOf(values.actor));
  } else if (ws && S) {
    depot = S.readDepot(ws)?.lonLat;
    if (!depot && !values['teams-file']) throw new BadInput(targetsFile, '工作区中没有驻地 no depot in the workspace: pass --depot <lon,lat | depot.geojson> once (it is stored)');
  }

  // Network.
  let network;
  let elevation;
  if (values.dem) {
    try {
      elevation = await readDemFile(path.resolve(io.cwd, values.dem));
    } catch (e) {
      throw new BadInput(values.dem, (e as Error).message);
    }
  }
  let ways: import('@tiandi/planner').OsmWay[] | null = null;
  if (values.roads) {
    try {
      ways = await readRoadsFile(path.resolve(io.cwd, values.roads));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BadInput(values.roads, code ? `无法读取路网 cannot read the roads (${code}): check the path` : (e as Error).message);
    }
    if (ws && S) S.setRoads(ws, ways.map((x, i) => ({ id: String(x.id ?? i), coords: x.coords, tags: stringTags(x.tags), ...(x.nodes ? { nodes: x.nodes } : {}) })), path.basename(values.roads), actorOf(values.actor));
  } else if (ws && S) {
    const stored = S.readRoads(ws);
    if (stored.length) ways = stored;
    else w('路网 Roads: 工作区中没有路网，按直线距离 × --detour 计算 none in the workspace: straight-line distance × --detour (pass --roads once to store them)');
  }
  if (ways) {
    try {
      network = P.buildNetwork({ ways }, { elevation });
    } catch (e) {
      if (e instanceof P.PlannerError) throw new BadInput(values.roads ?? targetsFile, `${e.message}: pass road lines with OSM highway tags, or an OSM extract`);
      throw e;
    }
    if (network.excluded) w(`路网 Roads: ${network.excluded} 条不可通行的道路未用 unusable ways left out (construction, proposed, abandoned, private …)`);
    // Ways meet only at shared nodes: say how much of the network one can drive around in, so badly joined data shows.
    const main = network.sccOf.reduce((a, c) => a + (c === network!.mainScc ? 1 : 0), 0);
    w(`路网 Roads: ${network.nodeCount} 个路口 junctions, ${network.edges.length} 段 roads; 最大连通部分 largest connected part ${((100 * main) / Math.max(1, network.nodeCount)).toFixed(0)} %${network.terrain ? '; 按坡度计时 slopes from the DEM' : ''}`);
  }

  // Teams and schedule.
  const nTeams = int('teams', 1);
  const shiftS = dur('shift', 8 * 3600);
  const startS = values.start ? clock('start', values.start) : 8 * 3600;
  const maxStops = values['max-stops'] ? int('max-stops', 0) : undefined;
  let teams;
  if (values['teams-file']) {
    const file = values['teams-file'];
    try {
      teams = P.teamsFromJson(await readJson(file, 'teams'), { shiftS, shiftStartS: startS, maxStops });
    } catch (e) {
      if (e instanceof P.PlannerError) throw new BadInput(file, e.message);
      throw e;
    }
  } else {
    teams = P.planTeams(nTeams, { start: depot!, shiftS, shiftStartS: startS, maxStops });
  }
  let brk;
  if (values.break) {
    const m = /^(\d{1,2}:\d{2})\+(.+)$/.exec(values.break);
    const d = m ? parseDuration(m[2]) : null;
    if (!m || d === null) throw new BadInput('--break', `格式如 12:00+1h break must look like 12:00+1h, got '${values.break}'`);
    brk = { earliestS: clock('break', m[1]), durationS: d };
  }
  let daylight;
  if (values.daylight) {
    const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(values.daylight);
    if (!m) throw new BadInput('--daylight', `格式如 07:00-19:00 daylight must look like 07:00-19:00, got '${values.daylight}'`);
    daylight = { earliestS: clock('daylight', m[1]), latestS: clock('daylight', m[2]) };
  }
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new BadInput('--date', `日期格式 YYYY-MM-DD date must look like 2026-04-10, got '${values.date}'`);

  // Re-planning.
  let visited: string[] | undefined;
  if (values.visited) {
    const v = values.visited;
    const text = /[\\/.]/.test(v) ? await readFile(path.resolve(io.cwd, v), 'utf8').catch(() => { throw new BadInput(v, '无法读取已核查列表 cannot read the visited list (one id per line)'); }) : v.replace(/,/g, '\n');
    visited = text.split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean);
  }
  let previous;
  if (values.previous) {
    previous = (await readJson(values.previous, 'previous plan')) as { version?: number; routes?: unknown };
    if (previous.version !== 1 || !Array.isArray(previous.routes)) throw new BadInput(values.previous, '不是 tiandi plan.json not a plan.json written by tiandi plan');
  }

  const objective = (values.objective ?? 'makespan') as 'makespan' | 'total';
  if (objective !== 'makespan' && objective !== 'total') throw new BadInput('--objective', `只能是 makespan 或 total must be makespan or total, got '${values.objective}'`);
  if (values['plan-id'] !== undefined && !/^[\w.-]{1,80}$/.test(values['plan-id'])) throw new BadInput('--plan-id', `计划编号只能含字母数字和 ._- letters, digits, . _ - (≤ 80), got '${values['plan-id']}'`);
  const t0 = Date.now();
  let result;
  try {
    result = P.planRoutes(
      {
        targets, teams, network, days: int('days', 1), break: brk, daylight, visited, previous: previous as never, date: values.date,
        travel: { walkKmh: num('walk-speed', 4, 0.1), maxWalkM: num('max-walk', 2000), speedKmh: num('speed', 30, 0.1), detourFactor: num('detour', 1.3, 1), ...(elevation ? { elevation } : {}) },
      },
      { seed: int('seed', 1, 0), timeLimitMs: dur('time-limit', 1.5) * 1000, maxIterations: values.iterations ? int('iterations', 1) : undefined, objective },
    );
  } catch (e) {
    if (e instanceof P.PlannerError) {
      const file = e.code === 'TIANDI_E_DEPOT_OFF_NETWORK' ? (values['teams-file'] ?? '--depot') : e.code === 'TIANDI_E_SHIFT_TOO_SHORT' ? '--shift' : e.code === 'TIANDI_E_NO_TARGETS' ? targetsFile : 'plan';
      throw new BadInput(file, e.message);
    }
    throw e;
  }
  const ms = Date.now() - t0;

  const out = path.resolve(io.cwd, outDir);
  await mkdir(out, { recursive: true });
  await Promise.all([
    writeFile(path.join(out, 'plan.json'), JSON.stringify(result, null, 1) + '\n'),
    writeFile(path.join(out, 'routes.geojson'), JSON.stringify(P.planToGeoJson(result)) + '\n'),
    writeFile(path.join(out, 'routes.gpx'), P.planToGpx(result)),
    writeFile(path.join(out, 'routes.kml'), P.planToKml(result)),
    writeFile(path.join(out, 'stops.csv'), P.planToCsv(result)),
    writeFile(path.join(out, 'navigation-gcj02.html'), P.planToNavigationHtml(result)),
  ]);

  const o = result.objective;
  w(`规划完成 Planned ${o.served}/${targets.length} targets in ${ms} ms (matrix ${result.stats.matrixMs} ms over ${result.stats.locations} places, ${result.stats.travel}; optimise ${result.stats.solveMs} ms, ${result.stats.iterations} iterations)`);
  for (const r of result.routes)
    w(`  ${(r.teamName ?? r.teamId).padEnd(14)} day ${r.day + 1}  ${String(r.stops.length).padStart(3)} stops  ${P.formatClock(r.departS)}–${P.formatClock(r.returnS)}  ${(r.durationS / 3600).toFixed(2)} h  ${(r.distanceM / 1000).toFixed(1)} km`);
  if (result.unassigned.length) {
    const by = new Map<string, number>();
    for (const u of result.unassigned) by.set(u.reason, (by.get(u.reason) ?? 0) + 1);
    w(`未安排 Unassigned ${result.unassigned.length}: ${[...by].map(([k, v]) => `${k} ${v}`).join(', ')} (reasons in plan.json)`);
  }
  if (result.visited.length) w(`已核查 Visited, left out: ${result.visited.length}`);
  w(`served priority ${o.servedPriority}, unserved ${o.unservedPriority}; total ${(o.totalDurationS / 3600).toFixed(2)} h, ${(o.totalDistanceM / 1000).toFixed(1)} km; imbalance ${(o.imbalanceS / 60).toFixed(0)} min`);
  if (o.makespanS) w(`最晚返回 makespan ${(o.makespanS / 3600).toFixed(2)} h (objective ${o.kind}); lower bound ${((o.lowerBoundS ?? 0) / 3600).toFixed(2)} h, gap ${((o.gapToLowerBound ?? 0) * 100).toFixed(1)} %; total work ÷ team-days ${((o.evenSplitS ?? 0) / 3600).toFixed(2)} h`);
  w(`→ ${path.relative(io.cwd, out) || '.'}/{plan.json,routes.geojson,routes.gpx,routes.kml,stops.csv,navigation-gcj02.html}`);
  if (ws && S && result.routes.length) {
    const text = JSON.stringify(result, null, 1) + '\n';
    const rec = S.planFromPlanJson(text, path.join(out, 'plan.json'), values['plan-id']);
    const r = S.importPlan(ws, rec, actorOf(values.actor));
    w(`已记入工作区 Recorded in ${targetsFile}: plan ${rec.planId}, ${rec.teams.length} teams, ${r.stops} stops, ${r.planned.length} targets now planned (field teams see their routes)`);
  }
  return EXIT.ok;
  } finally {
    ws?.close();
  }
}

/** OSM tags as the workspace keeps them: strings only. */
function stringTags(tags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== undefined && v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** Opens an existing workspace, or says how to make one. */
function openWorkspace(S: typeof import('@tiandi/store'), file: string): Workspace {
  if (!existsSync(file)) throw new BadInput(file, "找不到工作区 no such workspace: create it with 'tiandi init <file.gpkg>'");
  return S.Workspace.open(file);
}

/** "8h", "90m", "1h30m", "45s", "2.5h" or plain seconds → seconds; null if malformed. */
function parseDuration(v: string): number | null {
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)\s*(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : m[2] === 's' ? 1 : 0.001);
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : null;
}

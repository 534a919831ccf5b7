import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import type { Plan, PlanProblem, PlanTarget, RoadNetwork } from '@tiandi/planner';
import type { Workspace } from '@tiandi/store';
import { EXIT, type Command } from '../command';
import { actorOf, rel } from '../workspace-command';
import { readDemFile, readRoadsFile } from './plan-inputs';
import { BadInput, flagReaders, parseDuration, readJsonInput, type FlagReaders, type PlanFlags } from './plan-flags';

const usage = `用法 Usage:
  tiandi plan --workspace <survey.gpkg> --out <dir> [--roads <roads>] [--depot <lon,lat | depot.geojson>] [--min-score 0.35]
  tiandi plan --targets <targets.geojson> --depot <lon,lat | depot.geojson> --out <dir> [--roads <roads>]
              [--teams N | --teams-file <teams.json>] [--shift 8h] [--start 08:00] [--service 10m] [--service-per-m2 0.2]
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
无 --roads 时按大地线距离 × --detour 以 --speed 计算。
每个目标的作业时间 = --service（基本，默认 10 分钟）+ --service-per-m2 秒 × 地块面积（默认 0.2 秒/m²，约每 300 m² 1 分钟）；
与服务器和网页规划同一规则、同一默认值；目标自带 service_s 时用它。
重新规划: --visited 排除已核查目标，--previous 保持各组剩余顺序。结果在给定 --seed 与 --iterations 时可复现。
Targets: GeoJSON points or polygons. Without --roads travel is geodesic × --detour at --speed.
Time at a target = --service (base, default 10m) + --service-per-m2 seconds × plot area (default 0.2 s/m²,
about 1 min per 300 m²): the same rule and defaults as the server and the web planner; a target's own service_s wins.
Re-plan: --visited leaves inspected targets out, --previous keeps each team's remaining order.
Deterministic for a --seed with --iterations (a --time-limit alone depends on the machine).
`;

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

type Io = Parameters<Command['run']>[1];
type Planner = typeof import('@tiandi/planner');
type Store = typeof import('@tiandi/store');
type Elevation = Awaited<ReturnType<typeof readDemFile>>;

/** What every stage of one plan run reads: the flags, the planner, and the workspace when planning from one. */
interface PlanRun {
  values: PlanFlags;
  flags: FlagReaders;
  io: Io;
  P: Planner;
  /** The store and the open workspace with --workspace; null with --targets. */
  store: { S: Store; ws: Workspace } | null;
  /** The file named in messages about the targets (the workspace or --targets). */
  targetsFile: string;
  say: (line: string) => void;
}

/** Parses the flags, reads every input (in the order their errors are reported), plans, writes the files and records the plan. */
async function runPlan(argv: string[], io: Io): Promise<number> {
  const values = parsePlanArgs(argv);
  const P = await import('@tiandi/planner');
  const flags = flagReaders(values);
  const wsFile = values.workspace ? path.resolve(io.cwd, values.workspace) : null;
  if (wsFile && values.targets)
    throw new BadInput('plan', '--targets 与 --workspace 二选一 give either --targets or --workspace (which plans its own targets)');
  if (!wsFile && !values.targets)
    throw new BadInput('plan', "缺少 --targets 或 --workspace missing --targets <file> or --workspace <gpkg>; see 'tiandi plan --help'");
  const targetsFile = wsFile ? rel(io, wsFile) : values.targets!;
  const outDir = flags.need('out');
  const depotArg = values['teams-file'] || wsFile ? values.depot : flags.need('depot');
  const S = wsFile ? await import('@tiandi/store') : null;
  const ws = wsFile && S ? openWorkspace(S, wsFile) : null;
  const run: PlanRun = { values, flags, io, P, store: ws && S ? { S, ws } : null, targetsFile, say: (line) => io.stdout.write(line + '\n') };
  try {
    const targets = await loadTargets(run);
    const depot = await resolveDepot(run, depotArg);
    const { network, elevation } = await loadNetwork(run);
    const schedule = await readSchedule(run, depot);
    const replan = await readReplan(run);
    const { result, ms } = solve(run, { targets, network, ...schedule, ...replan }, elevation);
    const out = await writePlanFiles(P, path.resolve(io.cwd, outDir), result);
    printPlanSummary(run, result, targets.length, ms, out);
    if (run.store && result.routes.length) recordPlan(run, run.store, result, out);
    return EXIT.ok;
  } finally {
    ws?.close();
  }
}

const FLAGS = [
  'targets',
  'workspace',
  'min-score',
  'objective',
  'dem',
  'plan-id',
  'actor',
  'roads',
  'depot',
  'out',
  'teams',
  'teams-file',
  'shift',
  'start',
  'service',
  'service-per-m2',
  'max-stops',
  'days',
  'break',
  'daylight',
  'walk-speed',
  'max-walk',
  'speed',
  'detour',
  'time-limit',
  'iterations',
  'seed',
  'date',
  'visited',
  'previous',
];

function parsePlanArgs(argv: string[]): PlanFlags {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: Object.fromEntries(FLAGS.map((k) => [k, { type: 'string' as const }])) })
      .values as PlanFlags;
  } catch (e) {
    if (argv.some((a) => a === '--snap' || a.startsWith('--snap=')))
      throw new BadInput('--snap', '不再需要 no longer needed: ways meet only where they share a node (OSM node id, or the exact same vertex); drop the flag');
    throw new BadInput('plan', `${(e as Error).message}; see 'tiandi plan --help'`);
  }
}

/** Targets: from the workspace (open, score ≥ the minimum) or the --targets file. */
async function loadTargets(run: PlanRun): Promise<PlanTarget[]> {
  const { P, targetsFile } = run;
  const targetsJson = run.store ? workspaceTargets(run, run.store) : await readJsonInput(run.io.cwd, targetsFile, 'targets');
  try {
    // The planner's one service-time rule, its defaults where a flag is not given (as the server and the web).
    return P.targetsFromGeoJson(targetsJson, {
      baseS: run.flags.dur('service', P.SERVICE_TIME_DEFAULTS.baseS),
      perM2S: run.flags.num('service-per-m2', P.SERVICE_TIME_DEFAULTS.perM2S),
    });
  } catch (e) {
    if (e instanceof P.PlannerError)
      throw new BadInput(targetsFile, `${e.message}${e.code === 'TIANDI_E_NO_TARGETS' ? ': run tiandi scan first or pass a targets file with features' : ''}`);
    throw e;
  }
}

/** The workspace's open targets at or above --min-score (by default the season's review threshold), said aloud. */
function workspaceTargets(run: PlanRun, { S, ws }: { S: Store; ws: Workspace }): unknown {
  let minScore = run.values['min-score'] !== undefined ? run.flags.num('min-score', 0) : NaN;
  let why = '--min-score';
  if (!Number.isFinite(minScore)) {
    // Where the server and the web planner start too.
    const start = S.planningMinScore(ws);
    minScore = start.minScore;
    why = start.seasonId !== null ? `调查季 season ${start.seasonId} review_threshold` : '默认 default review_threshold (no season set)';
  }
  const got = S.planningTargets(ws, { minScore });
  run.say(
    `目标 Targets: ${got.fc.features.length} 待核查 open with score ≥ ${minScore} (${why})${got.below ? `; ${got.below} 低于此分值未规划 below it, left out` : ''}${got.closed ? `; ${got.closed} 已结束 closed` : ''}`,
  );
  return got.fc;
}

/** The depot from --depot (lon,lat or a GeoJSON point, stored in the workspace), else the workspace's. */
async function resolveDepot(run: PlanRun, depotArg: string | undefined): Promise<[number, number] | undefined> {
  const { store } = run;
  if (depotArg) {
    const depot = await parseDepot(run.io.cwd, depotArg);
    if (store) store.S.setDepot(store.ws, { id: 'depot', name: null, lonLat: depot }, actorOf(run.values.actor));
    return depot;
  }
  if (!store) return undefined;
  const depot = store.S.readDepot(store.ws)?.lonLat;
  if (!depot && !run.values['teams-file'])
    throw new BadInput(run.targetsFile, '工作区中没有驻地 no depot in the workspace: pass --depot <lon,lat | depot.geojson> once (it is stored)');
  return depot;
}

async function parseDepot(cwd: string, depotArg: string): Promise<[number, number]> {
  let depot: [number, number];
  const ll = /^\s*(-?\d+(\.\d+)?)\s*,\s*(-?\d+(\.\d+)?)\s*$/.exec(depotArg);
  if (ll) depot = [Number(ll[1]), Number(ll[3])];
  else {
    const fc = (await readJsonInput(cwd, depotArg, 'depot')) as {
      type?: string;
      features?: { geometry?: { type?: string; coordinates?: number[] } }[];
      geometry?: { type?: string; coordinates?: number[] };
    };
    const g =
      fc.type === 'FeatureCollection'
        ? fc.features?.find((f) => f.geometry?.type === 'Point')?.geometry
        : fc.type === 'Feature'
          ? fc.geometry
          : (fc as { type?: string; coordinates?: number[] });
    if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates))
      throw new BadInput(depotArg, '需要一个点要素 the depot file needs a Point feature; or pass --depot <lon,lat>');
    depot = [g.coordinates[0], g.coordinates[1]];
  }
  if (!(Math.abs(depot[0]) <= 180 && Math.abs(depot[1]) <= 90)) throw new BadInput('--depot', `经纬度超出范围 lon,lat out of range: '${depotArg}'`);
  return depot;
}

/** The road network (from --roads, stored in the workspace, else the workspace's) with slopes from --dem; none means straight lines. */
async function loadNetwork(run: PlanRun): Promise<{ network?: RoadNetwork; elevation?: Elevation }> {
  const { values, P } = run;
  let elevation: Elevation | undefined;
  if (values.dem) {
    try {
      elevation = await readDemFile(path.resolve(run.io.cwd, values.dem));
    } catch (e) {
      throw new BadInput(values.dem, (e as Error).message);
    }
  }
  const ways = await loadWays(run);
  if (!ways) return { elevation };
  let network: RoadNetwork;
  try {
    network = P.buildNetwork({ ways }, { elevation });
  } catch (e) {
    if (e instanceof P.PlannerError)
      throw new BadInput(values.roads ?? run.targetsFile, `${e.message}: pass road lines with OSM highway tags, or an OSM extract`);
    throw e;
  }
  describeNetwork(run.say, network);
  return { network, elevation };
}

async function loadWays(run: PlanRun): Promise<import('@tiandi/planner').OsmWay[] | null> {
  const { values, store } = run;
  if (values.roads) {
    let ways: import('@tiandi/planner').OsmWay[];
    try {
      ways = await readRoadsFile(path.resolve(run.io.cwd, values.roads));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BadInput(values.roads, code ? `无法读取路网 cannot read the roads (${code}): check the path` : (e as Error).message);
    }
    if (store)
      store.S.setRoads(
        store.ws,
        ways.map((x, i) => ({ id: String(x.id ?? i), coords: x.coords, tags: stringTags(x.tags), ...(x.nodes ? { nodes: x.nodes } : {}) })),
        path.basename(values.roads),
        actorOf(values.actor),
      );
    return ways;
  }
  if (!store) return null;
  const stored = store.S.readRoads(store.ws);
  if (stored.length) return stored;
  run.say(
    '路网 Roads: 工作区中没有路网，按直线距离 × --detour 计算 none in the workspace: straight-line distance × --detour (pass --roads once to store them)',
  );
  return null;
}

/** Ways meet only at shared nodes: says how much of the network one can drive around in, so badly joined data shows. */
function describeNetwork(say: (line: string) => void, network: RoadNetwork): void {
  if (network.excluded) say(`路网 Roads: ${network.excluded} 条不可通行的道路未用 unusable ways left out (construction, proposed, abandoned, private …)`);
  const main = network.sccOf.reduce((a, c) => a + (c === network.mainScc ? 1 : 0), 0);
  say(
    `路网 Roads: ${network.nodeCount} 个路口 junctions, ${network.edges.length} 段 roads; 最大连通部分 largest connected part ${((100 * main) / Math.max(1, network.nodeCount)).toFixed(0)} %${network.terrain ? '; 按坡度计时 slopes from the DEM' : ''}`,
  );
}

/** Teams (--teams-file or --teams alike at the depot), break, daylight and date. */
async function readSchedule(run: PlanRun, depot: [number, number] | undefined): Promise<Pick<PlanProblem, 'teams' | 'break' | 'daylight'>> {
  const { values, flags, P } = run;
  const nTeams = flags.int('teams', 1);
  const shiftS = flags.dur('shift', 8 * 3600);
  const startS = values.start ? flags.clock('start', values.start) : 8 * 3600;
  const maxStops = values['max-stops'] ? flags.int('max-stops', 0) : undefined;
  let teams;
  if (values['teams-file']) {
    const file = values['teams-file'];
    try {
      teams = P.teamsFromJson(await readJsonInput(run.io.cwd, file, 'teams'), { shiftS, shiftStartS: startS, maxStops });
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
    brk = { earliestS: flags.clock('break', m[1]), durationS: d };
  }
  let daylight;
  if (values.daylight) {
    const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(values.daylight);
    if (!m) throw new BadInput('--daylight', `格式如 07:00-19:00 daylight must look like 07:00-19:00, got '${values.daylight}'`);
    daylight = { earliestS: flags.clock('daylight', m[1]), latestS: flags.clock('daylight', m[2]) };
  }
  if (values.date && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new BadInput('--date', `日期格式 YYYY-MM-DD date must look like 2026-04-10, got '${values.date}'`);
  return { teams, break: brk, daylight };
}

/** Re-planning inputs: ids already inspected (--visited) and the plan whose order to keep (--previous). */
async function readReplan(run: PlanRun): Promise<{ visited?: string[]; previous?: Plan }> {
  const { values } = run;
  let visited: string[] | undefined;
  if (values.visited) {
    const v = values.visited;
    const text = /[\\/.]/.test(v)
      ? await readFile(path.resolve(run.io.cwd, v), 'utf8').catch(() => {
          throw new BadInput(v, '无法读取已核查列表 cannot read the visited list (one id per line)');
        })
      : v.replace(/,/g, '\n');
    visited = text
      .split(/[\r\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  let previous;
  if (values.previous) {
    previous = (await readJsonInput(run.io.cwd, values.previous, 'previous plan')) as { version?: number; routes?: unknown };
    if (previous.version !== 1 || !Array.isArray(previous.routes))
      throw new BadInput(values.previous, '不是 tiandi plan.json not a plan.json written by tiandi plan');
  }
  return { visited, previous: previous as never };
}

/** Runs the optimiser with the travel and search flags; planner errors become BadInput naming the flag or file at fault. */
function solve(run: PlanRun, problem: Omit<PlanProblem, 'travel' | 'days' | 'date'>, elevation: Elevation | undefined): { result: Plan; ms: number } {
  const { values, flags: f, P } = run;
  const objective = (values.objective ?? 'makespan') as 'makespan' | 'total';
  if (objective !== 'makespan' && objective !== 'total')
    throw new BadInput('--objective', `只能是 makespan 或 total must be makespan or total, got '${values.objective}'`);
  if (values['plan-id'] !== undefined && !/^[\w.-]{1,80}$/.test(values['plan-id']))
    throw new BadInput('--plan-id', `计划编号只能含字母数字和 ._- letters, digits, . _ - (≤ 80), got '${values['plan-id']}'`);
  const t0 = Date.now();
  try {
    const result = P.planRoutes(
      {
        ...problem,
        days: f.int('days', 1),
        date: values.date,
        travel: {
          walkKmh: f.num('walk-speed', 4, 0.1),
          maxWalkM: f.num('max-walk', 2000),
          speedKmh: f.num('speed', 30, 0.1),
          detourFactor: f.num('detour', 1.3, 1),
          ...(elevation ? { elevation } : {}),
        },
      },
      {
        seed: f.int('seed', 1, 0),
        timeLimitMs: f.dur('time-limit', 1.5) * 1000,
        maxIterations: values.iterations ? f.int('iterations', 1) : undefined,
        objective,
      },
    );
    return { result, ms: Date.now() - t0 };
  } catch (e) {
    if (e instanceof P.PlannerError) {
      const file =
        e.code === 'TIANDI_E_DEPOT_OFF_NETWORK'
          ? (values['teams-file'] ?? '--depot')
          : e.code === 'TIANDI_E_SHIFT_TOO_SHORT'
            ? '--shift'
            : e.code === 'TIANDI_E_NO_TARGETS'
              ? run.targetsFile
              : 'plan';
      throw new BadInput(file, e.message);
    }
    throw e;
  }
}

/** Writes plan.json and its exports (GeoJSON, GPX, KML, CSV, navigation links) into `out`; returns `out`. */
async function writePlanFiles(P: Planner, out: string, result: Plan): Promise<string> {
  await mkdir(out, { recursive: true });
  await Promise.all([
    writeFile(path.join(out, 'plan.json'), JSON.stringify(result, null, 1) + '\n'),
    writeFile(path.join(out, 'routes.geojson'), JSON.stringify(P.planToGeoJson(result)) + '\n'),
    writeFile(path.join(out, 'routes.gpx'), P.planToGpx(result)),
    writeFile(path.join(out, 'routes.kml'), P.planToKml(result)),
    writeFile(path.join(out, 'stops.csv'), P.planToCsv(result)),
    writeFile(path.join(out, 'navigation-gcj02.html'), P.planToNavigationHtml(result)),
  ]);
  return out;
}

function printPlanSummary({ say: w, P, io }: PlanRun, result: Plan, targetCount: number, ms: number, out: string): void {
  const o = result.objective;
  w(
    `规划完成 Planned ${o.served}/${targetCount} targets in ${ms} ms (matrix ${result.stats.matrixMs} ms over ${result.stats.locations} places, ${result.stats.travel}; optimise ${result.stats.solveMs} ms, ${result.stats.iterations} iterations)`,
  );
  for (const r of result.routes)
    w(
      `  ${(r.teamName ?? r.teamId).padEnd(14)} day ${r.day + 1}  ${String(r.stops.length).padStart(3)} stops  ${P.formatClock(r.departS)}–${P.formatClock(r.returnS)}  ${(r.durationS / 3600).toFixed(2)} h  ${(r.distanceM / 1000).toFixed(1)} km`,
    );
  if (result.unassigned.length) {
    const by = new Map<string, number>();
    for (const u of result.unassigned) by.set(u.reason, (by.get(u.reason) ?? 0) + 1);
    w(`未安排 Unassigned ${result.unassigned.length}: ${[...by].map(([k, v]) => `${k} ${v}`).join(', ')} (reasons in plan.json)`);
  }
  if (result.visited.length) w(`已核查 Visited, left out: ${result.visited.length}`);
  w(
    `served priority ${o.servedPriority}, unserved ${o.unservedPriority}; total ${(o.totalDurationS / 3600).toFixed(2)} h, ${(o.totalDistanceM / 1000).toFixed(1)} km; imbalance ${(o.imbalanceS / 60).toFixed(0)} min`,
  );
  if (o.makespanS)
    w(
      `最晚返回 makespan ${(o.makespanS / 3600).toFixed(2)} h (objective ${o.kind}); lower bound ${((o.lowerBoundS ?? 0) / 3600).toFixed(2)} h, gap ${((o.gapToLowerBound ?? 0) * 100).toFixed(1)} %; total work ÷ team-days ${((o.evenSplitS ?? 0) / 3600).toFixed(2)} h`,
    );
  w(`→ ${path.relative(io.cwd, out) || '.'}/{plan.json,routes.geojson,routes.gpx,routes.kml,stops.csv,navigation-gcj02.html}`);
}

/** Records the plan in the workspace: targets become planned and field teams see their routes. */
function recordPlan(run: PlanRun, { S, ws }: { S: Store; ws: Workspace }, result: Plan, out: string): void {
  // Read back from plan.json's text, so the plan id is the one 'tiandi plans import' of that file gives.
  const text = JSON.stringify(result, null, 1) + '\n';
  const rec = run.P.planRecordFromJson(text, path.join(out, 'plan.json'), run.values['plan-id']);
  const r = S.importPlan(ws, rec, actorOf(run.values.actor));
  run.say(
    `已记入工作区 Recorded in ${run.targetsFile}: plan ${rec.planId}, ${rec.teams.length} teams, ${r.stops} stops, ${r.planned.length} targets now planned (field teams see their routes)`,
  );
}

/** OSM tags as the workspace keeps them: strings only. */
function stringTags(tags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== undefined && v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/** Opens an existing workspace, or says how to make one. */
function openWorkspace(S: Store, file: string): Workspace {
  if (!existsSync(file)) throw new BadInput(file, "找不到工作区 no such workspace: create it with 'tiandi init <file.gpkg>'");
  return S.Workspace.open(file);
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi season set <season.json> [--workspace <file>]
  tiandi season show [<season id>] [--workspace <file>]

设置调查季：花期（影像作为证据的日期）与认证规则。Sets a season: its flowering window and policy.
{ "id": "2026", "name": "2026 禁种季", "zone": "township", "year": 2026,
  "flowering_window": { "start": "2026-03-01", "end": "2026-05-31" },      // default: 1 March – 31 May of year
  "policy": { "min_coverage_share": 0.98, "max_gsd_m": 0.1, "review_threshold": 0.35,
              "require_eradication_verified": true, "match_margin_m": 10, "verify_after_days": 1 } }   // defaults shown
`;

const season: Command = {
  summary: '设置调查季与规则 Set the season, flowering window and policy',
  usage,
  async run(argv, io) {
    return runCommand(io, 'season', async () => {
      const { values, positionals } = parseFlags('season', argv, {});
      const [action, arg] = positionals;
      const { Workspace, setSeason, readSeason } = await import('@tiandi/store');
      const { seasonToFile } = await import('@tiandi/geo');
      if (action === 'show') {
        const ws = Workspace.open(workspacePath(values.workspace, io));
        try {
          io.stdout.write(JSON.stringify(seasonToFile(readSeason(ws, arg)), null, 2) + '\n');
        } finally {
          ws.close();
        }
        return EXIT.ok;
      }
      if (action !== 'set') throw new UsageError('season', `未知操作 unknown action '${action ?? ''}': use 'set' or 'show'`);
      if (!arg) throw new UsageError('season', '缺少文件 missing <season.json>');
      const abs = path.resolve(io.cwd, arg);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(abs, 'utf8'));
      } catch (e) {
        throw new UsageError(arg, `无法读取为 JSON cannot read as JSON (${(e as Error).message})`);
      }
      const ws = Workspace.open(workspacePath(values.workspace, io));
      try {
        const r = setSeason(ws, json, actorOf(values.actor), rel(io, abs));
        const s = r.season;
        io.stdout.write(
          `${r.changed ? '已设置 Set' : '未变 Unchanged'}: ${s.id} ${s.name} · 花期 flowering ${s.floweringStart} – ${s.floweringEnd} · 覆盖 coverage ≥ ${(s.policy.minCoverageShare * 100).toFixed(1)}% · GSD ≤ ${s.policy.maxGsdM} m\n`,
        );
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default season;

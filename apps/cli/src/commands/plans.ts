import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi plans import <plan.json> [--id <plan id>] [--workspace <file>]

把 tiandi plan 输出的 plan.json 记入工作区：每组一条路线（多日计划按日连接）与有序站点，其中的目标标记为已计划
（planned），外业组在外业页面看到自己的路线。同一文件再次导入会替换同一计划。
Records the plan.json written by 'tiandi plan' in the workspace: one route per team (the days of a multi-day
plan joined in order) with its ordered stops; its targets become 'planned' and each field team sees its route
in the field view. Every stop must name a target of this workspace (plan with the ids from 'tiandi targets list').
Plan id: --id, else plan-<date>-<12 hex of the file's sha256> (importing the same file again replaces that plan).
`;

const plans: Command = {
  summary: '导入路线计划 Record a plan.json from tiandi plan in the workspace',
  usage,
  async run(argv, io) {
    return runCommand(io, 'plans', async () => {
      const { values, positionals } = parseFlags('plans', argv, { id: { type: 'string' } });
      const [action, file, ...rest] = positionals;
      if (action !== 'import') throw new UsageError('plans', `未知操作 unknown action '${action ?? ''}': use 'plans import <plan.json>'`);
      if (!file) throw new UsageError('plans', '缺少文件 missing <plan.json> (written by tiandi plan --out <dir>)');
      if (rest.length) throw new UsageError('plans', `一次导入一个计划 one plan at a time: unexpected '${rest[0]}'`);
      const full = path.resolve(io.cwd, file);
      if (!existsSync(full)) throw new UsageError(file, '找不到文件 file not found: give the plan.json written by tiandi plan --out <dir>');
      const [{ Workspace, recordPlan }, { planRecordFromJson }] = await Promise.all([import('@tiandi/store'), import('@tiandi/planner')]);
      const plan = planRecordFromJson(await readFile(full, { encoding: 'utf8', signal: io.signal }), full, values.id);
      const ws = Workspace.open(workspacePath(values.workspace, io));
      try {
        const r = recordPlan(ws, plan, actorOf(values.actor), full);
        io.stdout.write(
          `${rel(io, full)}: 计划 plan ${r.planId}: ${r.teams.length} 组 teams (${r.teams.join(', ')}), ${r.stops} 站 stops, ${r.planned.length} 目标标记为已计划 targets now planned\n`,
        );
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default plans;

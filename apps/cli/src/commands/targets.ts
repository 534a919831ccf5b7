import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi targets list [--zone <id>] [--status <status>] [--review] [--json] [--workspace <file>]
  tiandi targets set-status <target id> <status> --reason <text> [--workspace <file>]
  tiandi targets dismiss <target id> --reason <text> [--season <id>] [--workspace <file>]
  tiandi targets undo-dismiss <target id> --reason <text> [--workspace <file>]
  tiandi targets labels --out <labels.geojson> [--zone <id>] [--desk] [--workspace <file>]

list: 列出目标；--review 只列出证据矛盾、待裁决的目标。Lists targets; --review: only those awaiting a decision.
set-status: 人工裁决（清除待裁决标记，记入审计日志）。A person's decision; clears the review flag; audited.
            inspected_negative 需要地面报告 needs a ground report; office decisions use dismiss.
dismiss: 案头排除（dismissed_desk，不是实地核查）。A desk dismissal from the imagery, kept apart from ground
         inspections: counts for certification only as the season's policy.desk_dismissal allows.
labels: 导出实地标注（confirmed / negative / missed_by_scan）供模型微调切片。Exports field-verified labels
        (properties.class = poppy | not_poppy) for 'tiandi chips export --image <tif> --labels labels.geojson --out <dir>'.
        --desk: 也导出案头判读（source = desk）also desk triage decisions, marked source = desk.
状态 Statuses: detected planned inspected_negative dismissed_desk dismissed_model confirmed eradicated eradication_verified needs_revisit
`;

const targets: Command = {
  summary: '目标列表与人工裁决 List targets, decide reviews, export labels',
  usage,
  async run(argv, io) {
    return runCommand(io, 'targets', async () => {
      const { values, positionals } = parseFlags('targets', argv, {
        zone: { type: 'string' },
        status: { type: 'string' },
        review: { type: 'boolean' },
        json: { type: 'boolean' },
        reason: { type: 'string' },
        out: { type: 'string' },
        season: { type: 'string' },
        desk: { type: 'boolean' },
      });
      const [action, id, status] = positionals;
      const { Workspace, listTargets, setTargetStatus, trainingLabels, dismissTargetAtDesk, undoDeskDismissal } = await import('@tiandi/store');
      const { TARGET_STATUSES, isUnverifiedScan } = await import('@tiandi/geo');
      const ws = Workspace.open(workspacePath(values.workspace, io));
      try {
        if (action === 'list') {
          if (values.status && !(TARGET_STATUSES as readonly string[]).includes(values.status))
            throw new UsageError('targets', `未知状态 unknown status '${values.status}': one of ${TARGET_STATUSES.join(', ')}`);
          const ts = listTargets(ws, { zoneId: values.zone, status: values.status as never, review: values.review ? true : undefined });
          if (values.json) io.stdout.write(JSON.stringify(ts) + '\n');
          else
            for (const t of ts)
              io.stdout.write(
                `${t.id}\t${t.status}\t${t.scoreMax.toFixed(2)}\t${Math.round(t.areaM2)} m²\t${t.origin}${t.missedByScan ? ' missed_by_scan' : ''}${typeof t.scoreVerify === 'number' ? `\t复核 verify ${t.scoreVerify.toFixed(3)}` : ''}${isUnverifiedScan(t) ? '\t未复核 unverified' : ''}${t.review ? `\t⚠ ${t.review.reason}` : ''}\n`,
              );
          return EXIT.ok;
        }
        if (action === 'set-status') {
          if (!id || !status) throw new UsageError('targets', '用法 usage: tiandi targets set-status <target id> <status> --reason <text>');
          if (!(TARGET_STATUSES as readonly string[]).includes(status))
            throw new UsageError('targets', `未知状态 unknown status '${status}': one of ${TARGET_STATUSES.join(', ')}`);
          if (!values.reason?.trim()) throw new UsageError('targets', '需要 --reason 人工改变状态需要理由 a manual change needs --reason <text>');
          const t = setTargetStatus(ws, { targetId: id, status: status as never, reason: values.reason }, actorOf(values.actor));
          io.stdout.write(`${t.id} → ${t.status}\n`);
          return EXIT.ok;
        }
        if (action === 'dismiss' || action === 'undo-dismiss') {
          if (!id) throw new UsageError('targets', `用法 usage: tiandi targets ${action} <target id> --reason <text>`);
          if (!values.reason?.trim()) throw new UsageError('targets', '需要 --reason 案头决定需要理由 a desk decision needs --reason <text>');
          const t =
            action === 'dismiss'
              ? dismissTargetAtDesk(ws, { targetId: id, reason: values.reason, seasonId: values.season }, actorOf(values.actor))
              : undoDeskDismissal(ws, { targetId: id, reason: values.reason }, actorOf(values.actor));
          io.stdout.write(`${t.id} → ${t.status}${t.groundAudit ? ' · 抽中地面复核 drawn for a ground audit' : ''}\n`);
          return EXIT.ok;
        }
        if (action === 'labels') {
          if (!values.out) throw new UsageError('targets', '缺少 --out missing --out <labels.geojson>');
          const fc = trainingLabels(ws, { zoneId: values.zone, includeDesk: values.desk === true });
          const out = path.resolve(io.cwd, values.out);
          await writeFile(out, JSON.stringify(fc));
          const n = (l: string) => fc.features.filter((f) => f.properties.label === l).length;
          io.stdout.write(
            `已写出 Wrote ${fc.features.length} labels → ${rel(io, out)} (poppy ${n('poppy')}, not_poppy ${n('not_poppy')}; missed_by_scan ${fc.features.filter((f) => f.properties.missed_by_scan).length})\n`,
          );
          return EXIT.ok;
        }
        throw new UsageError('targets', `未知操作 unknown action '${action ?? ''}': use list, set-status, dismiss, undo-dismiss or labels`);
      } finally {
        ws.close();
      }
    });
  },
};
export default targets;

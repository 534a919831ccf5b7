import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { fileInside } from '../safe-file-name';
import type { Workspace } from '@tiandi/store';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi certify --zone <id> [--season <id>] [--sign <name>] [--out <dir>] [--json] [--workspace <file>]
  tiandi certify --zone <id> --season <id> --revoke --reason <text> [--workspace <file>]
  tiandi certify --verify <certificate.json> [--workspace <file>]

逐条评估调查季规则（覆盖率、疑似地块核查、铲除复核、无待裁决证据），列出未通过的规则及相关要素。
全部通过且给出 --sign 时签发证书：写出 JSON 与可打印的 HTML（区划地图、覆盖、目标、规则表、证据摘要 sha256）。
Evaluates every rule of the season's policy and lists each with pass/fail and the failing features. When all
pass and --sign is given, issues the certificate: JSON + printable HTML (map, coverage, targets, rule table,
sha256 evidence digest) in --out (default ./certificates). Exit 1 when refused. --revoke withdraws one.
--verify 复核证书：文件中的证据与摘要是否一致，工作区中的证据此后是否变化（退出码 1 表示不一致）。
--verify re-checks a certificate file: does its digest match its own evidence, and the workspace's now?
`;

const FLAGS = {
  zone: { type: 'string' },
  season: { type: 'string' },
  sign: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  revoke: { type: 'boolean' },
  reason: { type: 'string' },
  verify: { type: 'string' },
} as const;

const certify: Command = {
  summary: '评估规则并签发无种植认证 Evaluate rules and certify a zone',
  usage,
  async run(argv, io) {
    return runCommand(io, 'certify', async () => {
      const { values } = parseFlags('certify', argv, FLAGS);
      const S = await import('@tiandi/store');
      if (values.verify) return verifyFile(S, values.verify, values.workspace, io);
      if (!values.zone) throw new UsageError('certify', '缺少 --zone missing --zone <id>');
      const zone = values.zone;
      const ws = S.Workspace.open(workspacePath(values.workspace, io));
      try {
        const actor = actorOf(values.actor);
        if (values.revoke) return revoke(S, ws, { ...values, zone }, actor, io);
        // await: the workspace must stay open until the certificate is written
        return await evaluateOrIssue(S, ws, { ...values, zone }, actor, io);
      } finally {
        ws.close();
      }
    });
  },
};
export default certify;

type Io = Parameters<Command['run']>[1];
type Store = typeof import('@tiandi/store');
type Flags = ReturnType<typeof parseFlags<typeof FLAGS>>['values'] & { zone: string };
type Evaluation = ReturnType<Store['evaluateZone']>;
type Certificate = NonNullable<ReturnType<Store['certifyZone']>['certificate']>;

/** --verify: re-checks a certificate file against its own digest and the workspace; exit 1 when either differs. */
async function verifyFile(S: Store, file: string, workspace: string | undefined, io: Io): Promise<number> {
  let cert;
  try {
    cert = JSON.parse(await readFile(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    throw new UsageError(file, `无法读取证书 cannot read the certificate JSON (${(e as Error).message})`);
  }
  if (typeof cert?.zoneId !== 'string' || typeof cert?.evidenceDigest !== 'string')
    throw new UsageError(file, '不是 Tiandi 证书 not a Tiandi certificate (no zoneId / evidenceDigest)');
  const ws = S.Workspace.open(workspacePath(workspace, io));
  try {
    const v = S.verifyCertificate(ws, cert);
    io.stdout.write(
      `${cert.certId ?? ''}\n证书自洽 Digest matches its evidence: ${v.selfConsistent ? '是 yes' : '否 NO — the file was edited'}\n与工作区一致 Matches the workspace now: ${v.matchesWorkspace ? '是 yes' : `否 NO — evidence changed (now ${v.currentDigest})`}\n`,
    );
    return v.selfConsistent && v.matchesWorkspace ? EXIT.ok : EXIT.failed;
  } finally {
    ws.close();
  }
}

/** --revoke: withdraws the zone's certificate for a season, with a reason. */
function revoke(S: Store, ws: Workspace, values: Flags, actor: string, io: Io): number {
  if (!values.season) throw new UsageError('certify', '撤销需要 --season revoking needs --season <id>');
  if (!values.reason?.trim()) throw new UsageError('certify', '撤销需要理由 revoking needs --reason <text>');
  const c = S.revokeCertificate(ws, { zoneId: values.zone, seasonId: values.season, reason: values.reason }, actor);
  io.stdout.write(`已撤销 Revoked: ${c.certId}\n`);
  return EXIT.ok;
}

/** Evaluates the rules and prints them; with --sign and every rule passing, records the certificate and writes its files. */
async function evaluateOrIssue(S: Store, ws: Workspace, values: Flags, actor: string, io: Io): Promise<number> {
  const outDir = path.resolve(io.cwd, values.out ?? 'certificates');
  // The folder is made and tried before a certificate is recorded, so a bad --out fails with nothing issued.
  const made = values.sign !== undefined ? await prepareOutDir(outDir, values.out ?? 'certificates') : undefined;
  const r =
    values.sign !== undefined
      ? S.certifyZone(ws, { zoneId: values.zone, seasonId: values.season, signer: values.sign }, actor)
      : { evaluation: S.evaluateZone(ws, values.zone, values.season), certificate: null };
  const ev = r.evaluation;
  if (values.json) printEvaluationJson(io, ev, r.certificate);
  else printEvaluation(io, ev);
  if (!r.certificate && made) await rm(made, { recursive: true, force: true }); // nothing issued: leave no new folder behind
  if (!ev.result.certifiable) {
    io.stderr.write(
      `tiandi: ${ev.zone.zoneId}: 不予认证 not certifiable: ${ev.result.rules
        .filter((x) => !x.pass)
        .map((x) => x.id)
        .join(', ')}\n`,
    );
    return EXIT.failed;
  }
  if (!r.certificate) {
    io.stdout.write(`可以认证 Certifiable — 加 --sign <签发人> 签发 add --sign <name> to issue the certificate\n`);
    return EXIT.ok;
  }
  return writeCertificateFiles(S, r.certificate, outDir, io);
}

function printEvaluationJson(io: Io, ev: Evaluation, certificate: Certificate | null): void {
  io.stdout.write(
    JSON.stringify({
      zone_id: ev.zone.zoneId,
      season_id: ev.season.id,
      certifiable: ev.result.certifiable,
      evidence_digest: ev.evidenceDigest,
      rules: ev.result.rules,
      certificate_id: certificate?.certId ?? null,
    }) + '\n',
  );
}

/** One line per rule, pass or fail, with up to 20 of the failing features under each. */
function printEvaluation(io: Io, ev: Evaluation): void {
  io.stdout.write(`${ev.zone.zoneId} ${ev.zone.name ?? ''} · 调查季 season ${ev.season.id}\n`);
  for (const rule of ev.result.rules) {
    io.stdout.write(`${rule.pass ? '✔ 通过 PASS' : '✘ 未通过 FAIL'}  ${rule.title}: ${rule.detail}\n`);
    for (const f of rule.failing.slice(0, 20))
      io.stdout.write(
        `      - ${f.id}${f.properties.why ? ` (${f.properties.status}: ${f.properties.why})` : f.properties.area_m2 !== undefined ? ` (${f.properties.area_m2} m²)` : ''}\n`,
      );
    if (rule.failing.length > 20) io.stdout.write(`      … ${rule.failing.length - 20} more\n`);
  }
  io.stdout.write(`证据摘要 Evidence sha256: ${ev.evidenceDigest}\n`);
}

/** Writes the issued certificate as JSON and printable HTML into --out; exit 1 (the record stays) when that fails. */
async function writeCertificateFiles(S: Store, certificate: Certificate, outDir: string, io: Io): Promise<number> {
  // The id is data: file names are made safe and stay directly inside --out.
  const json = fileInside(outDir, certificate.certId, '.json');
  const html = fileInside(outDir, certificate.certId, '.html');
  try {
    await writeFile(json, JSON.stringify(certificate, null, 2));
    await writeFile(html, S.certificateHtml(certificate));
  } catch (e) {
    io.stderr.write(
      `tiandi: ${rel(io, outDir)}: 证书 ${certificate.certId} 已记录，但文件写入失败 the certificate is recorded in the workspace but its files could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): fix the folder and run the same command again; unchanged evidence gives the same certificate\n`,
    );
    return EXIT.failed;
  }
  io.stdout.write(`已签发 Issued: ${certificate.certId} · 签发人 signed by ${certificate.signedBy}\n  ${rel(io, json)}\n  ${rel(io, html)}\n`);
  return EXIT.ok;
}

/**
 * Makes `dir` and checks a file can be written in it; a UsageError naming the folder otherwise.
 * Returns the first folder it created (to remove if nothing is issued), or undefined.
 */
async function prepareOutDir(dir: string, shown: string): Promise<string | undefined> {
  const probe = path.join(dir, `.tiandi-write-test-${process.pid}`);
  try {
    const made = await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return made;
  } catch (e) {
    throw new UsageError(
      shown,
      `无法写入输出文件夹 cannot write certificates into this folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another --out`,
    );
  }
}

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command, type CommandIO, fail } from '../command';

const usage = `用法 Usage:
  tiandi user add <name> --role <role> [--team <team id>] --workspace <file.gpkg>
  tiandi user passwd <name> --workspace <file.gpkg>
  tiandi user disable <name> --workspace <file.gpkg>
  tiandi user list --workspace <file.gpkg>

管理账号 Manage accounts. Roles 角色: operator 飞手, planner 规划员, field 外业组 (needs --team),
manager 管理员, admin 系统管理员.
密码从标准输入读取（第一行），或在终端中提示输入两次且不回显。密码从不作为参数传入。
The password is read from standard input (first line), or prompted twice without echo on a terminal.
It is never taken as a flag value, so it does not land in shell history or the process list.
`;

/** What `user` may read the password from (tests pass a string; default is the process's stdin). */
export type PasswordSource = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };

const user: Command = {
  summary: '管理账号与角色 Manage accounts and roles',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { role: { type: 'string' }, team: { type: 'string' }, workspace: { type: 'string', short: 'w' } },
        strict: true,
      });
    } catch (err) {
      return fail(io, 'user', `${(err as Error).message}. Run 'tiandi user --help'.`);
    }
    const { values, positionals } = parsed;
    const [action, name, ...extra] = positionals;
    if (!action || !['add', 'passwd', 'disable', 'list'].includes(action)) {
      return fail(io, 'user', `未知操作 unknown action '${action ?? ''}'; use add, passwd, disable or list.`);
    }
    if (extra.length > 0)
      return fail(io, 'user', `多余参数 unexpected argument '${extra[0]}' (is the password on the command line? Pipe it on stdin instead).`);
    if (action !== 'list' && !name) return fail(io, 'user', `缺少账号名 missing the account name: tiandi user ${action} <name>.`);
    if (!values.workspace) return fail(io, 'user', '缺少 --workspace missing --workspace <file.gpkg>.');
    const file = path.resolve(io.cwd, values.workspace);
    if (!fs.existsSync(file)) return fail(io, values.workspace, `工作区不存在 workspace not found; create it with 'tiandi init ${values.workspace}'.`);

    const { accountStoreOf, AccountError, isRole, ROLES } = await import('@tiandi/store/accounts');
    const { Workspace, StoreError } = await import('@tiandi/store');
    if (action === 'add') {
      if (!values.role) return fail(io, 'user', `缺少 --role missing --role <${ROLES.join('|')}>.`);
      if (!isRole(values.role)) return fail(io, 'user', `未知角色 unknown role '${values.role}'; use one of ${ROLES.join(', ')}.`);
      if (values.role === 'field' && !values.team) return fail(io, 'user', '外业组账号须指定 --team a field account needs --team <team id>.');
    }
    let password = '';
    if (action === 'add' || action === 'passwd') {
      try {
        password = await readPassword(io);
      } catch (err) {
        return fail(io, 'user', (err as Error).message);
      }
    }
    let ws;
    try {
      ws = Workspace.open(file);
    } catch (err) {
      if (err instanceof StoreError) return fail(io, values.workspace, err.message + '.');
      throw err;
    }
    const accounts = accountStoreOf(ws);
    try {
      if (action === 'add') {
        const a = await accounts.addAccount({ name: name!, role: values.role as never, teamId: values.team ?? null, password });
        io.stdout.write(`已创建账号 Account created: ${a.name} (${a.role}${a.teamId ? `, team ${a.teamId}` : ''})\n`);
      } else if (action === 'passwd') {
        await accounts.setPassword(name!, password);
        io.stdout.write(`已更新密码并结束其会话 Password changed and sessions ended: ${name}\n`);
      } else if (action === 'disable') {
        accounts.disableAccount(name!);
        io.stdout.write(`已停用 Account disabled: ${name}\n`);
      } else {
        for (const a of accounts.listAccounts()) {
          io.stdout.write(`${a.name}\t${a.role}\t${a.teamId ?? '-'}\t${a.disabledAt ? 'disabled' : 'active'}\n`);
        }
      }
      return EXIT.ok;
    } catch (err) {
      if (err instanceof AccountError) return fail(io, values.workspace, err.message + '.');
      throw err;
    } finally {
      ws.close();
    }
  },
};
export default user;

/**
 * Reads a password: on a terminal, prompts twice with echo off; otherwise takes the first line of
 * standard input. Throws with a one-line message when it is empty or the two entries differ.
 */
export async function readPassword(io: CommandIO & { stdin?: PasswordSource }): Promise<string> {
  const input: PasswordSource = io.stdin ?? (process.stdin as PasswordSource);
  if (input.isTTY && input.setRawMode) {
    const first = await promptHidden(input, io.stderr, '密码 Password: ');
    const second = await promptHidden(input, io.stderr, '再次输入 Repeat: ');
    if (first !== second) throw new Error('两次输入的密码不一致 the two passwords differ.');
    if (!first) throw new Error('密码为空 empty password.');
    return first;
  }
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 4096) break;
  }
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new Error('未读到密码 no password on standard input: pipe it in, e.g. `read -s P; printf %s "$P" | tiandi user add …`.');
  return line;
}

function promptHidden(input: PasswordSource, out: NodeJS.WritableStream, prompt: string): Promise<string> {
  out.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    input.setRawMode!(true);
    input.resume();
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new Error('已取消 cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    const done = (err: Error | null) => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    input.on('data', onData);
  });
}

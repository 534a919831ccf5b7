import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../workspace-command';

/** A bad-input error printed as `tiandi: <file>: <message>` with exit status 2 (the CLI's TIANDI_E_USAGE). */
export class BadInput extends UsageError {}

/** The plan command's flags, as `parseArgs` returns them. */
export type PlanFlags = Record<string, string | undefined>;

/** Readers for typed flag values: each returns the default when the flag is absent and throws BadInput naming the flag when it is malformed. */
export function flagReaders(values: PlanFlags) {
  const need = (k: string): string => {
    const v = values[k];
    if (!v) throw new BadInput('plan', `缺少 --${k} missing --${k}; see 'tiandi plan --help'`);
    return v;
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
  return { need, num, int, dur, clock };
}
export type FlagReaders = ReturnType<typeof flagReaders>;

/** Reads and parses a JSON input file, or throws BadInput naming it and saying what to do. */
export async function readJsonInput(cwd: string, file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new BadInput(file, `无法读取 cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadInput(file, `不是有效的 JSON not valid JSON (${(e as Error).message}): export the ${what} as GeoJSON`);
  }
}

/** "8h", "90m", "1h30m", "45s", "2.5h" or plain seconds → seconds; null if malformed. */
export function parseDuration(v: string): number | null {
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

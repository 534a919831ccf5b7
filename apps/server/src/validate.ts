import { z } from 'zod';
import { ServerError } from './errors';

/**
 * Parses `value` with a zod schema at the HTTP boundary. On failure throws a `TIANDI_E_VALIDATION`
 * ServerError naming the first bad field (dotted path, e.g. `teams` or `depot.1`), so the client
 * sees which field to fix.
 *
 * @example
 * const body = parseInput(PlanBody, req.body, 'body');
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params' = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') path = [...issue.path.map(String), ...issue.keys].join('.');
  const field = path || where;
  const what = issue.code === 'unrecognized_keys' ? `unknown field 未知字段 '${field}'` : `${field}: ${issue.message}`;
  throw new ServerError('TIANDI_E_VALIDATION', `${where} 字段无效 invalid — ${what}`, { field });
}

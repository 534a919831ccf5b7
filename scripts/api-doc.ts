// docs/api.md's endpoint table: one row per route the server registers (method, path, roles), with the "What"
// column written by hand and kept across regenerations. Pure: the routes come from @tiandi/server's listRoutes.
import type { RouteInfo } from '@tiandi/server';
import { generatedBlock, replaceGenerated } from './generated-block';

export const API_BLOCK = 'endpoint table';
const HEADER = '| Method | Path | Roles | What |\n| --- | --- | --- | --- |';
const TODO = '(to describe)';

const keyOf = (methods: string, url: string) => `${methods} ${url}`;
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The rows of the table in `markdown`, as method+path → the row's cells (method, path, roles, what). */
export function readApiTable(markdown: string): Map<string, { methods: string; url: string; roles: string; what: string }> {
  const rows = new Map<string, { methods: string; url: string; roles: string; what: string }>();
  for (const line of (generatedBlock(markdown, API_BLOCK) ?? '').split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 4 || cells[0] === 'Method' || cells[0].startsWith('---')) continue;
    const [methods, url, roles] = cells.map((c) => c.replace(/^`|`$/g, ''));
    rows.set(keyOf(methods, url), { methods, url, roles, what: cells[3] });
  }
  return rows;
}

/** How a route's roles read in the table. */
export function rolesText(route: RouteInfo): string {
  return route.roles ? route.roles.join(', ') : 'public';
}

/** The table for `routes`, keeping each route's "What" from `previous` (a row of a new route says it needs one). */
export function renderApiTable(routes: RouteInfo[], previous: ReturnType<typeof readApiTable>): string {
  const rows = routes.map((r) => {
    const methods = r.methods.join(' ');
    const what = previous.get(keyOf(methods, r.url))?.what ?? TODO;
    return `| ${methods} | \`${cell(r.url)}\` | ${rolesText(r)} | ${what} |`;
  });
  return [HEADER, ...rows].join('\n');
}

/** docs/api.md with its table regenerated from `routes`. */
export function updateApiDoc(markdown: string, routes: RouteInfo[]): string {
  return replaceGenerated(markdown, API_BLOCK, renderApiTable(routes, readApiTable(markdown)));
}

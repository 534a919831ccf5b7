// Error codes across every package and app: each defined once, with an HTTP status and a row in docs/errors/*.md.
// Each package's own errors.test.ts keeps its page in step with its registry; this test sees them all at once.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ERROR_CODES } from '@tiandi/cli';
import { CRS_ERROR_CODES, GEO_ERROR_CODES, SHARED_ERROR_CODES, type ErrorRegistry } from '@tiandi/geo';
import { PLANNER_ERROR_CODES } from '@tiandi/planner';
import { AUTH_ERRORS, MANAGER_CODES, SERVER_ERRORS } from '@tiandi/server';
import { STORE_ERROR_CODES } from '@tiandi/store';
import { ACCOUNT_ERRORS } from '@tiandi/store/accounts';
import { SYNTH_ERROR_CODES } from '@tiandi/synth';
import { TILES_ERROR_CODES } from '@tiandi/tiles';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

const REGISTRIES: Record<string, ErrorRegistry> = {
  'geo shared': SHARED_ERROR_CODES,
  geo: GEO_ERROR_CODES,
  'geo crs': CRS_ERROR_CODES,
  planner: PLANNER_ERROR_CODES,
  store: STORE_ERROR_CODES,
  'store accounts': ACCOUNT_ERRORS,
  tiles: TILES_ERROR_CODES,
  synth: SYNTH_ERROR_CODES,
  server: SERVER_ERRORS,
  'server auth': AUTH_ERRORS,
  'server manager': MANAGER_CODES,
  cli: CLI_ERROR_CODES,
};

/** Codes a client makes up itself and no server or package sends: the web's "no connection". */
const CLIENT_ONLY = ['TIANDI_E_OFFLINE'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules' || f === 'dist') return [];
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs)$/.test(f) && !/\.test(-util)?\.ts$/.test(f) ? [p] : [];
  });
}

/** The shipped source files of every package and app (tests left out). */
function ourSources(): string[] {
  return ['packages', 'apps'].flatMap((dir) =>
    readdirSync(join(root, dir)).flatMap((ws) => {
      const src = join(root, dir, ws, 'src');
      return statSync(src, { throwIfNoEntry: false })?.isDirectory() ? sourceFiles(src) : [];
    }),
  );
}

describe('error codes across packages', () => {
  it('are each defined in exactly one registry', () => {
    const owners = new Map<string, string[]>();
    for (const [name, registry] of Object.entries(REGISTRIES)) for (const code of Object.keys(registry)) owners.set(code, [...(owners.get(code) ?? []), name]);
    expect([...owners].filter(([, by]) => by.length > 1)).toEqual([]);
    expect(owners.size).toBeGreaterThan(60);
  });

  it('each have an HTTP error status and a summary', () => {
    for (const registry of Object.values(REGISTRIES)) {
      for (const [code, spec] of Object.entries(registry)) {
        expect(code).toMatch(/^TIANDI_E_[A-Z0-9_]+$/);
        expect(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599, `${code} status ${spec.status}`).toBe(true);
        expect(spec.summary.trim(), code).not.toBe('');
      }
    }
  });

  it('are each documented as a table row in docs/errors/*.md', () => {
    const dir = join(root, 'docs/errors');
    const rows = new Set(
      readdirSync(dir).flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^\| `(TIANDI_E_[A-Z0-9_]+)` \|/gm)].map((m) => m[1])),
    );
    const undocumented = Object.values(REGISTRIES)
      .flatMap((r) => Object.keys(r))
      .filter((code) => !rows.has(code));
    expect(undocumented).toEqual([]);
  });

  it('cover every TIANDI_E_* code the packages and apps use', () => {
    const known = new Set([...Object.values(REGISTRIES).flatMap((r) => Object.keys(r)), ...CLIENT_ONLY]);
    const unknown = new Set<string>();
    const files = ourSources();
    for (const file of files) {
      for (const [code] of readFileSync(file, 'utf8').matchAll(/\bTIANDI_E_[A-Z0-9_]*[A-Z0-9]\b/g))
        if (!known.has(code)) unknown.add(`${code} (${file.slice(root.length + 1)})`);
    }
    expect(files.length).toBeGreaterThan(200);
    expect([...unknown]).toEqual([]);
  });

  it('come from TiandiError: no error class of ours extends Error itself but the base and a non-error signal', () => {
    const direct = ourSources()
      .filter((file) => /\bextends Error\b/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(root.length + 1));
    // The service worker's SyncRetryError only tells the browser to retry a background sync; no person or script sees it.
    expect(direct.sort()).toEqual(['apps/web/src/pwa/background-sync.ts', 'packages/geo/src/tiandi-error.ts']);
  });
});

import { Worker } from 'node:worker_threads';
import { normalizeFieldAppReports, parseGroundReport, type GroundReport } from '@tiandi/geo';

/** Another field app's export read into ground reports: good rows, rejected rows, and the column mapping used. */
export interface ParsedFieldExport {
  mapping: ReturnType<typeof normalizeFieldAppReports>['mapping'];
  rows: { row: number; report: GroundReport }[];
  rejected: { row: number; message: string }[];
}

/** Texts above this size are parsed in a worker thread (about 3 000 rows); smaller ones inline, faster than starting a worker. */
export const PARSE_IN_WORKER_BYTES = 256 * 1024;

/** Maps an ODK/Kobo/QField/Survey123 export to ground reports (pure; what the worker runs). */
export function parseFieldExportText(text: string, defaultTeam: string | null): ParsedFieldExport {
  const norm = normalizeFieldAppReports(text, { defaultTeam });
  const rows: ParsedFieldExport['rows'] = [];
  const rejected = [...norm.rejected];
  for (const f of norm.features) {
    const parsed = parseGroundReport(f.properties, f.geometry.coordinates);
    if (parsed.ok) rows.push({ row: f.row, report: parsed.report });
    else rejected.push({ row: f.row, message: parsed.message });
  }
  return { mapping: norm.mapping, rows, rejected };
}

/**
 * {@link parseFieldExportText} off the event loop for large texts (a 40 000-row CSV takes seconds),
 * so other requests keep being served. Errors of the parser keep their code (→ 4xx).
 */
export function parseFieldExport(text: string, defaultTeam: string | null): Promise<ParsedFieldExport> {
  if (Buffer.byteLength(text) < PARSE_IN_WORKER_BYTES) return Promise.resolve(parseFieldExportText(text, defaultTeam));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./parse-field-export-worker.mjs', import.meta.url), { workerData: { text, defaultTeam } });
    worker.once('message', (m: { ok: true; result: ParsedFieldExport } | { ok: false; message: string; code?: string; field?: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.result);
      else reject(Object.assign(new Error(m.message), { code: m.code, field: m.field }));
    });
    worker.once('error', (err) => (void worker.terminate(), reject(err)));
  });
}

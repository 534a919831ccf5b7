import { importReports, type ImportReportsResult, type ImportTargetsCache, type Workspace } from '@tiandi/store';

/** How long one batch may hold the event loop, ms (batch sizes adapt to it). */
export const IMPORT_SLICE_MS = 50;

/** Lets queued requests run before the next slice of work. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * {@link importReports} over many rows, one transaction per batch with the event loop free between
 * batches, so a 40 000-row import does not stall other requests. The batch size (50–2000 rows) adapts
 * so a batch takes about `sliceMs` where it can. The targets are read and indexed once and kept between
 * batches while nothing else writes (else re-read), so a batch costs its own rows only. Each batch is all or
 * nothing; an import cut short (crash, restart) is completed by sending the same file again, since
 * reports are idempotent by report id. Results are merged as if from one call.
 */
export async function importReportsInBatches(
  ws: Workspace,
  rows: Parameters<typeof importReports>[1],
  actor: string,
  opts: Parameters<typeof importReports>[3] = {},
  sliceMs = IMPORT_SLICE_MS,
): Promise<ImportReportsResult> {
  const all: ImportReportsResult = {
    added: [],
    unchanged: [],
    rejected: [],
    newTargets: [],
    contradictions: [],
    staleCertificates: [],
    warnings: [],
    outOfScope: [],
  };
  let size = 100;
  const targets: ImportTargetsCache = {};
  for (let i = 0; i < rows.length || i === 0; ) {
    if (i > 0) await yieldToLoop();
    const batch = rows.slice(i, i + size);
    const t0 = performance.now();
    const res = importReports(ws, batch, actor, { ...opts, targets });
    const ms = performance.now() - t0;
    i += Math.max(1, batch.length);
    // Grows at most twofold: one quick batch on a busy machine must not license a long one.
    size = Math.max(50, Math.min(2000, 2 * batch.length, Math.round((batch.length / Math.max(ms, 1)) * sliceMs)));
    all.added.push(...res.added);
    all.unchanged.push(...res.unchanged);
    all.rejected.push(...res.rejected);
    all.newTargets.push(...res.newTargets);
    all.contradictions.push(...res.contradictions);
    all.warnings.push(...res.warnings);
    all.outOfScope.push(...(res.outOfScope ?? []));
    for (const c of res.staleCertificates) if (!all.staleCertificates.includes(c)) all.staleCertificates.push(c);
  }
  return all;
}

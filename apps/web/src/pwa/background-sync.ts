/**
 * Background Sync for the field outbox: when a report is queued (or a send fails for want of a
 * connection), the page asks the browser for a one-off 'sync' event with {@link OUTBOX_SYNC_TAG}.
 * The browser fires it in the service worker when the phone is online again — even when the app is
 * closed — and the worker sends the IndexedDB outbox ({@link syncOutbox}). The page keeps its own
 * flush (on 'online', on a timer, the "send now" button) for browsers without Background Sync.
 */
import { flushOutbox, type FlushSummary, type OutboxTransport } from './flush-outbox';
import type { Outbox } from './outbox';

/** The one-off sync tag the page registers and the service worker answers. Re-registering coalesces. */
export const OUTBOX_SYNC_TAG = 'tiandi-outbox';

/** The message the service worker posts to open pages after it sent something. */
export const OUTBOX_FLUSHED_MESSAGE = 'tiandi:outbox-flushed';

/** Thrown from a 'sync' handler so the browser tries again later (with its own back-off). */
export class SyncRetryError extends Error {
  constructor(readonly stopped: FlushSummary['stopped']) {
    super(`outbox not fully sent (${stopped}); the browser will retry the sync`);
  }
}

/**
 * Asks the browser to fire a 'sync' event in the service worker once a connection is available.
 * Resolves false where there is no active service worker or no Background Sync (Firefox, Safari),
 * or when the browser refuses; never throws.
 */
export async function requestOutboxSync(): Promise<boolean> {
  try {
    const reg = (await navigator.serviceWorker?.getRegistration()) as
      | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
      | undefined;
    if (!reg?.active || !reg.sync) return false;
    await reg.sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}

/** Calls `fn` when the service worker reports that it sent queued reports. Returns an unsubscribe function. */
export function onWorkerFlushed(fn: (summary: FlushSummary) => void): () => void {
  const sw = navigator.serviceWorker;
  if (!sw) return () => undefined;
  const listener = (e: MessageEvent) => {
    const d = e.data as { type?: string; summary?: FlushSummary } | null;
    if (d?.type === OUTBOX_FLUSHED_MESSAGE && d.summary) fn(d.summary);
  };
  sw.addEventListener('message', listener);
  return () => sw.removeEventListener('message', listener);
}

/**
 * What the service worker does on the outbox sync: opens the outbox, sends every pending item
 * ({@link flushOutbox}: photos, then the report, each idempotent), tells open pages, and closes it.
 * Rejects with {@link SyncRetryError} when the connection or the server failed, so the browser retries;
 * resolves when everything was sent or the session expired (a person must sign in again: retrying
 * would not help, and the page shows it).
 */
export async function syncOutbox(
  openOutbox: () => Promise<Outbox>,
  transport: OutboxTransport,
  notify: (summary: FlushSummary) => Promise<void> | void = () => undefined,
): Promise<FlushSummary> {
  const outbox = await openOutbox();
  let summary: FlushSummary;
  try {
    summary = await flushOutbox(outbox, transport);
  } finally {
    outbox.close();
  }
  if (summary.sent.length + summary.duplicates.length + summary.rejected.length > 0) await notify(summary);
  if (summary.stopped === 'offline' || summary.stopped === 'server') throw new SyncRetryError(summary.stopped);
  return summary;
}

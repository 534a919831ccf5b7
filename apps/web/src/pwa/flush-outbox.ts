import type { ErrorBody, ReportAnswer, ReportBody } from '@tiandi/api';
import type { Outbox, OutboxPhoto, ReportFeature } from './outbox';

/** What one call to the server came to. */
export type SendResult =
  | { ok: true; outcome?: ReportAnswer['outcome'] }
  /** offline: no connection; auth: session expired (sign in again); server: 5xx; rejected: 4xx, the item is invalid. */
  | { ok: false; kind: 'offline' | 'auth' | 'server' | 'rejected'; message: string };

/** How the outbox talks to the server. {@link httpTransport} is the real one. */
export interface OutboxTransport {
  putPhoto(photo: OutboxPhoto, signal?: AbortSignal): Promise<SendResult>;
  postReport(report: ReportFeature, signal?: AbortSignal): Promise<SendResult>;
}

/** What a flush did. `stopped` says why it ended early (nothing more can be sent now), or null. */
export interface FlushSummary {
  sent: string[];
  duplicates: string[];
  rejected: string[];
  stopped: null | 'offline' | 'auth' | 'server' | 'aborted';
}

let running: Promise<FlushSummary> | null = null;

/** The Web Lock held while a flush runs, shared by the pages and the service worker of this origin. */
export const FLUSH_LOCK = 'tiandi-outbox-flush';

/**
 * Sends every pending item, oldest first: its photos (idempotent by sha256), then the report
 * (idempotent by report_id). An item leaves the outbox only after the server confirms the report.
 * Stops at the first connection, session or server failure, leaving the rest queued; an item the
 * server refuses as invalid is marked rejected and the flush goes on. Concurrent calls in one tab
 * share one run; across tabs and the service worker's background sync, runs take turns under the
 * Web Lock {@link FLUSH_LOCK} (where the browser has Web Locks), so an item is not sent twice at once.
 */
export function flushOutbox(outbox: Outbox, transport: OutboxTransport, signal?: AbortSignal): Promise<FlushSummary> {
  running ??= withFlushLock(() => run(outbox, transport, signal)).finally(() => {
    running = null;
  });
  return running;
}

function withFlushLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: { request(name: string, cb: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  return locks ? locks.request(FLUSH_LOCK, fn) : fn();
}

async function run(outbox: Outbox, transport: OutboxTransport, signal?: AbortSignal): Promise<FlushSummary> {
  const summary: FlushSummary = { sent: [], duplicates: [], rejected: [], stopped: null };
  for (const item of await outbox.list()) {
    if (item.state !== 'pending') continue;
    if (signal?.aborted) return { ...summary, stopped: 'aborted' };
    let failed: SendResult | null = null;
    for (const photo of item.photos) {
      if (item.photosSent.includes(photo.sha256)) continue;
      const r = await safe(() => transport.putPhoto(photo, signal));
      if (!r.ok) {
        failed = r;
        break;
      }
      await outbox.markPhotoSent(item.id, photo.sha256);
    }
    if (!failed) {
      const r = await safe(() => transport.postReport(item.report, signal));
      if (r.ok) {
        await outbox.markSent(item.id, r.outcome ?? 'created');
        (r.outcome === 'duplicate' ? summary.duplicates : summary.sent).push(item.id);
        continue;
      }
      failed = r;
    }
    if (failed.ok) continue;
    if (failed.kind === 'rejected') {
      await outbox.markRejected(item.id, failed.message);
      summary.rejected.push(item.id);
      continue;
    }
    await outbox.markAttempt(item.id, failed.message);
    return { ...summary, stopped: signal?.aborted ? 'aborted' : failed.kind };
  }
  return summary;
}

async function safe(fn: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await fn();
  } catch (err) {
    return { ok: false, kind: 'offline', message: String((err as Error)?.message ?? err) };
  }
}

/**
 * The real transport: `PUT /api/field/photos/<sha256>` with the photo bytes, then
 * `POST /api/field/reports` with the report feature. The session cookie goes with each request.
 */
export function httpTransport(base = '', fetchFn: typeof fetch = (...a) => globalThis.fetch(...a)): OutboxTransport {
  const classify = async (res: Response): Promise<SendResult> => {
    if (res.ok) {
      const body = (await res.json().catch(() => ({}))) as Partial<ReportAnswer>;
      return { ok: true, outcome: body.outcome };
    }
    const body = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
    const message = body.message ?? `HTTP ${res.status}`;
    if (res.status === 401) return { ok: false, kind: 'auth', message };
    if (res.status >= 500 || res.status === 408 || res.status === 429) return { ok: false, kind: 'server', message };
    return { ok: false, kind: 'rejected', message };
  };
  return {
    async putPhoto(photo, signal) {
      const res = await fetchFn(`${base}/api/field/photos/${photo.sha256}`, {
        method: 'PUT',
        body: photo.bytes,
        headers: { 'content-type': photo.type },
        signal,
        credentials: 'same-origin',
      });
      return classify(res);
    },
    async postReport(report, signal) {
      const res = await fetchFn(`${base}/api/field/reports`, {
        method: 'POST',
        body: JSON.stringify(report satisfies ReportBody),
        headers: { 'content-type': 'application/json' },
        signal,
        credentials: 'same-origin',
      });
      return classify(res);
    },
  };
}

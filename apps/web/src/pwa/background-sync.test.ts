import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { SyncRetryError, syncOutbox } from './background-sync';
import type { FlushSummary, OutboxTransport, SendResult } from './flush-outbox';
import { Outbox, type ReportFeature } from './outbox';
import { report } from './report-fixture.test-util';
import { sha256Hex } from './sha256';

/** An idempotent server (by report id and photo sha256) that can be offline or answer 401. */
class FakeServer implements OutboxTransport {
  state: 'online' | 'offline' | 'expired' = 'online';
  reports = new Map<string, ReportFeature>();
  photos = new Set<string>();
  private refuse(): SendResult | null {
    if (this.state === 'offline') return { ok: false, kind: 'offline', message: 'Failed to fetch' };
    if (this.state === 'expired') return { ok: false, kind: 'auth', message: 'sign in again' };
    return null;
  }
  async putPhoto(p: { sha256: string }): Promise<SendResult> {
    const r = this.refuse();
    if (r) return r;
    this.photos.add(p.sha256);
    return { ok: true };
  }
  async postReport(rep: ReportFeature): Promise<SendResult> {
    const r = this.refuse();
    if (r) return r;
    const dup = this.reports.has(rep.properties.report_id);
    this.reports.set(rep.properties.report_id, rep);
    return { ok: true, outcome: dup ? 'duplicate' : 'created' };
  }
}

describe('syncOutbox (the service worker side of Background Sync)', () => {
  it('sends what a closed app queued, on its own connection; asks the browser to retry while offline', async () => {
    const factory = new IDBFactory();
    // The page queues two reports (one with a photo) and is closed.
    const page = await Outbox.open({ factory });
    const bytes = new TextEncoder().encode('jpeg').buffer as ArrayBuffer;
    const sha = await sha256Hex(bytes);
    await page.add(report('r1', [sha]), [{ sha256: sha, type: 'image/jpeg', bytes }]);
    await page.add(report('r2'));
    page.close();

    const server = new FakeServer();
    const notified: FlushSummary[] = [];
    const open = () => Outbox.open({ factory });

    server.state = 'offline';
    await expect(syncOutbox(open, server, (s) => void notified.push(s))).rejects.toBeInstanceOf(SyncRetryError);
    expect(notified).toEqual([]);

    server.state = 'online';
    const s = await syncOutbox(open, server, (x) => void notified.push(x));
    expect(s).toEqual({ sent: ['r1', 'r2'], duplicates: [], rejected: [], stopped: null });
    expect([...server.reports.keys()]).toEqual(['r1', 'r2']);
    expect([...server.photos]).toEqual([sha]);
    expect(notified).toEqual([s]);

    // The app opens again: nothing waits; a second sync sends nothing and tells no one.
    const again = await Outbox.open({ factory });
    expect(await again.counts()).toEqual({ pending: 0, rejected: 0, photosPending: 0, bytesPending: 0 });
    expect((await again.sent()).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    again.close();
    expect(await syncOutbox(open, server, (x) => void notified.push(x))).toEqual({ sent: [], duplicates: [], rejected: [], stopped: null });
    expect(notified).toHaveLength(1);
  });

  it('does not ask for a retry when the session expired (a person must sign in), and keeps the report', async () => {
    const factory = new IDBFactory();
    const page = await Outbox.open({ factory });
    await page.add(report('r9'));
    page.close();
    const server = new FakeServer();
    server.state = 'expired';
    const s = await syncOutbox(() => Outbox.open({ factory }), server);
    expect(s.stopped).toBe('auth');
    const o = await Outbox.open({ factory });
    expect((await o.list()).map((i) => [i.id, i.state, i.attempts])).toEqual([['r9', 'pending', 1]]);
    o.close();
  });
});

import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { flushOutbox, type OutboxTransport, type SendResult } from './flush-outbox';
import { Outbox, type ReportFeature } from './outbox';
import { report } from './report-fixture.test-util';
import { sha256Hex } from './sha256';

/** A server that keeps reports by id (idempotent), like the real endpoint, and can be switched offline. */
class FakeServer implements OutboxTransport {
  online = true;
  reports = new Map<string, ReportFeature>();
  photos = new Map<string, number>();
  posts = 0;
  failNextReportAfterStore = false;
  async putPhoto(p: { sha256: string; bytes: ArrayBuffer }): Promise<SendResult> {
    if (!this.online) return { ok: false, kind: 'offline', message: 'Failed to fetch' };
    if ((await sha256Hex(p.bytes)) !== p.sha256) return { ok: false, kind: 'rejected', message: 'checksum' };
    this.photos.set(p.sha256, p.bytes.byteLength);
    return { ok: true };
  }
  async postReport(r: ReportFeature): Promise<SendResult> {
    if (!this.online) return { ok: false, kind: 'offline', message: 'Failed to fetch' };
    this.posts++;
    if (r.properties.verdict === ('bogus' as never)) return { ok: false, kind: 'rejected', message: 'verdict: invalid' };
    const dup = this.reports.has(r.properties.report_id);
    this.reports.set(r.properties.report_id, r);
    if (this.failNextReportAfterStore) {
      // The server stored it but the answer was lost (connection dropped): the phone must resend.
      this.failNextReportAfterStore = false;
      return { ok: false, kind: 'offline', message: 'connection reset' };
    }
    return { ok: true, outcome: dup ? 'duplicate' : 'created' };
  }
}

describe('Outbox', () => {
  it('keeps reports and photos across a reopen (app restart) and counts what waits', async () => {
    const factory = new IDBFactory();
    const a = await Outbox.open({ factory });
    const bytes = new TextEncoder().encode('jpeg bytes').buffer as ArrayBuffer;
    const sha = await sha256Hex(bytes);
    await a.add(report('r1', [sha]), [{ sha256: sha, type: 'image/jpeg', bytes }]);
    await a.add(report('r2'));
    a.close();
    const b = await Outbox.open({ factory });
    const items = await b.list();
    expect(items.map((i) => i.id)).toEqual(['r1', 'r2']);
    expect(new TextDecoder().decode(items[0].photos[0].bytes)).toBe('jpeg bytes');
    expect(await b.counts()).toEqual({ pending: 2, rejected: 0, photosPending: 1, bytesPending: 10 });
  });

  it('refuses a photo the report does not list, and ignores a second add of the same id', async () => {
    const o = await Outbox.open({ factory: new IDBFactory() });
    await expect(o.add(report('r1'), [{ sha256: 'ab', type: 'image/jpeg', bytes: new ArrayBuffer(1) }])).rejects.toThrow(/not listed/);
    await o.add(report('r2'));
    await o.add({ ...report('r2'), properties: { ...report('r2').properties, notes: 'changed' } });
    expect((await o.list()).map((i) => [i.id, i.report.properties.notes])).toEqual([['r2', null]]);
  });
});

describe('flushOutbox', () => {
  it('sends each report exactly once across offline periods and a lost answer', async () => {
    const factory = new IDBFactory();
    const server = new FakeServer();
    server.online = false;
    let o = await Outbox.open({ factory });
    const photos = await Promise.all(
      ['a', 'b', 'c'].map(async (s) => {
        const bytes = new TextEncoder().encode(`photo ${s}`).buffer as ArrayBuffer;
        return { sha256: await sha256Hex(bytes), type: 'image/jpeg', bytes };
      }),
    );
    for (let i = 0; i < 3; i++) await o.add(report(`r${i}`, [photos[i].sha256]), [photos[i]]);

    expect((await flushOutbox(o, server)).stopped).toBe('offline');
    expect((await o.counts()).pending).toBe(3);
    o.close();
    o = await Outbox.open({ factory }); // reload while offline

    server.online = true;
    server.failNextReportAfterStore = true;
    const first = await flushOutbox(o, server);
    expect(first).toEqual({ sent: [], duplicates: [], rejected: [], stopped: 'offline' });
    expect((await o.get('r0'))?.photosSent).toEqual([photos[0].sha256]);
    const second = await flushOutbox(o, server);
    expect(second).toEqual({ sent: ['r1', 'r2'], duplicates: ['r0'], rejected: [], stopped: null });
    expect([...server.reports.keys()].sort()).toEqual(['r0', 'r1', 'r2']);
    expect(server.photos.size).toBe(3);
    expect(await o.counts()).toEqual({ pending: 0, rejected: 0, photosPending: 0, bytesPending: 0 });
    expect((await o.sent()).map((s) => s.id).sort()).toEqual(['r0', 'r1', 'r2']);
    expect((await flushOutbox(o, server)).sent).toEqual([]);
    // a re-add of a report already sent is ignored
    await o.add(report('r1'));
    expect((await o.counts()).pending).toBe(0);
  });

  it('keeps a report the server refuses as rejected with the reason, and sends the others', async () => {
    const o = await Outbox.open({ factory: new IDBFactory() });
    const server = new FakeServer();
    await o.add({ ...report('bad'), properties: { ...report('bad').properties, verdict: 'bogus' as never } });
    await o.add(report('good'));
    const s = await flushOutbox(o, server);
    expect(s).toEqual({ sent: ['good'], duplicates: [], rejected: ['bad'], stopped: null });
    expect(await o.get('bad')).toMatchObject({ state: 'rejected', lastError: 'verdict: invalid', attempts: 1 });
    expect(await o.counts()).toMatchObject({ pending: 0, rejected: 1 });
  });

  it('stops on an expired session and keeps everything queued', async () => {
    const o = await Outbox.open({ factory: new IDBFactory() });
    await o.add(report('r1'));
    const auth: OutboxTransport = {
      putPhoto: async () => ({ ok: true }),
      postReport: async () => ({ ok: false, kind: 'auth', message: '未登录' }),
    };
    expect((await flushOutbox(o, auth)).stopped).toBe('auth');
    expect(await o.get('r1')).toMatchObject({ state: 'pending', attempts: 1, lastError: '未登录' });
  });
});

import { committed, openDatabase, request } from './idb';

/** A photo waiting to be sent: its bytes, content type and sha256 (which is also its id on the server). */
export interface OutboxPhoto {
  sha256: string;
  type: string;
  bytes: ArrayBuffer;
  name?: string;
}

/**
 * A ground report as a GeoJSON Point feature with the report properties of the workspace
 * (`report_id`, `target_id`, `verdict`, `what`, `accuracy_m`, `observed_at`, `team`, `plant_count`,
 * `area_m2`, `photos` as sha256, `notes`).
 */
export interface ReportFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    report_id: string;
    target_id: string | null;
    verdict: 'confirmed_poppy' | 'eradicated' | 'not_poppy' | 'nothing_found' | 'inaccessible';
    what: string | null;
    accuracy_m: number;
    observed_at: string;
    team: string | null;
    plant_count: number | null;
    area_m2: number | null;
    photos: string[];
    notes: string | null;
  };
}

/** One queued report and what is known of its sending. */
export interface OutboxItem {
  /** = report_id, generated on the phone, so resending the same item is recognised by the server. */
  id: string;
  report: ReportFeature;
  photos: OutboxPhoto[];
  /** sha256 of photos the server has already confirmed. */
  photosSent: string[];
  createdAt: string;
  /** `pending` until sent; `rejected` when the server refused it as invalid (kept for the user to see). */
  state: 'pending' | 'rejected';
  attempts: number;
  lastError: string | null;
}

/** Record of a sent report (without its photos), kept so the team can see what went. */
export interface SentRecord {
  id: string;
  targetId: string | null;
  verdict: string;
  sentAt: string;
  /** `created` the first time, `duplicate` when the server already had it (sent by an earlier attempt). */
  outcome: 'created' | 'duplicate';
}

/** Summary shown on every field screen. */
export interface OutboxCounts {
  pending: number;
  rejected: number;
  photosPending: number;
  bytesPending: number;
}

const DB_NAME = 'tiandi-field';
const DB_VERSION = 1;

/**
 * The field outbox: reports and their photos queued in IndexedDB until the server confirms them.
 * Writes are committed before `add` resolves, so a report survives a reload, an app kill or a
 * phone reboot. Items are only removed once the server has accepted them (or already had them).
 *
 * @example
 * const outbox = await Outbox.open();
 * await outbox.add(report, photos);
 * (await outbox.counts()).pending; // 1 until flushOutbox() succeeds
 */
export class Outbox {
  private readonly listeners = new Set<(c: OutboxCounts) => void>();

  private constructor(private readonly db: IDBDatabase) {}

  /** Opens the outbox database (the one in this browser profile, or `factory`'s in tests). */
  static async open(options: { name?: string; factory?: IDBFactory } = {}): Promise<Outbox> {
    const db = await openDatabase(
      options.name ?? DB_NAME,
      DB_VERSION,
      (d) => {
        if (!d.objectStoreNames.contains('outbox')) d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        if (!d.objectStoreNames.contains('sent')) d.createObjectStore('sent', { keyPath: 'id' });
        if (!d.objectStoreNames.contains('kv')) d.createObjectStore('kv');
      },
      options.factory,
    );
    return new Outbox(db);
  }

  /** Queues a report with its photos. Resolves once the write is durable. Adding the same id twice keeps the first. */
  async add(report: ReportFeature, photos: OutboxPhoto[] = []): Promise<OutboxItem> {
    const id = report.properties.report_id;
    if (!id) throw new Error('report_id is required');
    const shas = new Set(report.properties.photos);
    for (const p of photos) if (!shas.has(p.sha256)) throw new Error(`photo ${p.sha256} is not listed in the report's photos`);
    const item: OutboxItem = { id, report, photos, photosSent: [], createdAt: new Date().toISOString(), state: 'pending', attempts: 0, lastError: null };
    const tx = this.db.transaction(['outbox', 'sent'], 'readwrite');
    const store = tx.objectStore('outbox');
    const existing = (await request(store.get(id))) as OutboxItem | undefined;
    const sent = await request(tx.objectStore('sent').get(id));
    if (!existing && !sent) store.add(item);
    await committed(tx);
    this.changed();
    return existing ?? item;
  }

  /** Every queued item, oldest first. */
  async list(): Promise<OutboxItem[]> {
    const tx = this.db.transaction('outbox', 'readonly');
    return (await request(tx.objectStore('outbox').index('createdAt').getAll())) as OutboxItem[];
  }

  /** One queued item, or undefined. */
  async get(id: string): Promise<OutboxItem | undefined> {
    return (await request(this.db.transaction('outbox', 'readonly').objectStore('outbox').get(id))) as OutboxItem | undefined;
  }

  /** How many reports, photos and bytes are still waiting. */
  async counts(): Promise<OutboxCounts> {
    const items = await this.list();
    const c: OutboxCounts = { pending: 0, rejected: 0, photosPending: 0, bytesPending: 0 };
    for (const it of items) {
      if (it.state === 'rejected') c.rejected++;
      else c.pending++;
      for (const p of it.photos) {
        if (it.photosSent.includes(p.sha256)) continue;
        c.photosPending++;
        c.bytesPending += p.bytes.byteLength;
      }
    }
    return c;
  }

  /** Records that the server has one photo of an item. */
  async markPhotoSent(id: string, sha256: string): Promise<void> {
    await this.update(id, (it) => {
      if (!it.photosSent.includes(sha256)) it.photosSent.push(sha256);
    });
  }

  /** Records a failed attempt (network, server) without changing the item's state. */
  async markAttempt(id: string, error: string): Promise<void> {
    await this.update(id, (it) => {
      it.attempts++;
      it.lastError = error;
    });
  }

  /** Marks an item refused by the server as invalid; it stays visible but is not resent until edited. */
  async markRejected(id: string, error: string): Promise<void> {
    await this.update(id, (it) => {
      it.attempts++;
      it.state = 'rejected';
      it.lastError = error;
    });
  }

  /** Removes an item the server has confirmed and keeps a small record of it. One transaction. */
  async markSent(id: string, outcome: SentRecord['outcome']): Promise<void> {
    const tx = this.db.transaction(['outbox', 'sent'], 'readwrite');
    const it = (await request(tx.objectStore('outbox').get(id))) as OutboxItem | undefined;
    if (it) {
      tx.objectStore('outbox').delete(id);
      const rec: SentRecord = {
        id,
        targetId: it.report.properties.target_id,
        verdict: it.report.properties.verdict,
        sentAt: new Date().toISOString(),
        outcome,
      };
      tx.objectStore('sent').put(rec);
    }
    await committed(tx);
    this.changed();
  }

  /** Records of sent reports, newest first. */
  async sent(): Promise<SentRecord[]> {
    const all = (await request(this.db.transaction('sent', 'readonly').objectStore('sent').getAll())) as SentRecord[];
    return all.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  }

  /** Deletes a queued item without sending it (the user discards a rejected report). */
  async discard(id: string): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    tx.objectStore('outbox').delete(id);
    await committed(tx);
    this.changed();
  }

  /** A small key/value store in the same database (cached route, last position …). */
  async getValue<T>(key: string): Promise<T | undefined> {
    return (await request(this.db.transaction('kv', 'readonly').objectStore('kv').get(key))) as T | undefined;
  }

  async setValue(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('kv', 'readwrite');
    tx.objectStore('kv').put(value, key);
    await committed(tx);
  }

  /** Calls `fn` with fresh counts after every change (this tab). Returns an unsubscribe function. */
  onChange(fn: (c: OutboxCounts) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.db.close();
  }

  private async update(id: string, fn: (it: OutboxItem) => void): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    const it = (await request(store.get(id))) as OutboxItem | undefined;
    if (it) {
      fn(it);
      store.put(it);
    }
    await committed(tx);
    this.changed();
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    void this.counts().then((c) => this.listeners.forEach((fn) => fn(c)));
  }
}

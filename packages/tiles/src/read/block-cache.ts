/** A bounded least-recently-used cache of decoded blocks, sized in bytes, that also shares in-flight decodes. */
export class BlockCache<T extends { byteLength: number }> {
  private readonly entries = new Map<string, T>();
  private readonly inflight = new Map<string, Promise<T>>();
  private bytes = 0;
  /** Blocks decoded (cache misses), for tests and benchmarks. */
  decodes = 0;

  /** `onEvict` is told of every block dropped from the cache, with its key (to recycle its buffers, or write it first). */
  constructor(
    public maxBytes: number,
    private readonly onEvict?: (v: T, key: string) => void,
  ) {}

  /** Changes the byte budget, evicting the least recently used blocks if needed. */
  resize(maxBytes: number): void {
    this.maxBytes = maxBytes;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) break;
      this.entries.delete(k);
      this.bytes -= old.byteLength;
      this.onEvict?.(old, k);
    }
  }

  /** Returns the cached block or decodes it once, however many callers ask at the same time. */
  async get(key: string, decode: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = decode().then(
      (v) => {
        this.inflight.delete(key);
        this.decodes++;
        this.put(key, v);
        return v;
      },
      (e) => {
        this.inflight.delete(key);
        throw e;
      },
    );
    this.inflight.set(key, p);
    return p;
  }

  /** The cached block, if any, without counting it as used. */
  peek(key: string): T | undefined {
    return this.entries.get(key);
  }

  private put(key: string, v: T): void {
    this.entries.set(key, v);
    this.bytes += v.byteLength;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.maxBytes || this.entries.size <= 1) break;
      this.entries.delete(k);
      this.bytes -= old.byteLength;
      this.onEvict?.(old, k);
    }
  }

  /** Drops everything. */
  clear(): void {
    if (this.onEvict) for (const [k, v] of this.entries) this.onEvict(v, k);
    this.entries.clear();
    this.bytes = 0;
  }
}

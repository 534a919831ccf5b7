/** How many failed sign-ins each kind of key may have within the window. */
export interface ThrottleLimits {
  /** One account name from one address (the rule a person mistyping meets). */
  accountAddress: number;
  /** One account name from any address (a botnet guessing one password). */
  account: number;
  /** One address for any names (one machine guessing many accounts). */
  address: number;
}

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  limits?: Partial<ThrottleLimits>;
  /** How long a failure counts, ms (default 15 min). */
  windowMs?: number;
  /** Most keys kept in memory (default 50 000, a few MB); see {@link LoginThrottle}. */
  maxKeys?: number;
  now?: () => number;
}

/** Default limits per 15 minutes. */
export const THROTTLE_LIMITS: ThrottleLimits = { accountAddress: 5, account: 20, address: 100 };

interface KeyState {
  /** Times of failed attempts still inside the window. */
  failures: number[];
  /** Attempts reserved and not yet decided (their hash is being checked). */
  pending: number;
  limit: number;
}

/** One reserved sign-in attempt: report how it ended exactly once. */
export interface LoginAttempt {
  /** The password was wrong (or the name unknown): the reservation becomes a failure. */
  fail(): void;
  /** Signed in: the reservation is dropped and the name+address failures cleared. */
  succeed(): void;
}

/**
 * Slows password guessing. An attempt is reserved before the slow password hash, against three keys
 * at once (account+address, account, address; limits in {@link THROTTLE_LIMITS}): a reservation counts as a
 * failure until it is decided, so 400 concurrent wrong passwords for one account check at most the
 * allowed number of hashes, and the rest are refused at once.
 *
 * Memory is bounded by `maxKeys`. When full, the least recently used keys that are neither locked
 * (at their limit) nor pending are evicted; a locked key is kept until its failures leave the
 * window, so failing 10 000 other names cannot make the throttle forget a locked account. If every
 * key is locked, new keys are refused (fail closed) until some expire. In memory, per process.
 */
export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();
  private readonly limits: ThrottleLimits;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(opts: LoginThrottleOptions = {}) {
    this.limits = { ...THROTTLE_LIMITS, ...opts.limits };
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.maxKeys = Math.max(16, opts.maxKeys ?? 50_000);
    this.now = opts.now ?? Date.now;
  }

  /** Number of keys held (for tests and the bench). */
  get size(): number {
    return this.keys.size;
  }

  /**
   * Reserves one attempt for `name` from `address`, or returns null when any of its keys is at its
   * limit (or memory is full of locked keys). Synchronous, so no other request can slip in between
   * the check and the reservation.
   */
  reserve(name: string, address: string): LoginAttempt | null {
    const account = name.trim().toLowerCase();
    const wanted: [string, number][] = [
      [`n|${account}|${address}`, this.limits.accountAddress],
      [`n|${account}`, this.limits.account],
      [`a|${address}`, this.limits.address],
    ];
    const states: KeyState[] = [];
    for (const [key, limit] of wanted) {
      const s = this.keys.get(key);
      if (s && this.used(s) >= limit) return null;
    }
    for (const [key, limit] of wanted) {
      const s = this.touch(key, limit);
      if (!s) return null;
      states.push(s);
    }
    // Reserve on every key only once all exist, so a refusal leaves no half reservation.
    for (const s of states) s.pending++;
    let decided = false;
    const decide = (failed: boolean) => {
      if (decided) return;
      decided = true;
      const t = this.now();
      for (const s of states) {
        s.pending--;
        if (failed) s.failures.push(t);
      }
      if (!failed) this.keys.delete(wanted[0][0]);
    };
    return { fail: () => decide(true), succeed: () => decide(false) };
  }

  /** Failures in the window plus pending reservations; drops failures that left the window. */
  private used(s: KeyState): number {
    const cutoff = this.now() - this.windowMs;
    while (s.failures.length > 0 && s.failures[0] <= cutoff) s.failures.shift();
    return s.failures.length + s.pending;
  }

  /** The key's state, most recently used last; null when memory is full of locked keys. */
  private touch(key: string, limit: number): KeyState | null {
    let s = this.keys.get(key);
    if (s) {
      this.keys.delete(key);
      this.keys.set(key, s);
      return s;
    }
    if (this.keys.size >= this.maxKeys && !this.evictOne()) return null;
    s = { failures: [], pending: 0, limit };
    this.keys.set(key, s);
    return s;
  }

  /** Evicts the least recently used key that is not locked and not pending; false when none can go. */
  private evictOne(): boolean {
    let looked = 0;
    for (const [key, s] of this.keys) {
      if (looked++ >= 256) break;
      const used = this.used(s);
      if (s.pending === 0 && used < s.limit) {
        this.keys.delete(key);
        return true;
      }
      // Locked or pending: keep it, but move it back so the next search starts past it.
      this.keys.delete(key);
      this.keys.set(key, s);
    }
    return false;
  }
}

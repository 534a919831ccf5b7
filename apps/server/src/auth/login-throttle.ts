/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one key (account name + client
 * address) within `windowMs`, further attempts for that key are refused until the window passes.
 * In memory, per server process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this key may try again now. */
  allowed(key: string): boolean {
    return this.recent(key).length < this.maxFailures;
  }

  /** Records one failed attempt. */
  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  /** Clears a key after a successful sign-in. */
  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }
}

/** How long a reviewer holds the candidates handed to them, unless they decide or skip first. */
export const LEASE_MS = 120_000;

/**
 * Server-side claims on triage targets, so several reviewers at once are never shown (or allowed to decide)
 * the same candidate: a target handed to one reviewer is leased to them until they decide, skip, or the
 * lease runs out. In memory: a restart frees every lease, and the store still refuses a second decision.
 */
export class TriageLeases {
  private readonly leases = new Map<string, { actor: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Who else holds this target now, or null (free, expired, or held by `actor`). */
  heldByOther(targetId: string, actor: string): string | null {
    const l = this.leases.get(targetId);
    if (!l || l.until <= this.now() || l.actor === actor) return null;
    return l.actor;
  }

  /** Leases (or renews) the targets to `actor`; returns those it got (others' live leases are kept). */
  claim(targetIds: string[], actor: string): string[] {
    const got: string[] = [];
    for (const id of targetIds) {
      if (this.heldByOther(id, actor)) continue;
      this.leases.set(id, { actor, until: this.now() + LEASE_MS });
      got.push(id);
    }
    return got;
  }

  release(targetId: string, actor: string): void {
    if (this.leases.get(targetId)?.actor === actor) this.leases.delete(targetId);
  }

  /** Drops expired leases (called now and then so the map stays small). */
  sweep(): void {
    const t = this.now();
    for (const [id, l] of this.leases) if (l.until <= t) this.leases.delete(id);
  }
}

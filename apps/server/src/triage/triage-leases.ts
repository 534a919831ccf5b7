import { TRIAGE_LEASE_MS, claimTriageTargets, releaseTriageTarget, triageLeaseHolder, triageLeasesOfOthers, type Workspace } from '@tiandi/store';

/** How long a reviewer holds the candidates handed to them, unless they decide or skip first. */
export const LEASE_MS = TRIAGE_LEASE_MS;

/**
 * Server-side claims on triage targets, so several reviewers at once are never shown (or allowed to decide)
 * the same candidate: a target handed to one reviewer is leased to them until they decide, skip, or the
 * lease runs out. Kept in the workspace (table triage_leases), so a restart frees none of them; the store
 * still refuses a second decision on a target.
 */
export class TriageLeases {
  constructor(
    private readonly ws: () => Workspace,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who else holds this target now, or null (free, expired, or held by `actor`). */
  heldByOther(targetId: string, actor: string): string | null {
    return triageLeaseHolder(this.ws(), targetId, actor, this.now());
  }

  /** Every target another reviewer holds now, with who holds it. */
  heldByOthers(actor: string): Map<string, string> {
    return triageLeasesOfOthers(this.ws(), actor, this.now());
  }

  /** Leases (or renews) the targets to `actor`; returns those it got (others' live leases are kept). */
  claim(targetIds: string[], actor: string): string[] {
    return claimTriageTargets(this.ws(), targetIds, actor, this.now(), LEASE_MS);
  }

  release(targetId: string, actor: string): void {
    releaseTriageTarget(this.ws(), targetId, actor);
  }
}

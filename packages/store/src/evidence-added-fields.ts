import { digestOf } from '@tiandi/geo';

/**
 * Fields the certificate evidence gained after certificates had already been issued without them, each with the
 * value it implicitly had before it was written. Evidence version 1 (no `version` key) covers certificates from both
 * sides of such an addition, so a verifier compares only the fields the certificate has: a certificate without the
 * field still matches a workspace whose value is the implicit one (a season that still refuses desk dismissals), and
 * never one where it changed (a season that now accepts them).
 *
 * Issue 21's typed, versioned evidence (certificate-evidence.ts) is the home for this: when a field is added there,
 * a new version is made instead; this list only mends the additions made before versions existed. Keep it small.
 */
export const FIELDS_ADDED_TO_V1: readonly { path: readonly string[]; implicit: unknown }[] = [
  // Issue 17 (2026-12-06): seasonToFile writes policy.desk_dismissal; certificates issued before have none.
  { path: ['season', 'policy', 'desk_dismissal'], implicit: { allowed: false, max_score: 0.5, audit_share: 0.1, audit_min: 3 } },
];

const parentOf = (o: unknown, path: readonly string[]): Record<string, unknown> | undefined =>
  path.slice(0, -1).reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o) as
    | Record<string, unknown>
    | undefined;

/**
 * The workspace's evidence now as a certificate of that layout would hold it: each field of {@link FIELDS_ADDED_TO_V1}
 * the certificate lacks is dropped where the workspace still holds its implicit value (kept, so the digests differ,
 * where it does not). A copy; `now` is not changed.
 */
export function evidenceAsCertified<T extends object>(now: T, certified: unknown): T {
  let out: T | null = null;
  for (const { path, implicit } of FIELDS_ADDED_TO_V1) {
    const key = path[path.length - 1],
      theirs = parentOf(certified, path),
      mine = parentOf(now, path);
    if (!mine || !(key in mine) || (theirs && key in theirs) || digestOf(mine[key]) !== digestOf(implicit)) continue;
    out ??= structuredClone(now);
    delete parentOf(out, path)![key];
  }
  return out ?? now;
}

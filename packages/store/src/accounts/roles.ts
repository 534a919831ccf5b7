/**
 * The roles of Tiandi accounts.
 * - `operator`: uploads imagery and runs scans.
 * - `planner`: plans routes and assigns teams.
 * - `field`: a field team; sees only its own team's routes and targets, and reports.
 * - `manager`: reviews, certifies and revokes.
 * - `admin`: manages accounts.
 */
export const ROLES = ['operator', 'planner', 'field', 'manager', 'admin'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Narrows an unknown value to a {@link Role}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Chinese and English labels for each role, for UI and CLI messages. */
export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = Object.freeze({
  operator: { zh: '飞手', en: 'operator' },
  planner: { zh: '规划员', en: 'planner' },
  field: { zh: '外业组', en: 'field team' },
  manager: { zh: '管理员', en: 'manager' },
  admin: { zh: '系统管理员', en: 'admin' },
});

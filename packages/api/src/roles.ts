/**
 * The roles of Tiandi accounts, declared once for the workspace's account store, the server's access checks
 * and the web app's tabs.
 * - `operator`: uploads imagery and runs scans.
 * - `planner`: plans routes and assigns teams.
 * - `field`: a field team; sees only its own team's routes and targets, and reports.
 * - `manager`: reviews, certifies and revokes.
 * - `admin`: manages accounts.
 */
export const ROLES = ['operator', 'planner', 'field', 'manager', 'admin'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

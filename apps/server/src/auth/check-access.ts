import type { RequestAccount, Role } from '../context';
import { AuthError } from './auth-errors';

/**
 * The role check of one route: no account → 401 `TIANDI_E_AUTH_REQUIRED`; an account whose role is
 * not in `roles` → 403 `TIANDI_E_AUTH_ROLE`. `roles` undefined means a public route.
 */
export function checkAccess(account: RequestAccount | null, roles: readonly Role[] | undefined): void {
  if (!roles) return;
  if (!account) throw new AuthError('TIANDI_E_AUTH_REQUIRED');
  if (!roles.includes(account.role)) {
    throw new AuthError(
      'TIANDI_E_AUTH_ROLE',
      `您的角色（${account.role}）无权执行此操作 Role '${account.role}' may not do this; allowed: ${roles.join(', ')}`,
      undefined,
      {
        role: account.role,
        allowed: roles.join(', '),
      },
    );
  }
}

/**
 * The team scope of field accounts: a field account may only touch its own team's routes, targets
 * and reports (403 `TIANDI_E_AUTH_TEAM` otherwise). Other roles pass.
 */
export function checkTeam(account: RequestAccount | null, teamId: string | null | undefined): void {
  if (!account) throw new AuthError('TIANDI_E_AUTH_REQUIRED');
  if (account.role !== 'field') return;
  if (!teamId || account.team !== teamId) throw new AuthError('TIANDI_E_AUTH_TEAM');
}

import { accountStoreOf, type Account, type AccountStore } from '@tiandi/store/accounts';
import type { RequestAccount, ServerContext } from '../context';
import { workspaceOf } from '../workspace/workspace-service';

/** Session lifetimes: field teams work offline for days, so their sessions last a week; others half a day. */
export const SESSION_TTL_S = { field: 7 * 24 * 3600, default: 12 * 3600 } as const;

/** The service name under which the account store sits in `ctx.services`. */
export const ACCOUNTS_SERVICE = 'accounts';

/**
 * The server's account store: the one in `ctx.services` (tests put their own there), or one over
 * the shared workspace connection (tables from the workspace's accounts migration).
 */
export async function accountService(ctx: ServerContext): Promise<AccountStore> {
  const existing = ctx.services.get(ACCOUNTS_SERVICE) as AccountStore | undefined;
  if (existing) return existing;
  const accounts = accountStoreOf(workspaceOf(ctx));
  ctx.services.set(ACCOUNTS_SERVICE, accounts);
  return accounts;
}

/** Closes the account store if this module opened it. */
export function closeAccountService(ctx: ServerContext): void {
  const close = ctx.services.get(`${ACCOUNTS_SERVICE}:close`) as (() => void) | undefined;
  if (close) {
    close();
    ctx.services.delete(`${ACCOUNTS_SERVICE}:close`);
    ctx.services.delete(ACCOUNTS_SERVICE);
  }
}

/** The request-facing view of an account (what `req.account` holds). */
export function toRequestAccount(account: Account): RequestAccount {
  const out: RequestAccount = { id: String(account.id), name: account.name, role: account.role };
  if (account.teamId) out.team = account.teamId;
  return out;
}

import { dbOf, type Workspace } from '../workspace';
import { AccountStore } from './account-store';
import type { ScryptParams } from './password-hash';

/** The accounts of an open workspace, on its connection (the server's and `tiandi user`'s way in). */
export function accountStoreOf(ws: Workspace, options: { scrypt?: ScryptParams; now?: () => Date } = {}): AccountStore {
  return new AccountStore(dbOf(ws), options);
}

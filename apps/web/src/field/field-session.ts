import type { FieldAssignment, RasterInfo } from '@tiandi/api';
import { api, ApiError, isServerAnswer } from '../api/api';
import { refreshAccount, type Account } from '../auth/session';
import type { Outbox } from '../pwa/outbox';

/**
 * Who is signed in: the server when reachable (remembered on this phone), else the account
 * remembered. `reachable` is false when the server could not be asked.
 * @throws the server's answer when it answered with an error other than "not signed in".
 */
export async function whoIsSignedIn(outbox: Outbox): Promise<{ account: Account | null; reachable: boolean }> {
  try {
    const account = await refreshAccount();
    if (account) await outbox.setValue('account', account);
    return { account, reachable: true };
  } catch (err) {
    if (isServerAnswer(err)) throw err;
    return { account: (await outbox.getValue<Account>('account')) ?? null, reachable: false };
  }
}

/** A team's route and the map's rasters, and when they were fetched. */
export interface LoadedRoute {
  assignment: FieldAssignment;
  rasters: RasterInfo[];
  savedAt: string;
  /** True when read from this phone's saved copy (offline, or the server failed). */
  fromCache: boolean;
}

/**
 * The team's assignment and raster list: fresh from the server, saved for offline use; else the
 * copy saved on this phone. 'sign-in' when the server wants a new sign-in; 'none' when offline
 * with nothing saved.
 */
export async function loadRoute(team: string | null, outbox: Outbox): Promise<LoadedRoute | 'sign-in' | 'none'> {
  try {
    if (!navigator.onLine) throw new ApiError(0, 'TIANDI_E_OFFLINE', 'offline');
    const assignment = await api<FieldAssignment>('/api/field/assignment', { fresh: true, ownSignIn: true });
    const savedAt = new Date().toISOString();
    await outbox.setValue(`assignment:${team}`, { assignment, savedAt });
    return { assignment, rasters: await freshRasters(outbox), savedAt, fromCache: false };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return 'sign-in';
    const saved = await outbox.getValue<{ assignment: FieldAssignment; savedAt: string }>(`assignment:${team}`);
    if (!saved) return 'none';
    return { assignment: saved.assignment, rasters: (await outbox.getValue<RasterInfo[]>('rasters')) ?? [], savedAt: saved.savedAt, fromCache: true };
  }
}

async function freshRasters(outbox: Outbox): Promise<RasterInfo[]> {
  try {
    const rasters = (await api<{ rasters: RasterInfo[] }>('/api/rasters', { ownSignIn: true })).rasters;
    await outbox.setValue('rasters', rasters);
    return rasters;
  } catch {
    return (await outbox.getValue<RasterInfo[]>('rasters')) ?? [];
  }
}

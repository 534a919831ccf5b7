/** Calls of the field and manager views to the server, and the shapes they get back. */
import { OFFLINE_COPY_HEADER } from '../pwa/offline-copy';

export interface Account {
  id: string;
  name: string;
  role: 'operator' | 'planner' | 'field' | 'manager' | 'admin';
  team?: string;
}

export interface FieldStop {
  seq: number;
  targetId: string | null;
  lon: number;
  lat: number;
  arriveS: number | null;
  amapUriGcj02: string;
  /** Village, area, score, model and what to look for there (from the server; absent for off-target stops). */
  info?: { village?: string; areaM2?: number; score?: number; model?: string; lookFor: string };
}

export interface FieldAssignment {
  team: string;
  plan: { planId: string; createdAt: string; durationS: number | null; distanceM: number | null } | null;
  route: GeoJSON.Geometry | null;
  stops: FieldStop[];
  targets: GeoJSON.FeatureCollection;
  reports: { reportId: string; targetId: string | null; verdict: string; observedAt: string }[];
}

export interface RasterInfo {
  id: string;
  kind: 'ortho' | 'heatmap';
  name: string;
  bounds?: [number, number, number, number];
  minzoom?: number;
  maxzoom?: number;
  tiles?: string;
  error?: string;
}

/** An error answer of the API: HTTP status, stable code and the message to show. `status` 0 = no connection. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

/**
 * JSON request to the API; throws {@link ApiError} (status 0 when the network failed). With `fresh`, the service
 * worker's saved copy (given when the network failed) counts as offline too: the caller has its own copy and
 * must know that it is offline.
 */
export async function api<T>(path: string, init: RequestInit & { json?: unknown; fresh?: boolean } = {}): Promise<T> {
  const { json, fresh, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...rest,
      headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), accept: 'application/json', ...(rest.headers ?? {}) },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (err) {
    throw new ApiError(0, 'TIANDI_E_OFFLINE', String((err as Error)?.message ?? err));
  }
  if (fresh && res.headers.get(OFFLINE_COPY_HEADER)) throw new ApiError(0, 'TIANDI_E_OFFLINE', 'offline: the service worker answered with its saved copy');
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? `HTTP ${res.status}`, body);
  return body as T;
}

/** Signs in; the server sets the HttpOnly session cookie. */
export function login(name: string, password: string): Promise<{ account: Account; expiresAt: string }> {
  return api('/api/auth/login', { method: 'POST', json: { name, password } });
}

export function logout(): Promise<unknown> {
  return api('/api/auth/logout', { method: 'POST', json: {} });
}

/** The signed-in account, or null. Throws ApiError(0) when offline. Asks /session, which is 200 when signed out (no 401 logged). */
export async function me(): Promise<{ account: Account; expiresAt: string } | null> {
  const res = await api<{ account: Account | null; expiresAt: string | null }>('/api/auth/session');
  return res.account && res.expiresAt ? { account: res.account, expiresAt: res.expiresAt } : null;
}

/**
 * The web app's one client of the Tiandi API (every view calls through it). The shapes it gets back are the
 * API contract's (`@tiandi/api`, imported as types only so no schema code reaches the bundle).
 */
import type { ErrorBody } from '@tiandi/api';
import { TiandiError } from '@tiandi/geo/errors';
import { OFFLINE_COPY_HEADER } from '../pwa/offline-copy';

/** An error answer of the Tiandi API: `{ code, message, field, params }` with the HTTP status; status 0 = no connection (`TIANDI_E_OFFLINE`). */
export class ApiError extends TiandiError {
  override readonly name = 'ApiError';
  constructor(status: number, code: string, message: string, field?: string, params?: Record<string, string | number>) {
    super(code, message, status, { field, params });
  }
}

/** True when the server answered with an error (not a failed connection). */
export function isServerAnswer(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status !== 0;
}

/** Listeners told when the server answers 401 (the session ended): the app shows the sign-in form. */
export const unauthorizedListeners = new Set<() => void>();

/** How to call {@link api}. */
export interface ApiInit {
  /** Default GET, or POST when there is a body. */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** The service worker's saved copy (given when the network failed) counts as offline: for callers that keep their own copy and must know. */
  fresh?: boolean;
  /** A 401 is the caller's to handle (the field view shows its own sign-in): the app-wide sign-out is not triggered. */
  ownSignIn?: boolean;
}

/**
 * Calls the API (same origin, session cookie) and returns the parsed JSON. A non-2xx answer throws
 * {@link ApiError} with the server's code, message, field and params; a failed connection throws one with
 * status 0 and `TIANDI_E_OFFLINE`.
 */
export async function api<T = unknown>(path: string, init: ApiInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError(0, 'TIANDI_E_OFFLINE', String((err as Error)?.message ?? err));
  }
  if (init.fresh && res.headers.get(OFFLINE_COPY_HEADER)) throw new ApiError(0, 'TIANDI_E_OFFLINE', 'offline: the service worker answered with its saved copy');
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !init.ownSignIn) for (const fn of unauthorizedListeners) fn();
    const e = (json ?? {}) as Partial<ErrorBody>;
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? (text || res.statusText), e.field, e.params);
  }
  return json as T;
}

/** Saves text as a file download in the browser. */
export function downloadText(name: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

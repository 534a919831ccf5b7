/** An error answer of the Tiandi API: `{ code, message, field }` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Values for the code's message in the user's language (e.g. `{ role, allowed }`). */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Listeners told when the server answers 401 (the session ended): the app shows the sign-in form. */
export const unauthorizedListeners = new Set<() => void>();

/**
 * Calls the API (same origin, session cookie) and returns the parsed JSON. A non-2xx answer
 * throws {@link ApiError} with the server's code, message and field.
 */
export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    signal: init.signal,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
    const e = (json ?? {}) as { code?: string; message?: string; field?: string; params?: Record<string, string | number> };
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

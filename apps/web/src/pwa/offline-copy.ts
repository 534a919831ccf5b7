/**
 * Header the service worker puts on an API answer it gave from its saved copy because the network failed.
 * The page cannot trust `navigator.onLine` (true on a Wi-Fi without internet, and after a reload in some
 * browsers' offline emulation), so this is how it knows the data is the copy saved earlier, and says so.
 */
export const OFFLINE_COPY_HEADER = 'x-tiandi-offline-copy';

/** The same answer, marked as the saved copy. */
export function markOfflineCopy(res: Response): Response {
  const headers = new Headers(res.headers);
  headers.set(OFFLINE_COPY_HEADER, '1');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

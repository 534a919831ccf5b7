/**
 * Registers /sw.js (built app only; the dev server has no service worker). Resolves with
 * the registration once a worker is active and controlling the page, or null where unsupported.
 */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  // Not on the Vite dev server (import.meta.hot is only set there): its modules are not the build the worker precaches.
  if (!('serviceWorker' in navigator) || import.meta.hot) return null;
  const reg = await navigator.serviceWorker.register('./sw.js', { scope: './' });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5000);
      navigator.serviceWorker.addEventListener('controllerchange', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
  return reg;
}

/** True when the page is controlled by the service worker (so it will open offline). */
export function offlineReady(): boolean {
  return 'serviceWorker' in navigator && !!navigator.serviceWorker.controller;
}

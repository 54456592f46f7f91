// The offline cache's worker (app/offline/serviceWorker.js, built as sw.js beside index.html): after
// one visit the app opens and plays without a network. Only in a build (the dev server's modules are
// not files to cache) and only where the browser allows one (https, or http on this machine).
export function registerOfflineCache(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  // After the page has loaded: caching the whole build never competes with the first frame. Relative:
  // the worker's scope is the folder the app is served from, whatever sub-path that is.
  const register = () => void navigator.serviceWorker.register('sw.js').catch((e: unknown) => console.warn('TDI Flow Lab: no offline cache:', e));
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

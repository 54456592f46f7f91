// The offline cache (README § Hosting it yourself). The build (vite.config.ts, offlineCache) writes
// dist/sw.js as `const BUILD = "<hash of every file>"; const FILES = [...]` followed by this file.
// After one visit every file of the build is cached — the app, the embed, the simulation worker, the
// presets and lessons — so the app opens and plays without a network.
//
// A cached build must never stand in for a newer one: pages and the few files without a hash in their
// name (embed.js, the manifest) come from the network first and from the cache only when it fails;
// hashed files never change under their name. Each build's cache is its own (named by BUILD), and
// the new worker deletes the old one as soon as it takes over. The cache name carries the scope too,
// so two copies of the app on one host (two sub-paths) never delete each other's caches.
/* global BUILD, FILES */

const PREFIX = `tdi-flow-lab ${self.registration.scope} `;
const CACHE = PREFIX + BUILD;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, self.registration.scope), { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(self.registration.scope)) return;
  const path = request.url.slice(self.registration.scope.length).split(/[?#]/)[0];
  const hashed = /^assets\//.test(path);
  event.respondWith(hashed ? cacheFirst(request) : networkFirst(request, path));
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) ?? fetch(request);
}

async function networkFirst(request, path) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    // A page's address carries its parameters (?preset=race): the cached page is the same file.
    const cached = (await cache.match(request, { ignoreSearch: true })) ?? (path === '' || path.endsWith('/') ? await cache.match(new URL('index.html', request.url)) : undefined);
    if (cached) return cached;
    throw error;
  }
}

// Service worker: the app shell is cached at install (hashed assets, the offline page); course
// copies are cached only when the learner asks ("Download for offline", one cache per pinned
// course version, removed on request or at sign-out). Pages come from the network first and
// from a downloaded copy when the network fails; nothing else personal is stored.
const SHELL = 'shell-__VERSION__';
const SHELL_URLS = __SHELL_URLS__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === 'navigate' || url.pathname.startsWith('/media/')) {
    event.respondWith(
      fetch(req).catch(async () => (await caches.match(req, { ignoreSearch: true })) || (req.mode === 'navigate' ? caches.match('/offline') : Response.error())),
    );
  }
});

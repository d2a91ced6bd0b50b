// Keeps the fast-entry page and its static files so the page opens without a connection.
// Only the page (network first, the kept copy when offline) and the listed static files
// (kept copy first) are answered here; the API and everything else go to the network, and
// no client data is ever put in this cache (the page holds none).
const CONFIG = {{ config|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CONFIG.cache)
      .then((cache) => cache.addAll([CONFIG.page, ...CONFIG.static]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  const prefix = CONFIG.cache.replace(/-v\d+$/, "-");
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(prefix) && name !== CONFIG.cache)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          // A redirect (to the login page) or an error page is not kept.
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CONFIG.cache).then((cache) => cache.put(CONFIG.page, copy));
          }
          return response;
        })
        .catch(() => caches.match(CONFIG.page).then((kept) => kept || Response.error()))
    );
    return;
  }
  if (CONFIG.static.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});

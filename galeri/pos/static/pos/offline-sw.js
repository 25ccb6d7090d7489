/* The offline counter's service worker, served at luring/sw.js by galeri/pos/offline_views.py
   (which writes in the version and the list of files): keeps the page and its files and serves
   them from the cache first; everything else goes to the network. */
"use strict";
const VERSION = "__VERSION__";
const CACHE = "galeri-luring-" + VERSION;
const ASSETS = __ASSETS__;
const SCOPE = new URL(self.registration.scope).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll([...ASSETS, SCOPE])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("galeri-luring-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function refresh(cache, request, key) {
  return fetch(request).then((response) => {
    if (response.ok && !response.redirected) cache.put(key, response.clone());
    return response;
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const isPage = request.mode === "navigate" && url.pathname === SCOPE;
  const isAsset = ASSETS.includes(url.pathname);
  if (!isPage && !isAsset) return;
  const key = isPage ? SCOPE : url.pathname;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(key).then((hit) => {
        if (hit) {
          if (isPage) event.waitUntil(refresh(cache, request, key).catch(() => null));
          return hit;
        }
        return refresh(cache, request, key);
      })
    )
  );
});

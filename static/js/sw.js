// KneeReady's service worker, written by hand. Served at /sw.js (root scope, no-cache) after one
// line of settings, self.KNEEREADY: version, files to precache, the offline page, the pages a
// runner needs with no signal, the outbox script and the session URL.
//
// Static files: cache-first (their URLs carry a content hash). Pages: network-first, the last
// copy when offline, else the offline page. htmx fragments and anything not GET: never cached.
"use strict";

var S = self.KNEEREADY;
importScripts(S.outboxScript);

var PREFIX = "kneeready-";
var STATIC = PREFIX + "static-" + S.version;
var PAGES = PREFIX + "pages-" + S.version;
var SYNC_TAG = "kneeready-outbox";
var REFRESH_AFTER_MS = 60 * 1000;  // a burst of page loads refreshes the offline pages once
var refreshed = {};
var fetching = {};  // url -> the fetch keeping that page now, so two askers at once fetch it once
// Pages fetched in the background to keep: the server leaves the session cookie alone for
// these, so they can never undo what the page itself is saving at that moment.
var PREFETCH = { "KneeReady-Prefetch": "1" };
var OFFLINE_FOR = "KneeReady-Offline-For";  // on the offline page: whose navigation it shows

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(S.precache);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(carryPagesForward().then(removeOldCaches).then(function () {
    return self.clients.claim();
  }).then(refreshForCurrentUser));
});

// Offline pages survive a new version: copied into the new cache before the old one goes.
function carryPagesForward() {
  return caches.keys().then(function (names) {
    var old = names.filter(function (name) { return name.indexOf(PREFIX + "pages-") === 0 && name !== PAGES; });
    return caches.open(PAGES).then(function (current) {
      return Promise.all(old.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
              return current.match(request).then(function (hit) {
                return hit || cache.match(request).then(function (response) { return current.put(request, response); });
              });
            }));
          });
        });
      }));
    });
  });
}

function removeOldCaches() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== STATIC && name !== PAGES;
    }).map(function (name) { return caches.delete(name); }));
  });
}

// On activation: whoever is signed in now gets their offline pages cached straight away.
function refreshForCurrentUser() {
  return fetch(S.sessionUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    return response.ok ? response.json() : { user: "" };
  }).then(function (who) {
    // Not forced: a new worker has kept nothing yet, and a page saying hello at the same time
    // shares these fetches instead of making its own.
    return adopt(String(who.user || "")).then(function () { return who.user ? cachePages(S.pages, false) : null; });
  }).catch(function () { /* offline: keep what is cached */ });
}

// Cached pages belong to one person: when someone else uses the phone, they go. One change of
// owner at a time: activation and a page's hello arrive together on a first visit, and two
// checks of the owner at once would both see a change and fetch the offline page twice.
var adopting = Promise.resolve();

function adopt(user) {
  var next = adopting.then(function () { return adoptNow(user); });
  adopting = next.catch(function () { return null; });
  return next;
}

function adoptNow(user) {
  var outbox = self.KneeReadyOutbox;
  return outbox.getMeta("owner").then(function (owner) {
    if (owner === user) { return null; }
    var wipe = owner === undefined ? Promise.resolve() : caches.delete(PAGES).then(function () {
      refreshed = {};
      fetching = {};
    });
    return wipe.then(function () { return outbox.setMeta("owner", user); }).then(function () {
      return refreshOfflinePage(user);
    });
  });
}

// The offline page shows the signed-in person's navigation: fetch it again for a new person,
// unless the copy kept at install (its header says whose it is) already is theirs.
function refreshOfflinePage(user) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(S.offlineUrl).then(function (kept) {
      if (kept && kept.headers.get(OFFLINE_FOR) === user) { return null; }
      return fetch(S.offlineUrl, { credentials: "same-origin", cache: "no-store", headers: PREFETCH }).then(function (response) {
        return response.ok ? cache.put(S.offlineUrl, response) : null;
      });
    });
  }).catch(function () { return null; });
}

function isPage(response) {
  var type = response.headers.get("Content-Type") || "";
  var control = response.headers.get("Cache-Control") || "";
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    type.indexOf("text/html") === 0 && control.indexOf("no-store") < 0 &&
    !response.headers.has("HX-Redirect") && !response.headers.has("HX-Location");
}

// A page is kept without its one-off flash messages ("Check-in saved."), marked with when it
// was kept, so the page can say it is a copy.
var FLASHES = /<div class="flashes" role="status">[\s\S]*?<\/div>/;

function storePage(cache, key, response) {
  return response.text().then(function (html) {
    var copy = html.replace(FLASHES, "")
      .replace('id="pwa-settings"', 'id="pwa-settings" data-cached-at="' + new Date().toISOString() + '"');
    var headers = new Headers(response.headers);
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
    return cache.put(key, new Response(copy, { status: 200, statusText: response.statusText, headers: headers }));
  });
}

function pageKey(url) {
  var parsed = new URL(url, self.location.href);
  return parsed.origin + parsed.pathname + parsed.search;
}

// `force`: fetch them now even if kept a moment ago (something was just saved that they show).
// Otherwise a page kept in the last minute, or being fetched right now, is fresh enough.
function cachePages(urls, force) {
  var now = Date.now();
  return Promise.all(urls.filter(function (url, index) {
    var sameSite = url.charAt(0) === "/" && url.charAt(1) !== "/";
    return sameSite && urls.indexOf(url) === index;
  }).map(function (url) {
    if (!force && fetching[url]) { return fetching[url]; }
    if (!force && now - refreshed[url] < REFRESH_AFTER_MS) { return null; }
    return keepPage(url, now);
  }));
}

function keepPage(url, now) {
  var kept = caches.open(PAGES).then(function (cache) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: PREFETCH }).then(function (response) {
      if (!isPage(response)) { return null; }
      refreshed[url] = now;
      return storePage(cache, pageKey(url), response);
    });
  }).catch(function () { return null; }).then(function () {
    if (fetching[url] === kept) { delete fetching[url]; }
  });
  fetching[url] = kept;
  return kept;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === self.location.pathname) { return; }
  if (url.pathname.indexOf(S.staticUrl) === 0 || S.precache.indexOf(url.pathname + url.search) >= 0) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || isBoostedPage(request)) {
    event.respondWith(networkFirst(event, request));
  }
  // Everything else (htmx fragments, JSON, downloads) goes to the network untouched.
});

// A whole page asked for by htmx (hx-boost or history restore), unlike a fragment.
function isBoostedPage(request) {
  var headers = request.headers;
  return headers.get("HX-Request") === "true" &&
    (headers.get("HX-Boosted") === "true" || headers.get("HX-History-Restore-Request") === "true");
}

function cacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) { return hit; }
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") { cache.put(request, response.clone()); }
        return response;
      }, function () {
        // Offline, and a cached page asks for an older version of a file: any version will do.
        return caches.match(request, { ignoreSearch: true }).then(function (any) { return any || Response.error(); });
      });
    });
  });
}

function networkFirst(event, request) {
  var key = pageKey(request.url);
  return fetch(request).then(function (response) {
    if (isPage(response)) {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) { return storePage(cache, key, copy); }));
    }
    return response;
  }, function () {
    return caches.match(key, { cacheName: PAGES, ignoreVary: true }).then(function (hit) {
      if (hit) { return hit; }
      if (request.mode !== "navigate") { return Response.error(); }
      return caches.match(S.offlineUrl, { cacheName: STATIC }).then(function (page) { return page || Response.error(); });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "hello") {
    event.waitUntil(hello(data, event.source));
  } else if (data.type === "sync") {
    event.waitUntil(syncOutbox(false));
  }
});

// A page says who is signed in and which pages it needs offline: cache them, then say so.
function hello(data, client) {
  var user = String(data.user || "");
  var pages = (data.pages || []).filter(function (url) { return typeof url === "string"; });
  return adopt(user).then(function () {
    return user ? cachePages(pages, !!data.fresh) : null;
  }).then(function () {
    if (client) { client.postMessage({ type: "offline-ready", version: S.version }); }
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) { event.waitUntil(syncOutbox(true)); }
});

// Send the queued writes; tell open pages how it went. Still offline in a sync event: throw,
// so the browser tries again later.
function syncOutbox(fromSyncEvent) {
  return self.KneeReadyOutbox.flush(S.sessionUrl).then(function (result) {
    return self.clients.matchAll({ type: "window" }).then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "outbox", result: result }); });
      if (result.sent > 0) { return cachePages(S.pages, true); }
      return null;
    }).then(function () {
      if (fromSyncEvent && result.state === "offline") { throw new Error("still offline"); }
    });
  });
}

// Reminders (Web Push). Every push shows a notification, even one that can't be read, so the
// browser never has to show its own "updated in the background" note. The payload is in the
// Declarative Web Push format ({web_push: 8030, notification: {title, body, navigate, tag}}),
// which Safari 18.4+ shows without this code. A tap opens (or focuses) the page it names,
// on this site only.
self.addEventListener("push", function (event) {
  var note = {};
  try { note = (event.data && event.data.json().notification) || {}; } catch (error) { note = {}; }
  var target = sameSite(note.navigate) || sameSite("/today");
  event.waitUntil(self.registration.showNotification(note.title || "KneeReady", {
    body: note.body || "Time for your 20-second knee check-in.",
    tag: note.tag || "kneeready", icon: "/static/icons/icon-192.png", data: { url: target },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = sameSite(event.notification.data && event.notification.data.url) || sameSite("/today");
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (wins) {
    for (var i = 0; i < wins.length; i++) {
      if (new URL(wins[i].url).pathname === new URL(url).pathname && "focus" in wins[i]) { return wins[i].focus(); }
    }
    return self.clients.openWindow(url);
  }));
});

function sameSite(url) {
  if (typeof url !== "string" || !url) { return null; }
  try {
    var parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : null;
  } catch (error) { return null; }
}

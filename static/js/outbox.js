// The phone's outbox: writes made with no signal wait here (IndexedDB) until they can be sent.
// Loaded by pages (before static/js/pwa/) and by the service worker (importScripts), so
// whichever gets the chance sends them. Each write keeps the Idempotency-Key it was first sent
// with, and the server stores one write per key: sending twice is harmless, losing one is not.
(function (scope) {
  "use strict";

  var DB_NAME = "kneeready";
  var OUTBOX = "outbox";      // {key, url, body, user, label, replace, created, state, status}
  var NOTICES = "notices";    // writes the server refused (422), until the user has read why
  var META = "meta";          // {name, value}: e.g. whose pages the worker has cached
  var LOCK = "kneeready-outbox";
  var connection = null;

  function open() {
    if (connection) { return connection; }
    connection = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore(OUTBOX, { keyPath: "key" });
        db.createObjectStore(NOTICES, { keyPath: "id", autoIncrement: true });
        db.createObjectStore(META, { keyPath: "name" });
      };
      request.onsuccess = function () {
        var db = request.result;
        // Sign-out deletes the database: let it, and reopen next time.
        db.onversionchange = function () { db.close(); connection = null; };
        db.onclose = function () { connection = null; };
        resolve(db);
      };
      request.onerror = function () { connection = null; reject(request.error); };
    });
    return connection;
  }

  // Run `work(store)` in one transaction; resolves with the last request's result.
  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function all(name) {
    return withStore(name, "readonly", function (store) { return store.getAll(); });
  }

  function pending() {
    return all(OUTBOX).then(function (items) {
      return items.sort(function (a, b) { return a.created - b.created; });
    });
  }

  // Queue a write. A "replace" write (an exercise's latest numbers) supersedes the older
  // unsent one for the same address, so the outbox holds what was last meant.
  function queue(item) {
    return withStore(OUTBOX, "readwrite", function (store) {
      if (item.replace) {
        store.openCursor().onsuccess = function (event) {
          var cursor = event.target.result;
          if (!cursor) { return; }
          var old = cursor.value;
          if (old.replace && old.url === item.url && old.user === item.user && old.key !== item.key) {
            cursor.delete();
          }
          cursor.continue();
        };
      }
      return store.put(item);
    });
  }

  function update(item) { return withStore(OUTBOX, "readwrite", function (s) { return s.put(item); }); }
  function remove(key) { return withStore(OUTBOX, "readwrite", function (s) { return s.delete(key); }); }
  function notices() { return all(NOTICES); }
  function addNotice(notice) { return withStore(NOTICES, "readwrite", function (s) { return s.add(notice); }); }
  function dismiss(id) { return withStore(NOTICES, "readwrite", function (s) { return s.delete(id); }); }

  function getMeta(name) {
    return withStore(META, "readonly", function (s) { return s.get(name); }).then(function (row) {
      return row ? row.value : undefined;
    });
  }

  function setMeta(name, value) {
    return withStore(META, "readwrite", function (s) { return s.put({ name: name, value: value }); });
  }

  // Delete everything this phone keeps (sign-out). Resolves even if another tab holds it open.
  function destroy() {
    var closing = connection ? connection.then(function (db) { db.close(); }, function () {}) : Promise.resolve();
    connection = null;
    return closing.then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    });
  }

  // Who is signed in, with a fresh CSRF token; null when nobody is. Throws when offline.
  function session(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { return null; }
        if (!response.ok) { throw new Error("session check answered " + response.status); }
        return response.json();
      });
  }

  function send(item, csrf) {
    var body = new URLSearchParams(item.body);
    if (body.has("csrf_token")) { body.set("csrf_token", csrf); }
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", cache: "no-store", redirect: "manual",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrf, "KneeReady-Sync": "1" },
    });
  }

  // sent | signin (kept: ask to sign in) | refused (422: dropped, with the reason) | retry (kept)
  function judge(response) {
    if (response.type === "opaqueredirect" || (response.status >= 200 && response.status < 400)) { return "sent"; }
    if (response.status === 401 || response.status === 403 || response.headers.get("KneeReady-Error") === "csrf") {
      return "signin";
    }
    return response.status === 422 ? "refused" : "retry";
  }

  // Why the server refused a write, in its own words: it says so in a header (app/refusals.py).
  function reason(response) {
    var said = response.headers.get("KneeReady-Refusal");
    try { if (said) { return decodeURIComponent(said); } } catch (error) { /* not encoded: below */ }
    return "It didn't pass the server's checks.";
  }

  function refuse(item, response) {
    return addNotice({ key: item.key, user: item.user, label: item.label, created: item.created, message: reason(response) })
      .then(function () { return remove(item.key); });
  }

  function sendAll(items, who, result) {
    return items.reduce(function (chain, item) {
      return chain.then(function () {
        if (result.state !== "done") { return undefined; }
        return send(item, who.csrf).then(function (response) {
          var outcome = judge(response);
          if (outcome === "sent") { result.sent += 1; return remove(item.key); }
          if (outcome === "refused") { result.refused += 1; return refuse(item, response); }
          item.status = response.status;
          if (outcome === "signin") { result.state = "signin"; item.state = "signin"; }
          else { result.kept += 1; item.state = "waiting"; }
          return update(item);
        }, function () { result.state = "offline"; });
      });
    }, Promise.resolve()).then(function () { return result; });
  }

  function markAll(items, state) {
    return Promise.all(items.map(function (item) { item.state = state; return update(item); }));
  }

  // Send every queued write of the signed-in user, oldest first. Writes of someone else who
  // used this phone stay queued until they sign in again: never sent as another person.
  function run(sessionUrl) {
    var result = { state: "done", sent: 0, refused: 0, kept: 0 };
    return pending().then(function (items) {
      if (!items.length) { return result; }
      return session(sessionUrl).then(function (who) {
        if (!who) { result.state = "signin"; return markAll(items, "signin").then(function () { return result; }); }
        var mine = items.filter(function (item) { return item.user === String(who.user); });
        return sendAll(mine, who, result);
      }, function () { result.state = "offline"; return result; });
    });
  }

  // One sender at a time across this phone's tabs and the worker (Web Locks where available;
  // elsewhere a rare double send is still stored once, thanks to the keys).
  function flush(sessionUrl) {
    var locks = scope.navigator && scope.navigator.locks;
    if (locks && locks.request) {
      return locks.request(LOCK, function () { return run(sessionUrl); });
    }
    return run(sessionUrl);
  }

  scope.KneeReadyOutbox = {
    queue: queue, pending: pending, remove: remove, update: update, flush: flush,
    notices: notices, dismiss: dismiss, getMeta: getMeta, setMeta: setMeta, destroy: destroy,
    reason: reason, session: session,
  };
})(self);

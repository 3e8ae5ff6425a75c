// The service worker: registers it, tells it who is signed in and which pages to keep, asks it
// to sync. First of static/js/pwa/ (after outbox.js): makes window.KneeReadyPWA, all they share.
// Everything works without these files, and without a worker.
(function () {
  "use strict";
  if (!window.KneeReadyOutbox || window.kneeReadyLoaded("pwa-worker")) { return; }

  var worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var SYNC_TAG = "kneeready-outbox";
  var greeted = null;      // the user the worker last heard about from this page

  // What the server put in the page: #pwa-settings is inside <body>, so hx-boost keeps it current.
  function settings() {
    var element = document.getElementById("pwa-settings");
    return element ? element.dataset : {};
  }

  function currentUser() { return settings().user || ""; }

  // The one object the files of static/js/pwa/ share: nothing else of theirs is global.
  var pwa = window.KneeReadyPWA = {
    WRITE: "form[data-offline-write]",
    SYNCED_NOTE: "kneeready-synced",  // carried over the reload after a held form synced
    synced: 0,             // writes sent since this page opened
    offline: false,        // the last request failed for want of a network
    needsSignal: false,    // a form that can't wait on the phone was tried with no signal
    worker: worker,        // navigator.serviceWorker, or null
    settings: settings,
    currentUser: currentUser,
    register: register,    // this file
    hello: hello,
    requestSync: requestSync,
    flush: null,           // writes.js: send what waits in the outbox
    settleHeldForms: null, // writes.js
    render: null,          // status.js: redraw #sync-status
  };

  function register() {
    if (!worker || !settings().sw) { return; }
    worker.register(settings().sw, { scope: "/" }).catch(function () { /* the page works without */ });
    worker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "outbox") {
        pwa.synced += data.result.sent;
        pwa.render();
      } else if (data.type === "offline-ready") {
        document.documentElement.setAttribute("data-offline-ready", data.version);
      }
    });
    hello(!worker.controller);
  }

  // Tell the worker who is signed in and which pages to keep for offline use (`fresh`: fetch
  // them again now, since something was just saved that they show).
  function hello(includeThisPage, fresh) {
    if (!worker) { return; }
    greeted = currentUser();
    var pages = (settings().pages || "").split(" ").filter(Boolean);
    if (includeThisPage && greeted) { pages.push(location.pathname + location.search); }
    worker.ready.then(function (registration) {
      if (!registration.active) { return; }
      registration.active.postMessage({ type: "hello", user: greeted, pages: pages, fresh: !!fresh });
    });
  }

  function requestSync() {
    if (!worker) { return; }
    worker.ready.then(function (registration) {
      return registration.sync ? registration.sync.register(SYNC_TAG) : null;
    }).catch(function () { /* no Background Sync: "online" and the next page load send it */ });
  }

  // After a boosted navigation the user may be new (after sign-up): the worker hears of them.
  document.addEventListener("htmx:afterSettle", function () {
    if (currentUser() !== greeted) { hello(true); }
  });
})();

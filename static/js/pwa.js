// Offline and installable: registers the service worker, gives each write an Idempotency-Key,
// keeps writes made with no signal on the phone (static/js/outbox.js), shows what waits, and
// sends it when the signal is back. Everything works without this file, and without a worker.
(function () {
  "use strict";
  if (!window.KneeReadyOutbox || window.kneeReadyLoaded("pwa")) { return; }

  var outbox = window.KneeReadyOutbox;
  var worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var SYNC_TAG = "kneeready-outbox";
  var SYNCED_NOTE = "kneeready-synced";  // carried over the reload after a held form synced
  var WRITE = "form[data-offline-write]";
  var synced = 0;          // writes sent since this page opened
  var offline = false;     // the last request failed for want of a network
  var greeted = null;      // the user the worker last heard about from this page
  var flushing = null;
  var needsSignal = false;  // a form that can't wait on the phone was tried with no signal

  // What the server put in the page: #pwa-settings is inside <body>, so hx-boost keeps it current.
  function settings() {
    var element = document.getElementById("pwa-settings");
    return element ? element.dataset : {};
  }

  function currentUser() { return settings().user || ""; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // The form this htmx request writes from, or null: fragments (live previews, ticks) are not writes.
  function writeForm(config) {
    var element = config.elt;
    if (config.verb !== "post" || !element || !element.matches || !element.matches(WRITE)) { return null; }
    var submitter = config.triggeringEvent && config.triggeringEvent.submitter;
    return submitter && submitter.hasAttribute("data-offline-skip") ? null : element;
  }

  // ---- The worker -------------------------------------------------------------------------

  function register() {
    if (!worker || !settings().sw) { return; }
    worker.register(settings().sw, { scope: "/" }).catch(function () { /* the page works without */ });
    worker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "outbox") {
        synced += data.result.sent;
        render();
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

  // ---- Writes -----------------------------------------------------------------------------

  function queueWrite(detail, state) {
    var config = detail.requestConfig;
    var form = config.elt;
    var url = new URL(config.path, location.href);
    var item = {
      key: config.headers["Idempotency-Key"], url: url.pathname + url.search,
      body: new URLSearchParams(config.formData).toString(), user: currentUser(),
      label: form.getAttribute("data-offline-write") || "Entry", replace: form.hasAttribute("data-offline-replace"),
      created: Date.now(), state: state, status: detail.xhr ? detail.xhr.status : 0,
    };
    return outbox.queue(item).then(function () {
      var shown = form.querySelector("[data-offline-state]");
      if (shown) { shown.textContent = "Saved on this phone"; }
      if (!item.replace) { holdForm(form, item.key); }
      requestSync();
      return render();
    }).then(function () {
      var box = document.getElementById("sync-status");
      if (box && !item.replace) { box.focus(); }
    });
  }

  function submitButtons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  // A queued form can't be sent again by a second tap (it would be a second warm-up)...
  function holdForm(form, key) {
    form.setAttribute("data-offline-queued", key);
    submitButtons(form).forEach(function (button) { button.disabled = true; });
  }

  // ...until the server has it: then this page is out of date, so load it again (and say
  // "Synced" there); or until the server refuses it: then it can be corrected and sent again.
  function settleHeldForms(pending, refused) {
    var sent = false;
    document.querySelectorAll("form[data-offline-queued]").forEach(function (form) {
      var key = form.getAttribute("data-offline-queued");
      if (pending.indexOf(key) >= 0) { return; }
      if (refused.indexOf(key) < 0) { sent = true; return; }
      form.removeAttribute("data-offline-queued");
      submitButtons(form).forEach(function (button) { button.disabled = false; });
    });
    if (sent) {
      try { sessionStorage.setItem(SYNCED_NOTE, String(synced)); } catch (e) { /* it says so anyway */ }
      location.reload();
    }
  }

  function flush() {
    if (flushing) { return flushing; }
    flushing = outbox.flush(settings().session).then(function (result) {
      synced += result.sent;
      if (result.state === "offline") { offline = true; }
      if (result.sent > 0) { offline = false; hello(false, true); }
    }).catch(function () { /* storage unavailable: nothing was queued */ }).then(function () {
      flushing = null;
      return render();
    });
    return flushing;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (writeForm(event.detail)) { event.detail.headers["Idempotency-Key"] = newKey(); }
  });

  // Stored: the pages kept for offline use are out of date (a kept Warm-up page still asking
  // for today's check-in). Not stored: signed out or expired (kept on the phone; asks to sign
  // in), or server trouble (kept).
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    var status = detail.xhr ? detail.xhr.status : 0;
    if (!status || !detail.requestConfig || !detail.requestConfig.headers["Idempotency-Key"]) { return; }
    if (status < 400 && !detail.requestConfig.elt.hasAttribute("data-offline-replace")) {
      hello(false, true);
      return;
    }
    var csrf = detail.xhr.getResponseHeader("KneeReady-Error") === "csrf";
    if (status === 401 || status === 403 || csrf) {
      queueWrite(detail, "signin").then(flush);  // signed in after all: a fresh token sends it
    } else if (status >= 500) {
      queueWrite(detail, "waiting");
    }
  });

  // No network: a write waits on the phone; a page visit falls back to the worker's copy.
  document.addEventListener("htmx:sendError", function (event) {
    var detail = event.detail;
    var config = detail.requestConfig || {};
    offline = true;
    if (config.headers && config.headers["Idempotency-Key"]) {
      queueWrite(detail, "waiting");
    } else if (config.verb === "get" && detail.boosted && worker && worker.controller) {
      location.assign(config.path);
    } else {
      render();
    }
  });

  // ---- Pages the worker kept ----------------------------------------------------------------

  // A kept copy carries the CSRF token of when it was kept: once online, use the current one.
  function refreshTokens() {
    if (!settings().cachedAt) { return; }
    outbox.session(settings().session).then(function (who) {
      if (!who) { return; }
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      headers["X-CSRFToken"] = who.csrf;
      document.body.setAttribute("hx-headers", JSON.stringify(headers));
      document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = who.csrf; });
    }).catch(function () { /* still offline */ });
  }

  function copyLine() {
    var kept = new Date(settings().cachedAt);
    var day = kept.toDateString() === new Date().toDateString() ? "" : " on " + kept.toLocaleDateString();
    return element("p", "sync-line is-offline", "No signal: this is the copy kept on this phone at " + when(kept) + day + ".");
  }

  // ---- What the runner sees ---------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function button(text, data, value) {
    var node = element("button", "button small-button", text);
    node.type = "button";
    node.setAttribute(data, value);
    return node;
  }

  function when(created) {
    return new Date(created).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function noticeLine(notice) {
    var line = element("div", "sync-line is-refused");
    line.append(element("p", "", notice.label + " from " + when(notice.created) + " couldn't be saved: " + notice.message),
      button("Dismiss", "data-dismiss", String(notice.id)));
    return line;
  }

  function pendingLine(items, user) {
    var line = element("div", "sync-line is-pending");
    var count = items.length + " waiting";
    if (!user || items.some(function (item) { return item.state === "signin"; })) {
      line.append(element("p", "", "Saved on this phone — sign in to sync (" + count + ")."));
      var link = element("a", "button small-button", "Sign in");
      link.href = settings().signin + "?next=" + encodeURIComponent(location.pathname + location.search);
      line.append(link);
    } else {
      line.append(element("p", "", "Saved on this phone — will sync (" + count + ")."));
    }
    return line;
  }

  // A write the server keeps turning down without a 422 (say, a session deleted meanwhile):
  // it stays until the runner decides, since only a refusal they have seen drops a write.
  function stuckLine(item) {
    var line = element("div", "sync-line is-refused");
    line.append(element("p", "", item.label + " from " + when(item.created) + " couldn't be sent (the server answered " +
      item.status + "). It will be tried again."), button("Discard it", "data-discard", item.key));
    return line;
  }

  // The state line: what waits, else what just synced, else why this page may be stale.
  function stateLine(items, user) {
    if (items.length) { return pendingLine(items, user); }
    if (synced) { return element("p", "sync-line is-synced", "Synced — everything saved on this phone is stored."); }
    if (!offline || needsSignal) { return null; }
    if (settings().cachedAt) { return copyLine(); }
    if (document.querySelector("[data-offline-page]")) { return null; }
    return element("p", "sync-line is-offline", "You're offline. KneeReady keeps working: what you save waits on this phone.");
  }

  function render() {
    var box = document.getElementById("sync-status");
    if (!box) { return Promise.resolve(); }
    return Promise.all([outbox.pending(), outbox.notices()]).then(function (found) {
      var user = currentUser();
      var mine = function (entry) { return !user || entry.user === user; };
      var items = found[0].filter(mine);
      var notices = found[1].filter(mine);
      settleHeldForms(found[0].map(function (item) { return item.key; }),
                      notices.map(function (notice) { return notice.key; }));
      var lines = notices.map(noticeLine);
      items.filter(function (item) { return item.state === "waiting" && item.status >= 400 && item.status < 500; })
        .forEach(function (item) { lines.push(stuckLine(item)); });
      if (needsSignal && offline) {
        lines.push(element("p", "sync-line is-offline", "No signal: that needs a connection. Try again once you're back online."));
      }
      var state = stateLine(items, user);
      if (state) { lines.push(state); }
      box.setAttribute("data-pending", String(items.length));
      // Unchanged news is not news: a screen reader hears each line once, not after every tick.
      var said = lines.map(function (line) { return line.textContent; }).join("\n");
      if (box.getAttribute("data-said") === said) { return; }
      box.setAttribute("data-said", said);
      box.replaceChildren.apply(box, lines);
      box.hidden = !lines.length;
    }).catch(function () { /* storage unavailable (private mode): nothing to show */ });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-dismiss], [data-discard]");
    if (!target) { return; }
    var done = target.hasAttribute("data-dismiss")
      ? outbox.dismiss(Number(target.getAttribute("data-dismiss")))
      : outbox.remove(target.getAttribute("data-discard"));
    done.then(render);
  });

  // ---- Signing out: nothing of this person stays on the phone -----------------------------

  function clearPhone() {
    var tasks = [outbox.destroy()];
    if (window.caches) {
      tasks.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("kneeready-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    var timeout = new Promise(function (resolve) { setTimeout(resolve, 2000); });
    return Promise.race([Promise.all(tasks), timeout]).catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-clears-phone]") || form.hasAttribute("data-cleared")) { return; }
    if (navigator.onLine === false) { return; }  // signing out needs the server: see below
    event.preventDefault();
    outbox.pending().catch(function () { return []; }).then(function (items) {
      var waiting = items.filter(function (item) { return item.user === currentUser(); }).length;
      var warning = form.querySelector("[data-unsynced-warning]");
      if (waiting && warning && warning.hidden) {
        warning.textContent = waiting + (waiting === 1 ? " entry" : " entries") + " saved on this phone " +
          (waiting === 1 ? "hasn't" : "haven't") + " synced yet. Signing out deletes " + (waiting === 1 ? "it" : "them") +
          ". Get a signal and wait for “Synced”, or sign out anyway.";
        warning.hidden = false;
        warning.focus();
        var submit = form.querySelector("button[type=submit]");
        if (submit) { submit.textContent = "Sign out anyway"; }
        return;
      }
      return clearPhone().then(function () {
        form.setAttribute("data-cleared", "");
        form.submit();
      });
    });
  }, true);

  // A form htmx doesn't send (hx-boost="false") would leave the page for the browser's own
  // "no internet" screen: with no signal, say so here instead and keep the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine !== false || !form.matches || form.matches(WRITE)) { return; }
    var boost = form.closest("[hx-boost]");
    if (boost && boost.getAttribute("hx-boost") !== "false") { return; }  // htmx: sendError says it
    event.preventDefault();
    event.stopImmediatePropagation();
    offline = true;
    needsSignal = true;
    render().then(function () { document.getElementById("sync-status").focus(); });
  }, true);

  // ---- When to send -----------------------------------------------------------------------

  window.addEventListener("online", function () { offline = needsSignal = false; refreshTokens(); flush(); });
  window.addEventListener("offline", function () { offline = true; render(); });

  // After a boosted navigation the banner is new (and the user may be, after sign-up).
  document.addEventListener("htmx:afterSettle", function () {
    if (currentUser() !== greeted) { hello(true); }
    if (navigator.onLine !== false) { refreshTokens(); }
    render();
  });

  function start() {
    try {
      synced = Number(sessionStorage.getItem(SYNCED_NOTE)) || 0;
      sessionStorage.removeItem(SYNCED_NOTE);
    } catch (e) { /* no session storage: no note */ }
    offline = navigator.onLine === false;
    if (!offline) { refreshTokens(); }
    register();
    render();
    flush();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

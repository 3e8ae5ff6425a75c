// Writes: each htmx write gets an Idempotency-Key; one that can't get through (no signal, 5xx,
// signed out, CSRF) waits in the outbox (static/js/outbox.js), its form held until it is sent.
(function () {
  "use strict";
  var pwa = window.KneeReadyPWA;
  if (!pwa || window.kneeReadyLoaded("pwa-writes")) { return; }

  var outbox = window.KneeReadyOutbox;
  var flushing = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  // The form this htmx request writes from, or null: fragments (live previews, ticks) are not writes.
  function writeForm(config) {
    var element = config.elt;
    if (config.verb !== "post" || !element || !element.matches || !element.matches(pwa.WRITE)) { return null; }
    var submitter = config.triggeringEvent && config.triggeringEvent.submitter;
    return submitter && submitter.hasAttribute("data-offline-skip") ? null : element;
  }

  function queueWrite(detail, state) {
    var config = detail.requestConfig;
    var form = config.elt;
    var url = new URL(config.path, location.href);
    var item = {
      key: config.headers["Idempotency-Key"], url: url.pathname + url.search,
      body: new URLSearchParams(config.formData).toString(), user: pwa.currentUser(),
      label: form.getAttribute("data-offline-write") || "Entry", replace: form.hasAttribute("data-offline-replace"),
      created: Date.now(), state: state, status: detail.xhr ? detail.xhr.status : 0,
    };
    return outbox.queue(item).then(function () {
      var shown = form.querySelector("[data-offline-state]");
      if (shown) { shown.textContent = "Saved on this phone"; }
      if (!item.replace) { holdForm(form, item.key); }
      pwa.requestSync();
      return pwa.render();
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
      try { sessionStorage.setItem(pwa.SYNCED_NOTE, String(pwa.synced)); } catch (e) { /* it says so anyway */ }
      location.reload();
    }
  }

  function flush() {
    if (flushing) { return flushing; }
    flushing = outbox.flush(pwa.settings().session).then(function (result) {
      pwa.synced += result.sent;
      if (result.state === "offline") { pwa.offline = true; }
      if (result.sent > 0) { pwa.offline = false; pwa.hello(false, true); }
    }).catch(function () { /* storage unavailable: nothing was queued */ }).then(function () {
      flushing = null;
      return pwa.render();
    });
    return flushing;
  }

  pwa.flush = flush;
  pwa.settleHeldForms = settleHeldForms;

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
      pwa.hello(false, true);
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
    pwa.offline = true;
    if (config.headers && config.headers["Idempotency-Key"]) {
      queueWrite(detail, "waiting");
    } else if (config.verb === "get" && detail.boosted && pwa.worker && pwa.worker.controller) {
      location.assign(config.path);
    } else {
      pwa.render();
    }
  });
})();

// When it all runs (last of static/js/pwa/): at page load, as the signal comes and goes, and after
// each boosted navigation; and a page the worker kept gets the current CSRF token once online.
(function () {
  "use strict";
  var pwa = window.KneeReadyPWA;
  if (!pwa || window.kneeReadyLoaded("pwa-start")) { return; }

  // A kept copy carries the CSRF token of when it was kept: once online, use the current one.
  function refreshTokens() {
    if (!pwa.settings().cachedAt) { return; }
    window.KneeReadyOutbox.session(pwa.settings().session).then(function (who) {
      if (!who) { return; }
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      headers["X-CSRFToken"] = who.csrf;
      document.body.setAttribute("hx-headers", JSON.stringify(headers));
      document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = who.csrf; });
    }).catch(function () { /* still offline */ });
  }

  window.addEventListener("online", function () {
    pwa.offline = pwa.needsSignal = false;
    refreshTokens();
    pwa.flush();
  });
  window.addEventListener("offline", function () { pwa.offline = true; pwa.render(); });

  // After a boosted navigation the banner is new (worker.js greets a new user first).
  document.addEventListener("htmx:afterSettle", function () {
    if (navigator.onLine !== false) { refreshTokens(); }
    pwa.render();
  });

  function start() {
    try {
      pwa.synced = Number(sessionStorage.getItem(pwa.SYNCED_NOTE)) || 0;
      sessionStorage.removeItem(pwa.SYNCED_NOTE);
    } catch (e) { /* no session storage: no note */ }
    pwa.offline = navigator.onLine === false;
    if (!pwa.offline) { refreshTokens(); }
    pwa.register();
    pwa.render();
    pwa.flush();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

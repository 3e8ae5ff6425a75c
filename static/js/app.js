// KneeReady's small enhancements. Everything works without this file.
(function () {
  "use strict";
  if (window.kneeReadyLoaded) { return; }

  // The one load-once guard of the page scripts: hx-boost runs a page's scripts again after every
  // navigation, and what they add to the whole document must be added once. True when `name`
  // ran before (this file loads first: the head's deferred scripts run before the body's).
  var seen = {};
  window.kneeReadyLoaded = function (name) {
    if (seen[name]) { return true; }
    seen[name] = true;
    return false;
  };

  // Pre-fill the time zone from the browser on first set-up.
  function prefillTimezone(root) {
    root.querySelectorAll("[data-timezone-prefill] select").forEach(function (select) {
      var zone;
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
      if (zone && select.value === "UTC" && select.querySelector('option[value="' + zone + '"]')) {
        select.value = zone;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { prefillTimezone(document); });
  document.addEventListener("htmx:load", function (event) { prefillTimezone(event.target); });
})();

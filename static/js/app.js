// KneeReady's small enhancements. Everything works without this file.
(function () {
  "use strict";

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

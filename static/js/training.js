// Training: steppers for sets/reps/seconds, errors shown in place, and no save lost on Finish.
// Everything works without this file: the numbers are plain inputs and each exercise has Save.
(function () {
  "use strict";
  if (window.kneeReadyLoaded("training")) { return; }  // loaded again after a boosted navigation

  var STEPPER_SETTLE_MS = 600;  // taps in quick succession make one save
  var timers = {};
  var saving = 0;
  var finishing = null;

  function enhance() {
    document.querySelectorAll("[data-training-log] .step[hidden]").forEach(function (button) {
      button.hidden = false;
    });
    document.querySelectorAll("[data-training-log] .log-item").forEach(function (form) {
      form.classList.add("autosave");
    });
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function save(input) {
    delete timers[input.id];
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function flush() {
    Object.keys(timers).forEach(function (id) {
      clearTimeout(timers[id]);
      var input = document.getElementById(id);
      if (input) { save(input); } else { delete timers[id]; }
    });
  }

  // A stepper sets its input at once and saves once the taps settle.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".step[data-for]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-for"));
    if (!input) { return; }
    var value = parseInt(input.value, 10);
    var step = parseInt(button.getAttribute("data-step"), 10);
    input.value = clamp((isNaN(value) ? 0 : value) + step, Number(input.min), Number(input.max));
    clearTimeout(timers[input.id]);
    timers[input.id] = setTimeout(function () { save(input); }, STEPPER_SETTLE_MS);
  });

  // Finish waits for every save still on its way, so a last quick tap is never lost. Caught on
  // the way down (capture), before htmx's own listener on the boosted form sends it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("finish-form")) { return; }
    flush();
    if (saving > 0) {
      event.preventDefault();
      event.stopPropagation();
      finishing = form;
    }
  }, true);

  function isSave(event) {
    return event.target.closest && event.target.closest("[data-training-log]");
  }

  // htmx fires afterRequest on the nearest element still in the page once a save swapped
  // its exercise out, so both ends of every save reach the log list.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isSave(event)) { saving += 1; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isSave(event)) { return; }
    saving = Math.max(0, saving - 1);
    if (saving === 0 && finishing) {
      var form = finishing;
      finishing = null;
      // Through htmx (a submit event), so a Finish with no signal waits on the phone too.
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:load", enhance);
  if (document.readyState !== "loading") { enhance(); }
})();

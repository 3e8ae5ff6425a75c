// Training: steppers for sets/reps/seconds, and showing a logged exercise's errors in place.
// Everything works without this file: the numbers are plain inputs and each exercise has Save.
(function () {
  "use strict";
  if (window.kneeReadyTraining) { return; }  // loaded again after a boosted navigation
  window.kneeReadyTraining = true;

  function enhance(root) {
    root.querySelectorAll("[data-training-log] .step[hidden]").forEach(function (button) {
      button.hidden = false;
    });
    root.querySelectorAll("[data-training-log] .log-item").forEach(function (form) {
      form.classList.add("autosave");
    });
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  // A stepper sets its input and fires "change": htmx saves once the taps settle.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".step[data-for]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-for"));
    if (!input) { return; }
    var value = parseInt(input.value, 10);
    var step = parseInt(button.getAttribute("data-step"), 10);
    input.value = clamp((isNaN(value) ? 0 : value) + step, Number(input.min), Number(input.max));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // A 422 answer carries the exercise with its errors next to the fields: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 422 && detail.elt.closest("[data-training-log]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function () { enhance(document); });
  if (document.readyState !== "loading") { enhance(document); }
})();

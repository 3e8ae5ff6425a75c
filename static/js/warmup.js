// The warm-up checklist, made faster: a follow-along timer, countdowns for timed items, and
// "done" and "skip" kept exclusive. Without this file the checklist is a plain form.
// Loaded from the page body so it also runs after an hx-boost navigation; safe to run twice.
(function () {
  "use strict";

  var PREFIX = "kneeready-warmup-";

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function readStore(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }

  function writeStore(key, value) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var name = localStorage.key(i);
        if (name && name.indexOf(PREFIX) === 0 && name !== key) { localStorage.removeItem(name); }
      }
      if (value) { localStorage.setItem(key, JSON.stringify(value)); } else { localStorage.removeItem(key); }
    } catch (e) { /* private mode: the timer still runs, it just won't survive a reload */ }
  }

  // The follow-along timer: elapsed time against the routine's planned time.
  function Timer(form) {
    var key = PREFIX + form.dataset.key;
    var planned = Number(form.dataset.planned) || 0;
    var panel = form.querySelector("[data-timer]");
    var out = form.querySelector("[data-elapsed]");
    var bar = form.querySelector("[data-progress]");
    var toggle = form.querySelector("[data-timer-toggle]");
    var hidden = form.querySelector("[data-duration]");
    var saved = readStore(key);
    var elapsed = Math.max(Number(saved.elapsed) || 0, Number(hidden.value) || 0);
    var since = saved.since || null;

    function current() { return elapsed + (since ? (Date.now() - since) / 1000 : 0); }
    function save() { writeStore(key, { elapsed: elapsed, since: since }); }
    function render() {
      var now = current();
      out.textContent = clock(now);
      bar.value = Math.min(now, planned);
      bar.textContent = clock(now) + " of " + clock(planned);
      if (now > 0) { hidden.value = String(Math.floor(now)); }
      toggle.setAttribute("aria-pressed", since ? "true" : "false");
      toggle.querySelector("span").textContent = since ? "Pause timer" : (now > 0 ? "Resume timer" : "Start timer");
    }
    this.start = function () { if (!since) { since = Date.now(); save(); render(); } };
    this.pause = function () { if (since) { elapsed = current(); since = null; save(); render(); } };
    this.finish = function () { hidden.value = current() > 0 ? String(Math.floor(current())) : ""; writeStore(key, null); };
    var self = this;
    toggle.addEventListener("click", function () { if (since) { self.pause(); } else { self.start(); } });
    var interval = setInterval(function () {
      if (!form.isConnected) { clearInterval(interval); return; }
      render();
    }, 1000);
    panel.hidden = false;
    render();
  }

  // A countdown on a timed item's button: tap to start, tap again to stop.
  function countdown(button, timer, status) {
    var total = Number(button.dataset.countdown);
    var label = button.querySelector("span");
    var resting = label.innerHTML;
    var left = 0, interval = null;
    function stop(message) {
      clearInterval(interval); interval = null;
      button.setAttribute("aria-pressed", "false");
      if (message) { label.textContent = message; } else { label.innerHTML = resting; }
    }
    button.setAttribute("aria-pressed", "false");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (interval) { stop(); return; }
      timer.start();
      left = total;
      button.setAttribute("aria-pressed", "true");
      label.textContent = clock(left) + " · stop";
      interval = setInterval(function () {
        if (!button.isConnected) { clearInterval(interval); return; }
        left -= 1;
        if (left > 0) { label.textContent = clock(left) + " · stop"; return; }
        stop("Time!");
        status.textContent = "Time is up. Tick the exercise off when you have done every set.";
        if (navigator.vibrate) { navigator.vibrate(200); }
      }, 1000);
    });
  }

  // Ticking an item clears its skip; choosing a skip reason unticks it.
  function keepExclusive(event, timer) {
    var input = event.target;
    var item = input.closest(".check-item");
    if (!item) { return; }
    timer.start();
    var summary = item.querySelector(".skip summary");
    if (input.name === "done" && input.checked) {
      var notSkipped = item.querySelector('.skip input[value=""]');
      if (notSkipped) { notSkipped.checked = true; }
      summary.textContent = "Skip";
      item.querySelector(".skip").open = false;
    } else if (input.type === "radio" && input.closest(".skip")) {
      item.querySelector('input[name="done"]').checked = false;
      summary.textContent = input.value ? "Skipped: " + input.parentNode.textContent.trim().toLowerCase() : "Skip";
    }
  }

  // The tally counts the ticks at once, so it stays right with no signal (the server's answer,
  // when it comes, says the same).
  function tally(form) {
    var line = form.querySelector(".tally");
    if (!line) { return; }
    var total = form.querySelectorAll('input[name="done"]').length;
    var ticked = form.querySelectorAll('input[name="done"]:checked').length;
    var skipped = form.querySelectorAll('.skip input[type="radio"]:checked:not([value=""])').length;
    var strong = document.createElement("strong");
    strong.textContent = ticked + " of " + total;
    line.replaceChildren(strong, " done" + (skipped ? " · " + skipped + " skipped" : ""));
  }

  function setup(form) {
    if (form.dataset.enhanced) { return; }
    form.dataset.enhanced = "true";
    var timer = new Timer(form);
    var status = form.querySelector("[data-countdown-status]");
    form.querySelectorAll("[data-countdown]").forEach(function (button) { countdown(button, timer, status); });
    // Capture phase: runs before htmx posts the change, so the post carries the tidied form.
    form.addEventListener("change", function (event) { keepExclusive(event, timer); tally(form); }, true);
    form.addEventListener("submit", function () { timer.finish(); }, true);
  }

  function init(root) {
    if (root.querySelectorAll) { root.querySelectorAll("form[data-warmup]").forEach(setup); }
  }

  if (!window.kneeReadyWarmup) {
    window.kneeReadyWarmup = true;
    document.addEventListener("htmx:load", function (event) { init(event.target); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();

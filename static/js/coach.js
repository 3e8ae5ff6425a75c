// Coach pages: copy an invitation link (without JavaScript the link is still there to select);
// on the dashboard, poll the board conditionally and say aloud what a poll brought.
// Loaded from the page body, so an hx-boost navigation runs it again: it wires itself once.
(function () {
  "use strict";

  if (window.kneeReadyLoaded("coach")) { window.kneereadyCoach.init(document); return; }

  function showCopyButtons(root) {
    if (!navigator.clipboard) { return; }
    root.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    if (!input) { return; }
    navigator.clipboard.writeText(input.value).then(function () {
      if (status) { status.textContent = "Link copied."; }
      button.setAttribute("data-copied", "true");
    }, function () {
      input.select();
      if (status) { status.textContent = "Couldn't copy: the link is selected, copy it yourself."; }
    });
  }

  // The board's poll sends the ETag of what is shown; an unchanged board answers 304 with no
  // body, which must not be swapped in (htmx would swap the empty answer).
  var boardTag = null;
  var alertsShown = null; // checkin id -> athlete name, of the red check-ins on the board

  function isBoard(element) { return Boolean(element) && element.id === "coach-board"; }

  function redAlerts() {
    var alerts = {};
    document.querySelectorAll("#coach-board [data-alert]").forEach(function (alert) {
      alerts[alert.getAttribute("data-alert")] = alert.getAttribute("data-name");
    });
    return alerts;
  }

  // Called whenever the page has settled: a new red check-in on the board is announced.
  function watchBoard() {
    if (!document.getElementById("coach-board")) {
      boardTag = null;
      alertsShown = null;
      return;
    }
    var now = redAlerts();
    var news = document.getElementById("board-news");
    if (news && alertsShown) {
      var names = Object.keys(now).filter(function (id) { return !(id in alertsShown); })
        .map(function (id) { return now[id]; });
      if (names.length) { news.textContent = "New red check-in: " + names.join(", ") + "."; }
    }
    alertsShown = now;
  }

  // "Show more" swaps in a longer board: the keyboard lands on the first athlete it added (not
  // back at the top), and a screen reader hears how many came.
  var moreFrom = null;

  function cardsShown() { return document.querySelectorAll("#coach-board .athlete-list > li"); }

  function landAfterMore() {
    if (moreFrom === null) { return; }
    var cards = cardsShown();
    var link = cards[moreFrom] && cards[moreFrom].querySelector("h3 a");
    var news = document.getElementById("board-news");
    var added = cards.length - moreFrom;
    if (news && added > 0) { news.textContent = added + (added === 1 ? " more athlete" : " more athletes") + " shown."; }
    if (link) { link.focus(); }
    moreFrom = null;
  }

  function init(root) {
    showCopyButtons(root);
    watchBoard();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (button) { copy(button); }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if (isBoard(event.detail.elt) && boardTag) { event.detail.headers["If-None-Match"] = boardTag; }
  });
  // A 304 (nothing changed) is never swapped: htmx-config's responseHandling in base.html.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isBoard(event.detail.elt)) { boardTag = event.detail.xhr.getResponseHeader("ETag") || boardTag; }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "board-more") { moreFrom = cardsShown().length; }
  });
  document.addEventListener("htmx:afterSettle", function () { watchBoard(); landAfterMore(); });
  document.addEventListener("htmx:load", function (event) { showCopyButtons(event.target); });

  window.kneereadyCoach = { init: init };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();

// Account → Reminders: "Remind me on this phone". Subscribes only after the tap (never on page
// load), and sends the subscription to the server; when permission was granted before, the page
// quietly re-sends this device's subscription (it may have changed) on every visit.
"use strict";
(function () {
  var card = document.querySelector("[data-push-key]");
  if (!card || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;  // no push here: the card stays hidden, email still works
  }
  var button = card.querySelector("[data-push-subscribe]");
  var status = card.querySelector("[data-push-status]");
  card.hidden = false;

  function key() {
    var text = card.getAttribute("data-push-key").replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function send(subscription) {
    return fetch(card.getAttribute("data-subscribe-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(subscription),
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) { throw new Error(text || "The server refused this device."); }
        return text;
      });
    });
  }

  function subscribe() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (existing) {
        return existing || registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() });
      });
    }).then(send);
  }

  function say(text) { status.textContent = text; }

  button.addEventListener("click", function () {
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw new Error("Notifications are blocked for this site. Allow them in the browser's settings, then tap again.");
      }
      return subscribe();
    }).then(function (text) {
      say(text);
      button.textContent = "This phone gets reminders";
    }).catch(function (error) {
      say(error.message || "Couldn't turn on reminders on this phone.");
      button.disabled = false;
    });
  });

  if (Notification.permission === "granted") {
    subscribe().then(function (text) {
      say(text);
      button.textContent = "This phone gets reminders";
      button.disabled = true;
    }).catch(function () { /* the button is still there to try again */ });
  }
})();

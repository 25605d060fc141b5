// The alerts page: registers the service worker, subscribes this browser to the
// chosen topics with the site's own key, and tells the site; or undoes it. No
// third-party script: the browser's push service is the only other party.
(function () {
  'use strict';
  var form = document.getElementById('alerts-form');
  if (!form) { return; }
  var status = document.getElementById('alerts-status');
  var off = document.getElementById('alerts-off');
  var supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (!supported) {
    status.textContent = form.getAttribute('data-unsupported');
    return;
  }
  form.hidden = false;
  status.textContent = '';

  function say(key) { status.textContent = form.getAttribute(key); }

  function key(text) {
    var padded = (text + '===='.slice(text.length % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function send(method, subscription) {
    var body = subscription.toJSON();
    body.topics = Array.prototype.map.call(form.querySelectorAll('input[name=topic]:checked'), function (i) { return i.value; });
    return fetch('/alertes/abonnements', {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    });
  }

  navigator.serviceWorker.register('/sw.js').then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (existing) {
    if (existing) { off.hidden = false; say('data-on'); }
  }).catch(function () { /* shown when the reader asks */ });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') { say('data-denied'); return null; }
      return Promise.all([
        navigator.serviceWorker.register('/sw.js').then(function () { return navigator.serviceWorker.ready; }),
        fetch('/alertes/cle').then(function (r) { return r.json(); })
      ]).then(function (both) {
        return both[0].pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(both[1].public_key) });
      }).then(function (subscription) {
        return send('POST', subscription);
      }).then(function (response) {
        if (response && response.ok) { off.hidden = false; say('data-on'); } else { say('data-failed'); }
      });
    }).catch(function () { say('data-failed'); });
  });

  off.addEventListener('click', function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) { return null; }
      return send('DELETE', subscription).then(function () { return subscription.unsubscribe(); });
    }).then(function () { off.hidden = true; say('data-off'); })
      .catch(function () { say('data-failed'); });
  });
})();

// Kiosque's service worker: shows the alerts the site sends (Web Push, encrypted for
// this browser; the payload is {"title", "body", "url"}) and opens the alert's page,
// on this site only, when the notification is clicked. Nothing else: no caching.
'use strict';

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : '' };
  }
  var url = typeof data.url === 'string' ? data.url : '/';
  event.waitUntil(self.registration.showNotification(data.title || 'Alerte', {
    body: data.body || '',
    icon: '/static/icon.svg',
    tag: url,
    data: { url: url }
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var target = '/';
  try {
    var url = new URL(event.notification.data.url, self.location.origin);
    if (url.origin === self.location.origin) { target = url.href; }
  } catch (e) { /* the home page */ }
  event.waitUntil(self.clients.openWindow(target));
});

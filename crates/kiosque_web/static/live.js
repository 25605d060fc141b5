// Live pages: asks the small state document every few seconds whether there are new
// entries, and offers them behind a button ("3 nouvelles entrées"), so nothing moves
// under a reader's eyes; a click puts them at the top of the stream. Without this
// script the page is complete: reloading it shows the new entries.
(function () {
  'use strict';

  var stream = document.querySelector('[data-live-state]');
  if (!stream || !window.fetch) { return; }
  var stateUrl = stream.getAttribute('data-live-state');
  var entriesUrl = stream.getAttribute('data-live-entries');
  var seen = parseInt(stream.getAttribute('data-live-seq'), 10) || 0;
  var latest = seen;
  var period = 5000;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'live-new';
  button.hidden = true;
  button.setAttribute('aria-live', 'polite');
  stream.parentNode.insertBefore(button, stream);

  function label(count) {
    var template = stream.getAttribute(count === 1 ? 'data-new-one' : 'data-new-other') || '%n';
    return template.replace('%n', String(count));
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(stateUrl, { credentials: 'omit', cache: 'no-cache' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state || typeof state.seq !== 'number') { return; }
        if (state.seq > latest) { latest = state.seq; }
        if (latest > seen) {
          button.textContent = label(latest - seen);
          button.hidden = false;
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  button.addEventListener('click', function () {
    var upto = latest;
    fetch(entriesUrl + '?apres=' + seen + '&jusqua=' + upto, { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var template = document.createElement('template');
        template.innerHTML = html;
        var items = template.content.querySelectorAll('li.live-entry');
        var first = stream.querySelector('li.live-entry');
        for (var i = 0; i < items.length; i++) {
          if (document.getElementById(items[i].id)) { continue; }
          stream.insertBefore(items[i], first);
        }
        seen = upto;
        button.hidden = true;
        var top = stream.querySelector('li.live-entry');
        if (top) { top.setAttribute('tabindex', '-1'); top.focus({ preventScroll: false }); }
      })
      .catch(function () { /* the button stays; a click tries again */ });
  });

  setInterval(poll, period);
  document.addEventListener('visibilitychange', poll);
})();

// Comments in place: loads the thread fragment into the article page, and posts the
// thread's forms in the background, replacing the thread with the server's answer.
// Without this script every link and form still works: they lead to the thread's page.
(function () {
  'use strict';

  function parse(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    return template.content.querySelector('[data-thread]');
  }

  function load(url, into) {
    return fetch(url, { credentials: 'same-origin', headers: { 'X-Kiosque-Fragment': '1' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var thread = html && parse(html);
        if (thread) { into.replaceChildren(thread); }
      })
      .catch(function () { /* the link to the thread's page stays */ });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var thread = form.closest && form.closest('[data-thread]');
    if (!thread) { return; }
    event.preventDefault();
    var button = form.querySelector('button[type=submit]');
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Kiosque-Fragment': '1' },
      body: new URLSearchParams(new FormData(form))
    }).then(function (response) {
      if (response.redirected) { window.location.href = response.url; return null; }
      return response.text();
    }).then(function (html) {
      if (html === null) { return; }
      var fresh = parse(html);
      if (fresh) {
        thread.replaceWith(fresh);
        var alert = fresh.querySelector('[role=alert], [role=status]');
        if (alert) { alert.setAttribute('tabindex', '-1'); alert.focus(); }
      } else {
        form.submit();
      }
    }).catch(function () { form.submit(); });
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-more]');
    if (!link) { return; }
    var thread = link.closest('[data-thread]');
    event.preventDefault();
    const more = new URL(link.href);
    more.hash = '';
    more.searchParams.set('fragment', '1');
    fetch(more, { credentials: 'same-origin', headers: { 'X-Kiosque-Fragment': '1' } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = parse(html);
        if (!next) { window.location.href = link.href; return; }
        var list = thread.querySelector('.thread__list');
        next.querySelectorAll('.thread__list > .comment').forEach(function (c) { list.appendChild(c); });
        var more = next.querySelector('a[data-more]');
        if (more) { link.href = more.href; } else { link.parentNode.remove(); }
      });
  });

  var section = document.querySelector('[data-comments]');
  if (section) { load(section.getAttribute('data-comments'), section); }
})();

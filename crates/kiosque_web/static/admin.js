// Kiosque back office: small progressive enhancements. Every form works without it.
(function () {
  "use strict";
  const form = document.getElementById("editor");
  if (!form) return;
  const body = document.getElementById("body_markdown");
  const preview = document.getElementById("live-preview");
  const count = document.getElementById("word-count");
  const status = document.getElementById("autosave-status");
  const csrf = form.querySelector("input[name=csrf]").value;
  const version = form.querySelector("input[name=version]");
  let dirty = false;

  // Toolbar: wrap the selection or prefix the current lines.
  const toolbar = form.querySelector(".toolbar");
  if (toolbar && body) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const start = body.selectionStart, end = body.selectionEnd, text = body.value;
      const selected = text.slice(start, end);
      let replacement = selected;
      if (button.dataset.wrap) replacement = button.dataset.wrap + selected + button.dataset.wrap;
      else if (button.dataset.prefix) replacement = selected.split("\n").map((l) => button.dataset.prefix + l).join("\n");
      else if (button.dataset.link) replacement = "[" + (selected || "texte") + "](https://)";
      body.setRangeText(replacement, start, end, "end");
      body.focus();
      body.dispatchEvent(new Event("input"));
    });
  }

  // Live preview through the public renderer, a moment after typing stops.
  let timer = null;
  function refresh() {
    const data = new URLSearchParams({ csrf: csrf, body_markdown: body.value });
    fetch("/admin/render", { method: "POST", body: data, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((json) => {
        if (!json) return;
        preview.innerHTML = json.html; // already sanitised by the server's allow-list
        count.textContent = count.textContent.replace(/^\d+/, json.word_count).replace(/\d+(?=\s*min)/, json.reading_minutes);
      })
      .catch(() => {});
  }
  form.addEventListener("input", (event) => {
    dirty = true;
    if (event.target === body) {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }
  });

  // Autosave every 30 s while there are changes; the server folds autosaves together.
  const autosaveUrl = form.dataset.autosave;
  if (autosaveUrl) {
    setInterval(() => {
      if (!dirty) return;
      const data = new FormData(form);
      data.delete("lead_file");
      fetch(autosaveUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then((r) => {
          if (r.status === 409) {
            status.textContent = "⚠ " + (document.documentElement.lang === "fr" ? "Conflit : quelqu'un d'autre a enregistré cet article." : "Conflict: someone else saved this article.");
            return null;
          }
          return r.ok ? r.json() : null;
        })
        .then((json) => {
          if (!json) return;
          version.value = json.version;
          dirty = false;
          status.textContent = "✓ " + json.saved_at;
        })
        .catch(() => {});
    }, 30000);
  }

  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// Soft lock: who else has this article open; "take over" tells them.
(function () {
  "use strict";
  const box = document.getElementById("presence");
  const form = document.getElementById("editor");
  if (!box || !form || !box.dataset.url) return;
  const csrf = form.querySelector("input[name=csrf]").value;
  const text = document.getElementById("presence-text");
  const button = document.getElementById("take-over");
  const taken = document.getElementById("presence-taken");
  const label = box.dataset.label;
  function ping(extra) {
    const data = new URLSearchParams(Object.assign({ csrf: csrf }, extra || {}));
    fetch(box.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
      .then((r) => (r.ok && r.status !== 204 ? r.json() : null))
      .then((json) => {
        if (!json) return;
        const names = json.others.map((o) => o.name);
        if (names.length) {
          text.textContent = label + " " + names.join(", ") + ".";
          button.hidden = false;
        } else {
          text.textContent = "";
          button.hidden = true;
        }
        if (json.taken_over_by) taken.hidden = false;
        box.hidden = !names.length && taken.hidden;
      })
      .catch(() => {});
  }
  button.addEventListener("click", () => ping({ take_over: "1" }));
  ping();
  setInterval(ping, 20000);
  window.addEventListener("pagehide", () => {
    navigator.sendBeacon(box.dataset.url, new URLSearchParams({ csrf: csrf, leave: "1" }));
  });
})();

// Media library: click a picture to place its focal point; the numbers follow.
(function () {
  document.querySelectorAll("img[data-focal]").forEach((img) => {
    const id = img.dataset.focal;
    const x = document.getElementById("focal-x-" + id);
    const y = document.getElementById("focal-y-" + id);
    const mark = document.querySelector('[data-focal-mark="' + id + '"]');
    if (!x || !y || !mark) return;
    const show = () => {
      mark.style.left = x.value + "%";
      mark.style.top = y.value + "%";
      mark.hidden = false;
    };
    img.addEventListener("click", (event) => {
      const box = img.getBoundingClientRect();
      x.value = Math.round(((event.clientX - box.left) / box.width) * 100);
      y.value = Math.round(((event.clientY - box.top) / box.height) * 100);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  });
})();

// The wire desk refreshes its list in place every 15 seconds, unless the reader is
// paging back (a cursor in the address).
(function () {
  const list = document.getElementById("wire-list");
  if (!list || new URLSearchParams(location.search).has("avant")) return;
  setInterval(() => {
    fetch(location.href, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("wire-list");
        if (fresh) list.replaceChildren(...fresh.childNodes);
      })
      .catch(() => {});
  }, 15000);
})();

// Moderation queue shortcuts: j / k move between comments, x ticks one, a / r / f
// press its approve, reject or feature button.
(function () {
  const form = document.querySelector("[data-moderation]");
  if (!form) return;
  const items = () => Array.from(form.querySelectorAll("[data-item]"));
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.matches("input:not([type=checkbox]), textarea, select")) return;
    const list = items();
    if (!list.length) return;
    const current = target.closest && target.closest("[data-item]");
    const index = current ? list.indexOf(current) : -1;
    const key = event.key;
    if (key === "j" || key === "k") {
      const next = list[Math.max(0, Math.min(list.length - 1, index + (key === "j" ? 1 : -1)))];
      next.focus();
      next.scrollIntoView({ block: "nearest" });
      event.preventDefault();
    } else if (current && key === "x") {
      const box = current.querySelector("input[type=checkbox]");
      box.checked = !box.checked;
      event.preventDefault();
    } else if (current && (key === "a" || key === "r" || key === "f")) {
      const button = current.querySelector(`button[data-key="${key}"]`);
      if (button) { event.preventDefault(); button.click(); }
    }
  });
})();

// The live desk: Ctrl+Enter (or the button) posts the entry in the background and
// empties the box, which stays open for the next one; what was typed stays when the
// server refuses it. Every two seconds the stream asks for the latest entries and,
// when they differ from what it shows (a colleague posted, edited, pinned, marked or
// deleted one), shows them instead, unless the journalist is working in it. Forms with data-confirm ask first.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  var stream = document.getElementById('desk-stream');
  if (!stream || !window.fetch) { return; }
  var compose = document.getElementById('desk-compose');
  var errors = document.getElementById('desk-errors');

  // What the stream shows: each entry's id and revision, newest first.
  function signature(root) {
    return Array.prototype.map.call(root.querySelectorAll('li[data-seq]'), function (li) {
      return li.id + ':' + li.getAttribute('data-rev');
    }).join(',');
  }

  // The latest entries as the server has them now: new ones, and colleagues' edits,
  // pins, key moments and deletions. Left alone while someone works in the stream.
  function refresh() {
    return fetch(stream.getAttribute('data-stream'), { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || stream.contains(document.activeElement)) { return; }
        var template = document.createElement('template');
        template.innerHTML = html;
        if (signature(template.content) === signature(stream)) { return; }
        stream.replaceChildren.apply(stream, Array.prototype.slice.call(template.content.querySelectorAll('li[data-seq]')));
        var empty = document.getElementById('desk-empty');
        if (empty && stream.children.length) { empty.hidden = true; }
      })
      .catch(function () { /* the next tick tries again */ });
  }

  if (compose) {
    var body = compose.querySelector('textarea[name=body_markdown]');
    var send = function () {
      var data = new URLSearchParams(new FormData(compose));
      var button = compose.querySelector('button[type=submit]');
      if (button) { button.disabled = true; }
      fetch(compose.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-Kiosque-Fragment': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: data
      }).then(function (r) {
        return r.json().then(function (answer) { return { ok: r.ok, answer: answer }; });
      }).then(function (result) {
        if (result.ok) {
          compose.reset();
          body.value = '';
          var title = compose.querySelector('input[name=title]');
          if (title) { title.value = ''; }
          errors.hidden = true;
          refresh();
        } else {
          var list = errors.querySelector('ul');
          list.replaceChildren();
          (result.answer.errors || []).forEach(function (text) {
            var li = document.createElement('li');
            li.textContent = text;
            list.appendChild(li);
          });
          errors.hidden = false;
        }
      }).catch(function () {
        // Offline or the server is away: the text stays; the plain form works too.
        errors.hidden = false;
      }).then(function () {
        if (button) { button.disabled = false; }
        body.focus();
      });
    };
    compose.addEventListener('submit', function (event) {
      event.preventDefault();
      send();
    });
    compose.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        send();
      }
    });
  }
  setInterval(refresh, 2000);
})();

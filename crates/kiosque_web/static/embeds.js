// Embeds: nothing from a provider loads until the reader asks. A click on the
// placeholder (a link to the original without this script) puts the provider's
// player in its place, in a sandboxed iframe whose address was checked when the
// article was saved. "Always show" remembers the provider in this browser only.
(function () {
  "use strict";
  var KEY = "kiosque.embeds.";

  function remembered(provider) {
    try {
      return window.localStorage.getItem(KEY + provider) === "1";
    } catch (e) {
      return false;
    }
  }

  function remember(provider) {
    try {
      window.localStorage.setItem(KEY + provider, "1");
    } catch (e) {
      // Storage refused (private mode): this page only.
    }
  }

  function load(figure, focus) {
    var link = figure.querySelector("[data-embed-src]");
    var stage = figure.querySelector(".embed__stage");
    if (!link || !stage) return;
    var frame = document.createElement("iframe");
    frame.src = link.getAttribute("data-embed-src");
    frame.title = link.getAttribute("data-embed-title") || "";
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
    frame.setAttribute("allow", "encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "embed__frame";
    stage.replaceChildren(frame);
    figure.classList.add("embed--loaded");
    var notice = figure.querySelector(".embed__notice");
    if (notice) notice.hidden = true;
    var choice = figure.querySelector(".embed__remember");
    if (choice) choice.hidden = true;
    if (focus) frame.focus();
  }

  var figures = document.querySelectorAll("[data-embed]");
  Array.prototype.forEach.call(figures, function (figure) {
    var provider = figure.getAttribute("data-embed-provider") || "";
    if (remembered(provider)) {
      load(figure, false);
      return;
    }
    var choice = figure.querySelector(".embed__remember");
    if (choice) choice.hidden = false;
    var link = figure.querySelector("[data-embed-src]");
    if (!link) return;
    link.setAttribute("role", "button");
    link.addEventListener("keydown", function (event) {
      // A button answers the space bar too.
      if (event.key === " ") {
        event.preventDefault();
        link.click();
      }
    });
    link.addEventListener("click", function (event) {
      // Ctrl/Cmd-click, a middle click: the original opens elsewhere, as a link.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var box = figure.querySelector("[data-embed-remember]");
      if (box && box.checked) {
        remember(provider);
        // Every placeholder of that provider on the page follows the choice.
        Array.prototype.forEach.call(document.querySelectorAll("[data-embed]"), function (other) {
          if (other !== figure && other.getAttribute("data-embed-provider") === provider) {
            load(other, false);
          }
        });
      }
      load(figure, true);
    });
  });
})();

// Galleries: without this script, a list of figures one under the other. With
// it, a carousel: the list scrolls sideways and snaps to each picture (a swipe on
// a touch screen), previous and next buttons, the arrow keys when the gallery has
// the focus, and a counter read out politely by screen readers.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), function (gallery) {
    var list = gallery.querySelector(".gallery__list");
    var items = gallery.querySelectorAll(".gallery__item");
    if (!list || items.length < 2) return;
    gallery.classList.add("gallery--carousel");
    list.setAttribute("tabindex", "0");

    var bar = document.createElement("div");
    bar.className = "gallery__controls";
    function button(label, symbol) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "gallery__button";
      b.setAttribute("aria-label", label);
      b.textContent = symbol;
      return b;
    }
    var previous = button(gallery.getAttribute("data-previous") || "Previous", "‹");
    var next = button(gallery.getAttribute("data-next") || "Next", "›");
    var counter = document.createElement("p");
    counter.className = "gallery__counter";
    counter.setAttribute("aria-live", "polite");
    bar.appendChild(previous);
    bar.appendChild(counter);
    bar.appendChild(next);
    gallery.appendChild(bar);

    var current = 0;
    function show(index) {
      current = Math.max(0, Math.min(items.length - 1, index));
      list.scrollTo({ left: items[current].offsetLeft - list.offsetLeft, behavior: "smooth" });
      update();
    }
    function update() {
      counter.textContent = (current + 1) + " / " + items.length;
      previous.disabled = current === 0;
      next.disabled = current === items.length - 1;
    }
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
      if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      if (event.key === "Home") { event.preventDefault(); show(0); }
      if (event.key === "End") { event.preventDefault(); show(items.length - 1); }
    });
    // A swipe (or a trackpad) moves the list itself: follow it.
    var settle;
    list.addEventListener("scroll", function () {
      window.clearTimeout(settle);
      settle = window.setTimeout(function () {
        var index = Math.round(list.scrollLeft / Math.max(1, list.clientWidth));
        if (index !== current) {
          current = Math.max(0, Math.min(items.length - 1, index));
          update();
        }
      }, 80);
    });
    update();
  });
})();

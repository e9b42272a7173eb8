// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  function counters(root) {
    root.querySelectorAll("textarea[maxlength][data-counter]").forEach(function (area) {
      if (area.dataset.counted) return;
      area.dataset.counted = "1";
      var out = document.getElementById(area.dataset.counter);
      if (!out) return;
      var max = parseInt(area.getAttribute("maxlength"), 10);
      function update() {
        var left = max - area.value.length;
        out.textContent = left === 1 ? "1 character left" : left + " characters left";
        out.classList.toggle("counter--over", left < 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    counters(document);
    // On a phone the settings tabs scroll sideways: keep the current one in view.
    var current = document.querySelector(".tabs [aria-current]");
    var list = current && current.closest(".tabs");
    if (list && list.scrollWidth > list.clientWidth) {
      var offset = current.getBoundingClientRect().left - list.getBoundingClientRect().left;
      list.scrollLeft += offset - list.clientWidth / 2 + current.offsetWidth / 2;
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) { counters(e.target); });
})();

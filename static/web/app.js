// Behaviour every page shares, added to the server-rendered HTML (which works without it).
(function () {
  "use strict";
  // Mark the navigation link of the current page for assistive technology and the eye.
  document.addEventListener("DOMContentLoaded", function () {
    var path = window.location.pathname;
    var best = null;
    document.querySelectorAll(".mission-nav a").forEach(function (link) {
      var target = new URL(link.href).pathname;
      if (path.indexOf(target) === 0 && (!best || target.length > new URL(best.href).pathname.length)) {
        best = link;
      }
    });
    if (best) best.setAttribute("aria-current", "page");
  });
})();

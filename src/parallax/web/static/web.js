"use strict";
// The web app's only script, served from /static (CSP: script-src 'self').
(() => {
  // One switch shows every removed piece in place.
  const showRemoved = document.getElementById("show-removed");
  if (showRemoved) {
    const apply = () => document.body.classList.toggle("show-removed", showRemoved.checked);
    showRemoved.addEventListener("change", apply);
    apply();
  }
})();

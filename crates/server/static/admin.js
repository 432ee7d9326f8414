// Progressive enhancement only: every page works without this file.
// - Selects marked .js-autosubmit submit their form when changed (language switcher, platform
//   filter), so their "Apply" buttons (.js-hide) can be hidden.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
});

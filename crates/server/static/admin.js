// Progressive enhancement only: every page works without this file.
// - Selects marked .js-autosubmit submit their form when changed (language switcher, platform
//   filter), so their "Apply" buttons (.js-hide) can be hidden.
// - Buttons with data-copy="#id" copy that element's text (the revealed passcode) and say so
//   for a moment; they are .js-only, hidden when this file does not run.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    function say(text) {
      button.textContent = text;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.textContent.trim();
      function fallback() {
        // Older browsers or no clipboard permission: select the text and use the legacy command.
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        say(button.getAttribute(ok ? "data-copied" : "data-copy-failed"));
        button.setAttribute("data-state", ok ? "copied" : "failed");
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          say(button.getAttribute("data-copied"));
          button.setAttribute("data-state", "copied");
        }, fallback);
      } else {
        fallback();
      }
    });
  });
});

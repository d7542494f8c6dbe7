// A page that confirms something (a form accepted, a registration withdrawn)
// puts focus on its heading, so a screen reader reads the confirmation first.
// The heading's own autofocus does it without this script in most browsers;
// this covers those that ignore autofocus on a heading and a page restored
// from the back/forward cache.
(function () {
  function focusHeading() {
    var heading = document.querySelector("[data-focus-on-load]");
    if (heading && document.activeElement !== heading) {
      heading.focus();
    }
  }
  focusHeading();
  window.addEventListener("pageshow", focusHeading);
})();

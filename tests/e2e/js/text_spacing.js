// WCAG 1.4.12's values, as the usual bookmarklet sets them. Set through the
// CSSOM on each element: the site's Content-Security-Policy (rightly) refuses
// an injected <style> element.
() => {
  for (const el of document.querySelectorAll("*")) {
    el.style.setProperty("line-height", "1.5", "important");
    el.style.setProperty("letter-spacing", "0.12em", "important");
    el.style.setProperty("word-spacing", "0.16em", "important");
  }
  for (const el of document.querySelectorAll("p")) {
    el.style.setProperty("margin-bottom", "2em", "important");
  }
}

// 2.5.8: every pointer target at least 24 x 24 CSS px, except a link inside a
// sentence (the inline exception). Invisible and off-screen elements (the skip
// link before it has focus, the honeypot) are no targets.
() => {
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]"
  );
  const inline = (el) =>
    el.tagName === "A" &&
    getComputedStyle(el).display === "inline" &&
    el.parentElement.closest("p, li, dd, td, th");
  const found = [];
  for (const el of targets) {
    if (!el.checkVisibility() || el.closest("[hidden], .skip-link") || inline(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.right <= 0 || rect.bottom <= 0) continue;
    if (rect.width < 24 || rect.height < 24) {
      const text = (el.textContent || el.name || "").trim().slice(0, 40);
      found.push(
        `${el.tagName.toLowerCase()}#${el.id} "${text}" ` +
          `${Math.round(rect.width)}x${Math.round(rect.height)}`
      );
    }
  }
  return found;
}

// Elements that cut their own content off (overflow hidden or clip, content
// wider or taller than the box) and elements that stick out of the viewport,
// outside a region that scrolls on its own (a data table's wrapper, 1.4.10).
() => {
  const scrolls = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const hidden = (el) =>
    !el.checkVisibility() || el.closest("[hidden], .visually-hidden, .skip-link");
  const describe = (el) =>
    el.tagName.toLowerCase() +
    (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".")
      : "");
  const cuts = ["hidden", "clip"];
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (hidden(el) || scrolls(el)) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (cuts.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${describe(el)} cut sideways`);
    } else if (cuts.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1) {
      found.push(`${describe(el)} cut at the bottom`);
    } else if (rect.width && rect.right > window.innerWidth + 1) {
      found.push(`${describe(el)} sticks out ${Math.round(rect.right - window.innerWidth)} px`);
    }
  }
  return found;
}

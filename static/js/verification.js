/* The ALTCHA widget, made to work with a keyboard and a screen reader.

   The widget draws its checkbox inside <altcha-widget> (no shadow DOM), after
   the page has loaded. Django puts the field's help text and error on the
   custom element, where no assistive technology looks, and the error summary's
   link points at the element, which cannot take focus. So, once the checkbox
   exists: its description and invalid state move onto it, the summary's link
   focuses it, and the widget's states are read out through the page's live
   region, whose texts come from the template (Swedish, translatable). */

function enhance(widget) {
  const checkbox = widget.querySelector('input[type="checkbox"]');
  if (!checkbox || checkbox.dataset.enhanced) return Boolean(checkbox);
  checkbox.dataset.enhanced = "true";
  const described = widget.getAttribute("aria-describedby");
  if (described) {
    checkbox.setAttribute("aria-describedby", described);
    widget.removeAttribute("aria-describedby");
  }
  if (widget.getAttribute("aria-invalid") === "true") {
    checkbox.setAttribute("aria-invalid", "true");
    widget.removeAttribute("aria-invalid");
  }
  for (const link of document.querySelectorAll(`a[href="#${widget.id}"]`)) {
    link.setAttribute("href", `#${checkbox.id}`);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      checkbox.focus();
      checkbox.scrollIntoView({ block: "center" });
    });
  }
  return true;
}

function announce(widget) {
  const region = document.getElementById(`${widget.id}_status`);
  if (!region) return;
  widget.addEventListener("statechange", (event) => {
    const text = region.dataset[event.detail?.state];
    if (text) region.textContent = text;
  });
}

for (const widget of document.querySelectorAll("altcha-widget")) {
  announce(widget);
  if (!enhance(widget)) {
    const observer = new MutationObserver(() => {
      if (enhance(widget)) observer.disconnect();
    });
    observer.observe(widget, { childList: true, subtree: true });
  }
}

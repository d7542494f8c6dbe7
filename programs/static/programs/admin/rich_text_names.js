// Draftail's editable area (role="textbox") has no accessible name: the field's
// <label> points at the hidden input Draftail reads from. Name it by that label,
// also for editors added later (a new block, an inline panel).
(() => {
  const nameEditors = () => {
    document.querySelectorAll("input[data-draftail-input]").forEach((input) => {
      const label = document.getElementById(`${input.id}-label`);
      const box = input.parentElement.querySelector('[role="textbox"]');
      if (label && box && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-labelledby", label.id);
      }
    });
  };
  new MutationObserver(nameEditors).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nameEditors);
})();

// "Markera alla" for an inbox page: shown only where this script runs.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-inbox-select-all]");
  if (!all) return;
  const rows = document.querySelectorAll('.inbox-table input[name="selected"]');
  all.hidden = false;
  all.addEventListener("change", () => {
    rows.forEach((box) => {
      box.checked = all.checked;
    });
  });
});

// The counter console's keyboard shortcuts: a key presses the button that shows it (data-key),
// unless the officer is typing in a field. A file of its own: the CSP allows no inline script.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const key = (event.key || "").toUpperCase();
  if (key.length !== 1) return;
  const button = document.querySelector(`#console-panel button[data-key="${key}"]:not([disabled])`);
  if (!button) return;
  event.preventDefault();
  button.click();
});
// Said once the shortcuts listen (the browser test waits for it before pressing a key).
document.documentElement.dataset.shortcuts = "on";

// The SOP page's checklist: the "Cetak daftar" button (hidden without JavaScript) prints it, and
// ticked items survive a reload (kept in localStorage per office, service and version, so a new
// version of the requirements starts unticked). A file of its own because the
// Content-Security-Policy allows no inline script.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode, blocked cookies): the ticks just do not persist
  }
}

for (const list of document.querySelectorAll("[data-checklist]")) {
  const store = storage();
  if (!store) break;
  const key = "layan-checklist:" + list.dataset.checklist;
  const boxes = Array.from(list.querySelectorAll("input[type=checkbox]"));
  let ticked = [];
  try {
    ticked = JSON.parse(store.getItem(key) || "[]");
  } catch {
    ticked = [];
  }
  for (const box of boxes) {
    if (ticked.includes(box.id)) box.checked = true;
    box.addEventListener("change", () => {
      const now = boxes.filter((b) => b.checked).map((b) => b.id);
      if (now.length) store.setItem(key, JSON.stringify(now));
      else store.removeItem(key);
    });
  }
}

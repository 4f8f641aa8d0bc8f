// The queue kiosk (a file of its own: the Content-Security-Policy allows no inline script).
// - A touch on a lane sends the form once: a second touch while the page loads would take a second number.
// - The ticket screen goes back to the start by itself (data-return-after seconds), for the next visitor.
// - "Cetak" (hidden without JavaScript) prints the ticket with the browser's printer when the office has
//   no thermal printer configured.
for (const form of document.querySelectorAll("form[data-once]")) {
  form.addEventListener("submit", () => {
    window.setTimeout(() => {
      for (const button of form.querySelectorAll("button")) button.disabled = true;
    }, 0);
  });
}

const back = document.querySelector("[data-return-after]");
if (back) {
  const seconds = parseInt(back.dataset.returnAfter, 10) || 45;
  let timer = window.setTimeout(() => window.location.assign(back.href), seconds * 1000);
  // A visitor still reading (touching the screen) keeps the ticket up a little longer.
  document.addEventListener("pointerdown", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => window.location.assign(back.href), seconds * 1000);
  });
}

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

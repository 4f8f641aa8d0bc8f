// The SOP page's "Cetak daftar" button: hidden without JavaScript, prints the checklist.
// A file of its own because the Content-Security-Policy allows no inline script.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

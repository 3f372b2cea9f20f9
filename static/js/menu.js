// Without JavaScript the member menu opens and closes on its own button; with it,
// a tap elsewhere or Escape closes it too. A file, not an inline script: pages are
// cached whole for visitors, and the Content-Security-Policy runs no inline script
// without the response's own nonce.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
    });
  }
});

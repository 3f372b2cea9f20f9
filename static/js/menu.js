// Without JavaScript the member menu opens and closes on its own button; with it,
// a tap elsewhere or Escape closes it too. A file, not an inline script: pages are
// cached whole for visitors, and the Content-Security-Policy runs no inline script
// without the response's own nonce.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
  var close = event.target.closest && event.target.closest(".toast-close");
  if (close) close.closest(".toast").remove();
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
    });
  }
});
// htmx swaps no error response by itself: a refusal (4xx) that names where its reason
// goes (HX-Retarget, config.http.refusal_toast) is shown there instead of nothing.
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Retarget")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A bug report starts from its template: filled in when the type is "bug report" and
// the post is empty, taken out again when the type changes before anything was written.
(function () {
  var type = document.querySelector(".form select[name=thread_type]");
  var body = document.querySelector(".form textarea[name=body]");
  if (!type || !body || !body.dataset.template) return;
  function follow() {
    if (type.value === body.dataset.templateType && !body.value.trim()) {
      body.value = body.dataset.template;
    } else if (type.value !== body.dataset.templateType && body.value === body.dataset.template) {
      body.value = "";
    }
  }
  type.addEventListener("change", follow);
  follow();
})();

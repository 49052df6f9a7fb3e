// Progressive enhancement only: every page works without this file.
// Changing the sort order or "one per story" re-runs the search without a click.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.classList.contains("autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});

// Progressive enhancement only: the pages work without this file.
// Move focus to the error summary so screen-reader and keyboard users hear what went wrong.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();
});

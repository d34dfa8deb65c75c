// Progressive enhancement of coding one paragraph of an expert interview
// (/staff/surveys/interviews/:id/code/:n): selecting text in the paragraph fills the excerpt field
// and the hidden "near" field with where the selection starts, so the server picks that occurrence
// when the same words appear twice. Without this file the coder pastes the excerpt by hand.
(() => {
  const paragraph = document.querySelector('[data-paragraph]');
  const excerpt = document.getElementById('excerpt');
  const near = document.getElementById('near');
  if (!paragraph || !excerpt) return;
  const fill = () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!paragraph.contains(range.startContainer) || !paragraph.contains(range.endContainer)) return;
    const text = selection.toString().trim();
    if (!text) return;
    // Characters of the paragraph before the selection (marks of earlier codings split the text).
    const before = document.createRange();
    before.setStart(paragraph, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const leading = selection.toString().length - selection.toString().trimStart().length;
    excerpt.value = text;
    if (near) near.value = String(before.toString().length + leading);
  };
  paragraph.addEventListener('mouseup', fill);
  paragraph.addEventListener('keyup', fill);
  // A new excerpt typed by hand has no known position.
  excerpt.addEventListener('input', () => {
    if (near) near.value = '';
  });
})();

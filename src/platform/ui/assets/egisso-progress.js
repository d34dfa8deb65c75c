// The EGISSO export page while its export runs: reload until it is done. Pages without JavaScript get
// the same from a <noscript> refresh (a bare timed refresh is what axe and WCAG 2.2.1 object to).
const live = document.querySelector('[data-egisso-live]');
if (live) setTimeout(() => window.location.reload(), 2000);

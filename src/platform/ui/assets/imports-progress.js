// Progressive enhancement for an import being written (/staff/registry/imports/:id): polls its
// progress and updates the bar and figures in place, then reloads once the write ends. Without
// this file the page refreshes itself (a meta refresh in <noscript>, with a link to stop it).
(() => {
  const root = document.querySelector('[data-import-progress]');
  if (!root) return;
  const url = root.getAttribute('data-import-progress');
  const bar = root.querySelector('progress');
  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (response.ok) {
        const p = await response.json();
        for (const [name, text] of Object.entries(p.display)) {
          for (const el of document.querySelectorAll(`[data-field="${name}"]`))
            if (el.textContent !== text) el.textContent = text;
        }
        if (bar) {
          bar.max = Math.max(p.total, 1);
          bar.value = p.processed;
          bar.textContent = p.display.processed;
        }
        if (p.status === 'done' || p.status === 'failed') {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A dropped request is retried on the next tick.
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();

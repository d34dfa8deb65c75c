// Progressive enhancement for a running sweep (/staff/sweeps/:id): polls its progress and updates the
// figures in place, then reloads once it ends. Without this file the page refreshes itself (noscript).
(() => {
  const root = document.querySelector('[data-sweep-progress]');
  if (!root) return;
  const url = root.getAttribute('data-sweep-progress');
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
          const el = root.querySelector(`[data-field="${name}"]`);
          if (el && el.textContent !== text) el.textContent = text;
        }
        if (bar) {
          bar.max = Math.max(p.total, 1);
          bar.value = p.processed;
        }
        if (p.status === 'done' || p.status === 'failed') {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A dropped request is retried on the next tick.
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1500);
})();

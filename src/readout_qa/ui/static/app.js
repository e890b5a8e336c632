// Marker clicks select a source: in the panel when it shows that answer, otherwise via the
// hidden "select" button (the server renders the other answer's sources). When a panel is
// rendered, its selected passage is scrolled into view inside its box.
// Loaded once into the page <head> by readout_qa.ui.layout (launch_options()["head"]).
(() => {
  if (window.__roqInit) return;
  window.__roqInit = true;
  const panelEl = () => document.querySelector('#roq-sources .roq-sources');
  function scrollToMark(panel, n, page) {
    const mark = panel.querySelector('#cite-' + n);
    if (!mark) return;
    const box = mark.closest('.roq-body');
    if (box) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
    if (page) (mark.closest('.roq-card') || mark).scrollIntoView({block: 'nearest'});
  }
  function localSelect(panel, n, page) {
    panel.dataset.selected = String(n);
    panel.querySelectorAll('.roq-card').forEach((card) => {
      const on = card.dataset.n === String(n);
      card.classList.toggle('roq-selected', on);
      const d = card.querySelector('details');
      if (d) d.open = on;
    });
    requestAnimationFrame(() => scrollToMark(panel, n, page));
  }
  function select(turn, n) {
    const panel = panelEl();
    if (panel && panel.dataset.turn === String(turn)) { localSelect(panel, n, true); return; }
    window.__roqWant = turn + ':' + n;
    const btn = document.querySelector('#roq-sel-btn');
    if (btn) btn.click();
  }
  window.roqSelect = select;
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!t || !t.closest) return;
    const cite = t.closest('a.roq-cite');
    if (cite) {
      e.preventDefault();
      e.stopPropagation();
      // The chat's sanitiser drops data-* attributes: turn and number ride in the href.
      const m = /#cite-(\d+)-(\d+)$/.exec(cite.getAttribute('href') || '');
      if (m) select(m[1], m[2]);
      return;
    }
    const head = t.closest('.roq-card-head');
    if (head && !t.closest('a')) {
      const card = head.closest('.roq-card');
      const panel = head.closest('.roq-sources');
      if (card && panel) localSelect(panel, card.dataset.n, false);
    }
  }, true);
  const seen = new WeakSet();
  new MutationObserver(() => {
    const panel = panelEl();
    if (!panel || seen.has(panel)) return;
    seen.add(panel);
    const n = panel.dataset.selected;
    if (!n) return;
    const key = panel.dataset.turn + ':' + n;
    const page = window.__roqWant === key;
    if (page) window.__roqWant = null;
    localSelect(panel, n, page);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

// Clicks select a passage for the sources panel: a citation marker ("#cite-<turn>-<n>"),
// a refusal's closest passage ("#near-<turn>-<i>", card "c<i>"), or a Timeline row or
// readout link ("#tl-<row>-<j>", panel "t<row>", card "r<j>"). When the panel already shows
// that answer or contact, the card is selected in place; otherwise the hidden "select"
// button asks the server for that panel. When a panel is rendered, its selected passage is
// scrolled into view inside its box.
// Loaded once into the page <head> by readout_qa.ui.layout (launch_options()["head"]).
(() => {
  if (window.__roqInit) return;
  window.__roqInit = true;
  const panelEl = () => document.querySelector('#roq-sources .roq-sources');
  function cardOf(panel, n) {
    return [...panel.querySelectorAll('.roq-card')].find((c) => c.dataset.n === String(n));
  }
  function scrollToMark(panel, n, page) {
    const card = cardOf(panel, n);
    if (!card) return;
    const mark = card.querySelector('mark.roq-mark');
    const box = mark && mark.closest('.roq-body');
    if (box) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
    if (page) card.scrollIntoView({block: 'nearest'});
  }
  // A Timeline row is shown by the panel when both name the same row and contact (a new
  // search renumbers the rows while the panel may still show a contact of the last one).
  const showsRow = (panel, row) => !!panel && panel.dataset.turn === 't' + row.dataset.c
    && panel.dataset.contact === row.dataset.contact;
  function markRows(panel) {
    document.querySelectorAll('.roq-tl-row').forEach((row) => {
      row.classList.toggle('roq-tl-on', showsRow(panel, row));
    });
  }
  let shown = null;  // what the panel showed when last seen: see the observer below
  const stamp = (panel) => (panel
    ? [panel.dataset.turn, panel.dataset.contact || '', panel.dataset.selected || ''].join('|')
    : null);
  function localSelect(panel, n, page) {
    panel.dataset.selected = String(n);
    shown = stamp(panel);
    panel.querySelectorAll('.roq-card').forEach((card) => {
      const on = card.dataset.n === String(n);
      card.classList.toggle('roq-selected', on);
      const d = card.querySelector('details');
      if (d) d.open = on;
    });
    markRows(panel);
    requestAnimationFrame(() => scrollToMark(panel, n, page));
  }
  function select(turn, n, row) {
    const panel = panelEl();
    const shown = row ? showsRow(panel, row) : panel && panel.dataset.turn === String(turn);
    if (shown) { localSelect(panel, n, true); return; }
    window.__roqWant = turn + ':' + n;
    const btn = document.querySelector('#roq-sel-btn');
    if (btn) btn.click();
  }
  window.roqSelect = select;
  // The chat's sanitiser drops data-* attributes: what a link selects rides in its href.
  const LINKS = [
    ['a.roq-cite', /#cite-(\d+)-(\d+)$/, (m) => [m[1], m[2]]],
    ['a.roq-near', /#near-(\d+)-(\d+)$/, (m) => [m[1], 'c' + m[2]]],
    ['a.roq-tl-link', /#tl-(\d+)-(\d+)$/, (m) => ['t' + m[1], 'r' + m[2]]],
  ];
  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!t || !t.closest) return;
    for (const [sel, re, pick] of LINKS) {
      const a = t.closest(sel);
      if (!a) continue;
      e.preventDefault();
      e.stopPropagation();
      const m = re.exec(a.getAttribute('href') || '');
      if (m) select(...pick(m), a.closest('.roq-tl-row'));
      return;
    }
    const row = t.closest('.roq-tl-row');
    if (row && !t.closest('a')) {
      select('t' + row.dataset.c, 'r1', row);
      return;
    }
    const head = t.closest('.roq-card-head');
    if (head && !t.closest('a')) {
      const card = head.closest('.roq-card');
      const panel = head.closest('.roq-sources');
      if (card && panel) localSelect(panel, card.dataset.n, false);
    }
  }, true);
  // Gradio's HTML component morphs the old panel into the new one (the element stays), so
  // a rendered panel is told apart by what it shows, not by its element.
  new MutationObserver(() => {
    const panel = panelEl();
    markRows(panel);  // also when a new search redrew the rows
    const what = stamp(panel);
    if (what === shown) return;
    shown = what;
    const n = panel && panel.dataset.selected;
    if (!n) return;
    const key = panel.dataset.turn + ':' + n;
    const page = window.__roqWant === key;
    if (page) window.__roqWant = null;
    localSelect(panel, n, page);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

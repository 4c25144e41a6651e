/* Sales playbook: the vocabulary on every page.
   The first use of each term on a page (its name or an alias in any case, its abbreviation as
   written, alone or as a plural) becomes a link to its glossary entry that shows the definition
   on hover, on keyboard focus, and on a first tap on a touch screen. Text inside code, links,
   headings, buttons and the site's own cards' titles is left alone.
   The glossary is read once, from glossary.json beside this script. The page is walked once;
   at each word the longest name starting there is looked up in a map, so the cost grows with
   the page's length, not with the number of terms. Every text from the data is set with
   textContent. */
(function () {
  'use strict';

  const script = document.currentScript;
  if (!script || !script.src) return;
  const DATA = new URL('glossary.json', script.src);
  const ROOT = new URL('../../', script.src); // the script is in assets/playbook/
  const WORD = /[\p{L}\p{N}]+/gu;
  const JOINER = /^[\s\-\u2010\u2011]+$/u;
  const MAX_WORDS = 8;
  const SKIP = new Set(['A', 'CODE', 'PRE', 'KBD', 'SAMP', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BUTTON',
    'INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'LABEL', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'svg', 'SVG', 'TEMPLATE']);
  const MAX_DEFINITION = 320;

  const fold = (s) => s.toLocaleLowerCase();

  function index(terms) {
    const names = new Map();
    const abbreviations = new Map();
    let longest = 1;
    const byId = new Map();
    for (const term of terms) {
      if (!term || typeof term.id !== 'string' || typeof term.name !== 'string') continue;
      // An address from the data is used only if it is relative with no scheme.
      if (typeof term.url !== 'string' || /^[a-zA-Z][a-zA-Z0-9+.-]*:|^\/\/|[\\\s]/.test(term.url)) continue;
      term.href = new URL(term.url, ROOT).href;
      byId.set(term.id, term);
      const all = [term.name].concat(Array.isArray(term.aliases) ? term.aliases : []);
      for (const name of all) {
        if (typeof name !== 'string') continue;
        const words = (name.match(WORD) || []).map(fold);
        if (words.length && words.length <= MAX_WORDS && !names.has(words.join(' '))) {
          names.set(words.join(' '), term.id);
          longest = Math.max(longest, words.length);
        }
      }
      const abbreviation = typeof term.abbreviation === 'string' ? term.abbreviation.trim() : '';
      if (abbreviation && (abbreviation.match(WORD) || []).join('') === abbreviation && !abbreviations.has(abbreviation)) {
        abbreviations.set(abbreviation, term.id);
      }
    }
    return { names, abbreviations, longest, byId };
  }

  // The first match in text of a term not yet seen: [start, end, id], or null.
  function firstMatch(text, vocabulary, seen) {
    const spans = [];
    for (const m of text.matchAll(WORD)) spans.push([m.index, m.index + m[0].length, m[0]]);
    for (let i = 0; i < spans.length; i++) {
      const word = spans[i][2];
      let best = null;
      let id = vocabulary.abbreviations.get(word);
      if (id === undefined && word.length > 2 && word.endsWith('s')) id = vocabulary.abbreviations.get(word.slice(0, -1));
      if (id !== undefined) best = [i, id];
      const words = [];
      for (let j = i; j < Math.min(spans.length, i + vocabulary.longest); j++) {
        if (j > i && !JOINER.test(text.slice(spans[j - 1][1], spans[j][0]))) break;
        words.push(fold(spans[j][2]));
        const found = vocabulary.names.get(words.join(' '));
        if (found !== undefined) best = [j, found];
      }
      if (best && !seen.has(best[1])) return [spans[i][0], spans[best[0]][1], best[1]];
      if (best) i = best[0];
    }
    return null;
  }

  // The site's own labels (types, chips, badges, card titles) are names, not running text.
  const SKIP_CLASSES = ['pb-term', 'headerlink', 'pb-card__title', 'pb-card__type', 'pb-chip', 'pb-badge',
    'pb-filters', 'pb-hero__number'];

  function skipped(element) {
    return SKIP.has(element.tagName) || SKIP_CLASSES.some((name) => element.classList.contains(name)) ||
      element.hasAttribute('data-pb-noterms');
  }

  // Every text node under root outside skipped elements, in document order (one walk).
  function textNodes(root) {
    const found = [];
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.nodeValue.trim()) found.push(node);
      } else if (node.nodeType === Node.ELEMENT_NODE && !skipped(node)) {
        for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
      }
    }
    return found;
  }

  function decorate(article, vocabulary) {
    const seen = new Set();
    const made = [];
    for (let node of textNodes(article)) {
      let match = firstMatch(node.nodeValue, vocabulary, seen);
      while (match) {
        const [start, end, id] = match;
        const term = vocabulary.byId.get(id);
        seen.add(id);
        const link = document.createElement('a');
        link.className = 'pb-term';
        link.href = term.href;
        link.setAttribute('data-pb-term', id);
        const middle = node.splitText(start);
        const rest = middle.splitText(end - start);
        link.textContent = middle.nodeValue;
        middle.replaceWith(link);
        made.push(link);
        node = rest;
        match = firstMatch(node.nodeValue, vocabulary, seen);
      }
    }
    return made;
  }

  // ---- The definition shown beside a term -------------------------------------------------

  function popover(vocabulary) {
    const box = document.createElement('div');
    box.className = 'pb-term-pop';
    box.id = 'pb-term-pop';
    box.setAttribute('role', 'tooltip');
    box.hidden = true;
    const title = document.createElement('strong');
    const text = document.createElement('p');
    const more = document.createElement('a');
    more.textContent = 'In the glossary';
    box.append(title, text, more);
    document.body.appendChild(box);
    let current = null;
    let hideTimer = 0;

    function show(link) {
      clearTimeout(hideTimer);
      const term = vocabulary.byId.get(link.getAttribute('data-pb-term'));
      if (!term) return;
      if (current && current !== link) current.removeAttribute('aria-describedby');
      current = link;
      title.textContent = term.abbreviation ? `${term.name} (${term.abbreviation})` : term.name;
      const definition = typeof term.definition === 'string' ? term.definition : '';
      text.textContent = definition.length > MAX_DEFINITION ? definition.slice(0, MAX_DEFINITION - 1) + '…' : definition;
      more.href = link.href;
      link.setAttribute('aria-describedby', box.id);
      box.hidden = false;
      const rect = link.getBoundingClientRect();
      const width = Math.min(box.offsetWidth, document.documentElement.clientWidth - 16);
      const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
      box.style.left = `${left + window.scrollX}px`;
      box.style.top = `${rect.bottom + window.scrollY + 6}px`;
    }

    function hide() {
      tapped = null;
      box.hidden = true;
      if (current) current.removeAttribute('aria-describedby');
      current = null;
    }

    const later = () => { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 250); };
    // A tap also fires mouse events: after a touch, only the click (below) decides.
    let touched = false;
    let tapped = null;
    document.addEventListener('pointerdown', (event) => { touched = event.pointerType === 'touch'; }, true);
    document.addEventListener('mouseover', (event) => {
      if (touched) return;
      const link = event.target instanceof Element ? event.target.closest('a.pb-term') : null;
      if (link) show(link);
      else if (event.target instanceof Node && box.contains(event.target)) clearTimeout(hideTimer);
    });
    document.addEventListener('mouseout', (event) => {
      if (touched) return;
      const link = event.target instanceof Element ? event.target.closest('a.pb-term, .pb-term-pop') : null;
      if (link) later();
    });
    document.addEventListener('focusin', (event) => {
      if (touched) return;
      const link = event.target instanceof Element ? event.target.closest('a.pb-term') : null;
      if (link) show(link);
    });
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a.pb-term') : null;
      if (link && touched && tapped !== link) {
        event.preventDefault(); // the first tap explains; the second follows the link
        tapped = link;
        show(link);
      } else if (!link && !(event.target instanceof Node && box.contains(event.target))) {
        hide();
      }
    });
    document.addEventListener('keydown', (event) => { if (event.key === 'Escape') hide(); });
    window.addEventListener('resize', hide);
  }

  function start() {
    const article = document.querySelector('article.md-content__inner');
    if (!article || article.hasAttribute('data-pb-terms-done')) return;
    article.setAttribute('data-pb-terms-done', '');
    fetch(DATA, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((data) => {
        const vocabulary = index(data && Array.isArray(data.terms) ? data.terms : []);
        decorate(article, vocabulary);
        if (!document.getElementById('pb-term-pop')) popover(vocabulary);
      })
      .catch(() => { /* no glossary: the page reads as it is */ });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());

/* Sales playbook: the vocabulary on every page.
   The first use of each term on a page (its name or an alias in any case, its abbreviation as
   written, alone or as a plural) becomes a link to its glossary entry that shows the definition
   on hover, on keyboard focus, and on a first tap on a touch screen. Text inside code, links,
   headings, buttons and the site's own cards' titles is left alone.
   The glossary is read once, from glossary.json beside this script, into a tree of names word by
   word, made once. Each text of the page is read once, word by word: at each word the longest
   name starting there is followed down the tree (at most eight words), and the text is then cut
   once into text and links. The cost follows the page's length, not the number of terms or of
   links, and the work is done in slices of a few milliseconds, so the page never stops answering
   for long. Every text from the data is set with textContent or as a text node.
   Which words name a term is the rule of generator/source/term_words.py, which the build and the
   change summary follow: a name or alias of one everyday word ("Company", "won") names its term
   only when the term says link: always, and nothing inside an address (https://..., www....)
   names a term. The pop-up shows the definition cut at a word, with a link to the whole entry. */
(function () {
  'use strict';

  const WORD = /[\p{L}\p{N}]+/gu;
  const JOINER = /^[\s\-\u2010\u2011]+$/u;
  const URL_TEXT = /(?:https?:\/\/|www\.)\S+/giu;
  const MAX_WORDS = 8;
  const SKIP = new Set(['A', 'CODE', 'PRE', 'KBD', 'SAMP', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BUTTON',
    'INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'LABEL', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'svg', 'SVG', 'TEMPLATE']);
  const MAX_DEFINITION = 320;
  const SLICE_MS = 12; // work done before the page is given back to the reader
  const CHECK_EVERY = 256; // words read between two looks at the clock

  const fold = (s) => s.toLocaleLowerCase();

  // One word as written, with no capital after its first letter and no digit: "Company", "won"
  // (as everyday() in term_words.py).
  function everyday(name) {
    const words = name.match(WORD) || [];
    if (words.length !== 1 || words[0] !== name.trim()) return false;
    const rest = words[0].slice(1);
    return /\p{Ll}/u.test(rest) && !/[\p{Lu}\p{Lt}]/u.test(rest) && !/\p{N}/u.test(words[0]);
  }

  // A definition of at most max characters, cut at a word and ended with "…" when it is longer.
  function shortened(text, max) {
    if (text.length <= max) return text;
    let cut = text.slice(0, max - 1);
    const space = cut.search(/\s\S*$/u);
    if (space > max / 2) cut = cut.slice(0, space);
    return cut.replace(/[\s,;:.\-\u2013\u2014]+$/u, '') + '…';
  }

  // The terms, made ready once: names as a tree of folded words (the first name wins), and
  // abbreviations as written. root is the site's root, against which the terms' addresses resolve.
  function index(terms, root) {
    const names = new Map(); // word -> { id, next: Map | null }
    const abbreviations = new Map();
    const byId = new Map();
    for (const term of terms) {
      if (!term || typeof term.id !== 'string' || typeof term.name !== 'string') continue;
      // An address from the data is used only if it is relative with no scheme.
      if (typeof term.url !== 'string' || /^[a-zA-Z][a-zA-Z0-9+.-]*:|^\/\/|[\\\s]/.test(term.url)) continue;
      term.href = new URL(term.url, root).href;
      byId.set(term.id, term);
      const all = [term.name].concat(Array.isArray(term.aliases) ? term.aliases : []);
      for (const name of all) {
        if (typeof name !== 'string' || (term.link !== 'always' && everyday(name))) continue;
        const words = (name.match(WORD) || []).map(fold);
        if (!words.length || words.length > MAX_WORDS) continue;
        let level = names;
        let node = null;
        for (const word of words) {
          if (node) level = node.next || (node.next = new Map());
          node = level.get(word);
          if (!node) {
            node = { id: undefined, next: null };
            level.set(word, node);
          }
        }
        if (node.id === undefined) node.id = term.id;
      }
      const abbreviation = typeof term.abbreviation === 'string' ? term.abbreviation.trim() : '';
      if (abbreviation && (abbreviation.match(WORD) || []).join('') === abbreviation && !abbreviations.has(abbreviation)) {
        abbreviations.set(abbreviation, term.id);
      }
    }
    return { names, abbreviations, byId };
  }

  // Reads text once, word by word, and collects the first use of each term not in seen (which
  // it fills): found is a list of [start, end, id], in order. run(more) reads on until the end
  // of the text (true) or until more() says to stop for now (false); it is called again to go on.
  function matcher(text, vocabulary, seen) {
    let ahead = []; // the words read but not yet passed: [start, end, word]
    let head = 0;
    let position = 0; // where the next word is looked for (WORD is shared: its place is kept here)
    let ended = false;
    const found = [];
    const addresses = []; // [start, end] of each address in the text, in order
    if (text.indexOf('/') >= 0 || text.indexOf('ww') >= 0) {
      for (const m of text.matchAll(URL_TEXT)) addresses.push([m.index, m.index + m[0].length]);
    }
    let a = 0;
    // Whether the text from start to end touches an address (start never goes back).
    function inAddress(start, end) {
      while (a < addresses.length && addresses[a][1] <= start) a++;
      return a < addresses.length && addresses[a][0] < end;
    }

    // The k-th word from the current one, or undefined at the end of the text.
    function word(k) {
      while (!ended && ahead.length - head <= k) {
        WORD.lastIndex = position;
        const m = WORD.exec(text);
        if (m) {
          position = WORD.lastIndex;
          ahead.push([m.index, position, m[0]]);
        } else {
          ended = true;
        }
      }
      return ahead[head + k];
    }

    function pass(count) {
      head += count;
      if (head > 1024) { // drop the words passed; what is left is never more than a name long
        ahead = ahead.slice(head);
        head = 0;
      }
    }

    function run(more) {
      for (let read = 1; ; read++) {
        const first = word(0);
        if (first === undefined) return true;
        if (read % CHECK_EVERY === 0 && !more()) return false;
        let last = -1;
        let id = vocabulary.abbreviations.get(first[2]);
        if (id === undefined && first[2].length > 2 && first[2].endsWith('s')) {
          id = vocabulary.abbreviations.get(first[2].slice(0, -1));
        }
        if (id !== undefined) last = 0;
        let node = vocabulary.names.get(fold(first[2]));
        for (let k = 0; node; ) {
          if (node.id !== undefined) {
            last = k;
            id = node.id;
          }
          const before = word(k);
          const next = node.next ? word(k + 1) : undefined;
          if (next === undefined || !JOINER.test(text.slice(before[1], next[0]))) break;
          node = node.next.get(fold(next[2]));
          k++;
        }
        if (last < 0 || inAddress(first[0], word(last)[1])) {
          pass(1);
          continue;
        }
        if (!seen.has(id)) {
          seen.add(id);
          found.push([first[0], word(last)[1], id]);
        }
        pass(last + 1);
      }
    }

    return { run, found };
  }

  // The links text gets when read in one go: [start, end, id] for the first use of each term
  // not in seen (with its tests).
  function matches(text, vocabulary, seen) {
    const m = matcher(text, vocabulary, seen || new Set());
    m.run(() => true);
    return m.found;
  }

  if (typeof document === 'undefined') { // read outside a browser, for its tests
    if (typeof module === 'object' && module && typeof module.exports === 'object') {
      module.exports = { index, matcher, matches, everyday, shortened };
    }
    return;
  }

  const script = document.currentScript;
  if (!script || !script.src) return;
  const DATA = new URL('glossary-data.js', script.src); // sets window.playbookGlossary; a script works from file:// too
  const ROOT = new URL('../../', script.src); // the script is in assets/playbook/

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

  // The text node cut once into its text around the links, each link's text set as text. The
  // pieces are made apart from the page, a slice at a time (run(more) as for matcher), and put
  // in the text node's place at once, if it is still there as it was read.
  function cutter(node, text, found, vocabulary) {
    const parts = document.createDocumentFragment();
    let at = 0;
    let i = 0;

    function run(more) {
      for (; i < found.length; i++) {
        if (i % 64 === 63 && !more()) return false;
        const [start, end, id] = found[i];
        if (start > at) parts.appendChild(document.createTextNode(text.slice(at, start)));
        const link = document.createElement('a');
        link.className = 'pb-term';
        link.href = vocabulary.byId.get(id).href;
        link.setAttribute('data-pb-term', id);
        link.textContent = text.slice(start, end);
        parts.appendChild(link);
        at = end;
      }
      if (at < text.length) parts.appendChild(document.createTextNode(text.slice(at)));
      at = text.length;
      return true;
    }

    // Whether the text node was replaced; a text changed or removed by another script while it
    // was read is left as it is now.
    function place() {
      if (!node.parentNode || node.nodeValue !== text) return false;
      node.replaceWith(parts);
      return true;
    }

    return { run, place };
  }

  // Links the first use of each term in article's texts, in order, a slice of work at a time.
  function decorate(article, vocabulary) {
    const nodes = textNodes(article);
    const seen = new Set();
    let n = 0;
    let reading = null; // the text node being read: { node, text, matcher }
    let cutting = null; // then cut: a cutter

    function slice() {
      const stop = performance.now() + SLICE_MS;
      const more = () => performance.now() < stop;
      while (n < nodes.length) {
        if (!reading) {
          const node = nodes[n];
          const text = node.nodeValue; // read once
          reading = { node, text, matcher: matcher(text, vocabulary, seen) };
        }
        const found = reading.matcher.found;
        if (!cutting) {
          if (!reading.matcher.run(more)) break;
          if (found.length) cutting = cutter(reading.node, reading.text, found, vocabulary);
        }
        if (cutting) {
          if (!cutting.run(more)) break;
          if (!cutting.place()) for (const [, , id] of found) seen.delete(id);
        }
        reading = null;
        cutting = null;
        n++;
        if (!more()) break;
      }
      if (n < nodes.length) setTimeout(slice, 0);
      else article.setAttribute('data-pb-terms', 'linked'); // every text read: for scripts that wait on it
    }

    slice();
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
    more.textContent = 'More';
    more.className = 'pb-term-pop__more';
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
      text.textContent = shortened(definition, MAX_DEFINITION);
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
    return box;
  }

  // The data, loaded once per page load as a script (fetch() is refused under file://), and the
  // vocabulary built from it once: instant navigation then decorates each new page at once.
  let vocabularyPromise = null;
  function vocabulary() {
    if (!vocabularyPromise) {
      vocabularyPromise = new Promise((resolve, reject) => {
        if (window.playbookGlossary) { resolve(window.playbookGlossary); return; }
        const tag = document.createElement('script');
        tag.src = DATA.href;
        tag.addEventListener('load', () => (window.playbookGlossary ? resolve(window.playbookGlossary) : reject(new Error('no data'))));
        tag.addEventListener('error', () => reject(new Error('not loaded')));
        document.head.appendChild(tag);
      }).then((data) => index(data && Array.isArray(data.terms) ? data.terms : [], ROOT));
    }
    return vocabularyPromise;
  }

  let explained = null; // the pop-up's listeners are on the document: set up once
  function start() {
    const article = document.querySelector('article.md-content__inner');
    if (!article || article.hasAttribute('data-pb-terms-done')) return;
    article.setAttribute('data-pb-terms-done', '');
    vocabulary()
      .then((words) => {
        decorate(article, words);
        if (!explained) explained = popover(words);
        else if (!document.getElementById('pb-term-pop')) document.body.appendChild(explained); // a new page's body
      })
      .catch(() => { /* no glossary: the page reads as it is */ });
  }

  // The terms are linked once the page itself has loaded, so that their data (large on a large
  // playbook) never holds up what the page came for, such as the finder's first cards.
  function later() {
    const go = () => (typeof window.requestIdleCallback === 'function'
      ? window.requestIdleCallback(start, { timeout: 1000 }) : setTimeout(start, 0));
    if (document.readyState === 'complete') go();
    else window.addEventListener('load', go, { once: true });
  }
  later();
  // Material's instant navigation swaps the page without loading this script again.
  // Its first emission is this page, which later() links; each one after is a new page.
  if (window.document$ && typeof window.document$.subscribe === 'function') {
    let first = true;
    window.document$.subscribe(() => {
      if (first) first = false;
      else start();
    });
  }
}());

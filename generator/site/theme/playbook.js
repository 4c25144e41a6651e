/* Sales playbook: stage-page filters, copy buttons and the asset finder.
   Every text from the data is untrusted: the DOM is built with createElement and
   textContent only, and links are set only when they pass safeHref(). */
(function () {
  'use strict';

  // First thing: lets the CSS show what only works with JavaScript (copy buttons).
  document.documentElement.classList.add('pb-js');

  const PAGE_SIZE = 24;
  const BADGES = new Set(['withdrawn', 'expiring', 'overdue']);
  const VERDICTS = new Set(['withdrawn', 'expiring', 'overdue', 'current']);
  const FACETS = [['stage', 'Stage'], ['persona', 'Persona'], ['type', 'Type'], ['owner', 'Owner']];
  const done = new WeakSet(); // elements already set up (DOMContentLoaded and document$ may both run)

  // ---- Small helpers ---------------------------------------------------------------------

  // An element with a class, a text and attributes: never HTML.
  function el(tag, className, text, attrs) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    return node;
  }

  const str = (value) => (typeof value === 'string' ? value : '');
  const strings = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v) : []);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  // A URL from the data: https://… as it is, or a relative path with no scheme, put after base.
  // Anything else (javascript:, //host, control characters, backslashes) gives null: no link.
  function safeHref(url, base) {
    url = str(url);
    if (!url || /^\s|[\u0000-\u001f\u007f\\]/.test(url)) return null;
    let href;
    if (/^https:\/\//i.test(url)) href = url;
    else if (/^(?![a-zA-Z][a-zA-Z0-9+.-]*:)/.test(url) && !url.startsWith('//')) href = (base || '') + url;
    else return null;
    try { // belt and braces: what the browser will make of it
      const resolved = new URL(href, location.href);
      return resolved.protocol === 'https:' || resolved.origin === location.origin ? href : null;
    } catch (_) {
      return null;
    }
  }

  // Write filter values into the address (null removes one); keeps other parameters and the hash.
  function writeParams(values) {
    const url = new URL(location.href);
    for (const [key, value] of Object.entries(values)) {
      if (value === null || value === '') url.searchParams.delete(key);
      else url.searchParams.set(key, String(value));
    }
    if (url.href !== location.href) history.replaceState(history.state, '', url.href);
  }

  // One polite live region for short messages ("Copied").
  function announce(message) {
    let region = document.querySelector('[data-pb-announce]');
    if (!region) region = document.body.appendChild(el('p', 'pb-sr-only', '', { 'data-pb-announce': '', 'aria-live': 'polite' }));
    region.textContent = '';
    setTimeout(() => { region.textContent = message; }, 50);
  }

  // A chip's count: one <span class="pb-chip__count"> kept up to date.
  function setCount(chip, n) {
    let span = chip.querySelector('.pb-chip__count');
    if (!span) span = chip.appendChild(el('span', 'pb-chip__count'));
    span.textContent = String(n);
  }

  // ---- Copy buttons (every page) -----------------------------------------------------------

  const copyTimers = new WeakMap();

  // The Clipboard API exists only on https (and localhost); on an intranet's plain http, and in
  // older browsers, the text is selected in a hidden field and copied the old way.
  function copyBySelection(text, button) {
    const field = el('textarea', 'pb-sr-only', '', { readonly: '', 'aria-hidden': 'true', tabindex: '-1' });
    field.value = text;
    document.body.appendChild(field);
    field.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (_) { /* not allowed: reported as a failure */ }
    field.remove();
    button.focus();
    return ok;
  }

  async function copyText(text, button) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (_) { /* permission refused: try the old way */ }
    }
    return copyBySelection(text, button);
  }

  async function copyPoint(button) {
    const source = button.parentElement && button.parentElement.querySelector('.pb-point__text');
    const text = source ? source.textContent.trim() : '';
    const ok = text !== '' && await copyText(text, button);
    clearTimeout(copyTimers.get(button));
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.classList.toggle('pb-copy--done', ok);
    button.classList.toggle('pb-copy--failed', !ok);
    const what = button.getAttribute('data-pb-what') || (button.closest('.pb-objection') ? 'Answer copied' : 'Talking point copied');
    announce(ok ? what : 'Copy failed');
    copyTimers.set(button, setTimeout(() => {
      button.textContent = 'Copy';
      button.classList.remove('pb-copy--done', 'pb-copy--failed');
    }, 1500));
  }

  // ---- Share buttons: the phone's own share sheet, or the link copied -----------------------

  // A card's button shares the asset's address (data-url, relative to the page); the button of a
  // narrowed view shares the page's address as it is now, filters and all.
  async function share(button) {
    const relative = button.getAttribute('data-url');
    let url = location.href;
    if (relative !== null) {
      const href = safeHref(relative, '');
      if (!href) return;
      url = new URL(href, location.href).href;
    }
    const card = button.closest('.pb-card');
    const heading = card && card.querySelector('.pb-card__title');
    const title = (heading ? heading.textContent : document.title).trim();
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title, url });
        return;
      } catch (error) {
        if (error && error.name === 'AbortError') return; // the rep closed the share sheet
      }
    }
    const ok = await copyText(url, button);
    const label = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', label);
    clearTimeout(copyTimers.get(button));
    button.textContent = ok ? 'Link copied' : 'Copy failed';
    announce(ok ? 'Link copied' : 'Copy failed');
    copyTimers.set(button, setTimeout(() => { button.textContent = label; }, 1500));
  }

  // One listener for every copy and share button, the finder's included.
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element)) return;
    const copy = event.target.closest('button[data-pb-copy]');
    if (copy) copyPoint(copy);
    const sharer = event.target.closest('button[data-pb-share]');
    if (sharer) share(sharer);
  });

  // ---- The persona in the room, remembered from page to page -------------------------------

  // Kept in the browser as {id, name, stages, home}: the stages where the persona has assets, so
  // that a stage page with nothing for them can say where to go, and the address of their entry on
  // the Personas pages, where their objections are, for a stage page that does not show them.
  const PERSONA_KEY = 'pb-persona';

  // An address of this site (relative, or whole as the browser's memory keeps it), made whole;
  // '' for anything else (another site, javascript:, control characters, backslashes).
  function ownAddress(url) {
    url = str(url);
    if (!url || /[\u0000-\u001f\u007f\\]/.test(url)) return '';
    try {
      const resolved = new URL(url, location.href);
      return resolved.origin === location.origin && /^(https?|file):$/.test(resolved.protocol) ? resolved.href : '';
    } catch (_) {
      return '';
    }
  }

  function storedPersona() {
    try {
      const value = JSON.parse(localStorage.getItem(PERSONA_KEY) || 'null');
      if (!value || typeof value.id !== 'string') return null;
      // Bounded, whatever another script or a damaged profile left there.
      return { id: value.id.slice(0, 200), name: str(value.name).slice(0, 200), stages: strings(value.stages).slice(0, 1000),
        home: ownAddress(str(value.home).slice(0, 2000)) };
    } catch (_) {
      return null; // storage refused (private mode) or damaged: nothing remembered
    }
  }
  function storePersona(persona) {
    try {
      if (persona) localStorage.setItem(PERSONA_KEY, JSON.stringify(persona));
      else localStorage.removeItem(PERSONA_KEY);
    } catch (_) { /* storage refused: the address still carries it */ }
  }

  // Links to the stage pages (the menu's, the home page's, the way on) carry the persona.
  function carryPersona(stagePaths, persona) {
    for (const link of document.querySelectorAll('a[href]:not([href^="#"])')) {
      let url;
      try { url = new URL(link.href, location.href); } catch (_) { continue; }
      if (url.origin !== location.origin || !stagePaths.has(url.pathname)) continue;
      if (persona) url.searchParams.set('persona', persona);
      else url.searchParams.delete('persona');
      link.href = url.href;
    }
  }

  // Bring the first card into sight, if its top is not on the upper part of the screen: the
  // filters (or the count) go to the top, under the header, and the card follows them.
  function revealFirst(anchor, first) {
    if (!first) return;
    const top = first.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) anchor.scrollIntoView({ block: 'start' });
  }

  // ---- Stage page: filter the cards by persona and type ------------------------------------

  // Does a card (or objection group) suit the persona? An empty data-persona suits everyone.
  function personaMatch(node, persona) {
    const ids = (node.getAttribute('data-persona') || '').split(/\s+/).filter(Boolean);
    return !persona || ids.length === 0 || ids.includes(persona);
  }

  function cardMatch(card, selected) {
    return Object.entries(selected).every(([name, value]) => {
      if (!value) return true;
      if (name === 'persona') return personaMatch(card, value);
      return card.getAttribute(`data-${name}`) === value;
    });
  }

  function initFilters(bar) {
    if (done.has(bar)) return;
    done.add(bar);
    const container = document.querySelector('[data-pb-cards]');
    const cards = Array.from(document.querySelectorAll('[data-pb-cards] .pb-card'));
    const objections = Array.from(document.querySelectorAll('[data-pb-objections] .pb-objection-group'));
    const objectionBox = document.querySelector('[data-pb-objections]');
    const status = bar.querySelector('[data-pb-status]');
    const empty = document.querySelector('[data-pb-empty]');
    const elsewhere = bar.querySelector('[data-pb-elsewhere]');
    const here = bar.getAttribute('data-stage') || '';
    // Every stage, from the page's own list: [id, name, address].
    const stages = Array.from(bar.querySelectorAll('[data-pb-stage-list] a[data-stage]'))
      .map((a) => [a.getAttribute('data-stage'), a.textContent.trim(), a.getAttribute('href') || '']);
    const stagePaths = new Set(stages.map(([, , href]) => new URL(href, location.href).pathname));
    const params = new URLSearchParams(location.search);
    const remembered = storedPersona();
    let none = null; // the objections' "not on this page", made when first needed
    // Where every persona is, should a persona's own entry be unknown (asked for by the address only).
    const personasPage = objectionBox ? ownAddress(objectionBox.getAttribute('data-personas') || '') : '';
    const groups = Array.from(bar.querySelectorAll('[data-pb-filter]')).map((node) => {
      const name = node.getAttribute('data-pb-filter');
      const chips = Array.from(node.querySelectorAll('button.pb-chip[data-value]'));
      let wanted = params.get(name);
      if (name === 'persona' && !params.has(name) && remembered) wanted = remembered.id;
      const value = chips.some((c) => c.getAttribute('data-value') === wanted) ? wanted : null;
      return { name, chips, value };
    });
    const personaGroup = groups.find((g) => g.name === 'persona');
    // A persona asked for (address or memory) that has no chip on this page.
    let absent = null;
    const asked = params.get('persona') || (remembered && remembered.id);
    if (asked && personaGroup && !personaGroup.value) {
      absent = remembered && remembered.id === asked ? remembered : { id: asked, name: '', stages: [], home: '' };
    }

    // "For <persona>, also: 3. Selection": links to the other stages with assets for them.
    function sayElsewhere(persona, shown) {
      if (!elsewhere) return;
      const others = stages.filter(([id]) => id !== here && persona.stages.includes(id));
      elsewhere.replaceChildren();
      const who = persona.name || 'this persona';
      const lead = shown === 0 ? `Nothing in this stage is written for ${who}.` : `Also for ${who}:`;
      elsewhere.append(lead);
      if (others.length === 0 && shown === 0 && persona.name) elsewhere.append(' No other stage has an asset for them either.');
      others.forEach(([id, name, href], i) => {
        const url = new URL(href, location.href);
        url.searchParams.set('persona', persona.id);
        elsewhere.append(i === 0 ? ' ' : ', ', el('a', 'pb-elsewhere__link', name, { href: url.href }));
      });
      elsewhere.hidden = shown > 0 && others.length === 0;
    }

    function apply() {
      const selected = Object.fromEntries(groups.map((g) => [g.name, g.value]));
      let shown = 0;
      for (const card of cards) {
        const match = cardMatch(card, selected);
        card.hidden = !match;
        if (match) shown += 1;
      }
      // The cards written for the persona first, then those for anyone, each in the playbook's order.
      if (container) {
        const own = (card) => Boolean(selected.persona) && (card.getAttribute('data-persona') || '').split(/\s+/).includes(selected.persona);
        container.append(...cards.filter(own), ...cards.filter((card) => !own(card)));
      }
      const persona = selected.persona || (absent && absent.id);
      let groupsShown = 0;
      for (const group of objections) {
        group.hidden = !personaMatch(group, persona);
        if (!group.hidden) groupsShown += 1;
      }
      const chip = personaGroup && personaGroup.chips.find((c) => c.getAttribute('data-value') === selected.persona);
      const who = chip ? chip.firstChild.textContent.trim() : '';
      // A persona whose objections this page does not show (not in the stage, or past the page's
      // limit of personas): said plainly, with the way to their own entry, where they all are.
      if (objectionBox && persona && groupsShown === 0) {
        const named = chip ? who : absent ? absent.name : '';
        const home = chip ? ownAddress(chip.getAttribute('data-home') || '') : absent ? absent.home : '';
        if (!none) none = objectionBox.appendChild(el('p', 'pb-empty pb-objections-away', '', { 'data-pb-away': '' }));
        none.replaceChildren(`The objections of ${named || 'this persona'} are not on this page: `);
        const href = home || personasPage;
        if (href) none.append(el('a', null, home ? 'read them on their persona page' : 'find them on the Personas pages', { href }), '.');
        else none.append('they are on the Personas pages.');
      }
      if (none) none.hidden = !persona || groupsShown > 0;
      // Each chip: how many cards it would show, given the other groups' choices.
      for (const group of groups) {
        for (const chip of group.chips) {
          const value = chip.getAttribute('data-value');
          const trial = Object.assign({}, selected, { [group.name]: value });
          chip.setAttribute('aria-pressed', String(group.value === value));
          const n = cards.filter((card) => cardMatch(card, trial)).length;
          chip.classList.toggle('pb-chip--none', n === 0 && group.value !== value);
          setCount(chip, n);
        }
      }
      if (status) {
        status.textContent = `Showing ${shown === cards.length ? 'all' : `${shown} of`} ${plural(cards.length, 'asset')}${who ? ` for ${who}` : ''}`;
      }
      if (empty) empty.hidden = shown > 0;
      if (chip) {
        const known = { id: selected.persona, name: who, stages: (chip.getAttribute('data-elsewhere') || '').split(/\s+/).filter(Boolean),
          home: ownAddress(chip.getAttribute('data-home') || '') };
        sayElsewhere(known, shown);
        return known;
      }
      if (absent) sayElsewhere(absent, 0);
      else if (elsewhere) elsewhere.hidden = true;
      return null;
    }

    bar.addEventListener('click', (event) => {
      const chip = event.target instanceof Element && event.target.closest('button.pb-chip[data-value]');
      const group = chip && groups.find((g) => g.chips.includes(chip));
      if (!group) return;
      const value = chip.getAttribute('data-value');
      group.value = group.value === value ? null : value; // pressing the pressed chip clears the group
      if (group.name === 'persona') absent = null;
      const known = apply();
      if (group.name === 'persona') {
        storePersona(known);
        carryPersona(stagePaths, known && known.id);
      }
      writeParams({ [group.name]: group.value });
      revealFirst(bar, cards.find((card) => !card.hidden));
    });

    bar.hidden = false;
    const known = apply();
    const carried = known ? known.id : absent && absent.id;
    if (known) storePersona(known);
    carryPersona(stagePaths, carried);
    if (carried) writeParams({ persona: carried });
    // Arrived for one persona (a shared or carried link): their cards are what the rep came for.
    if (known && params.has('persona') && !location.hash) revealFirst(bar, cards.find((card) => !card.hidden));
  }

  // ---- Asset finder ----------------------------------------------------------------------

  // The JSON, made safe to use: every field of the expected type, whatever the file holds.
  function normalise(data) {
    const facets = {};
    for (const [name] of FACETS) {
      const list = data && data.facets && Array.isArray(data.facets[name]) ? data.facets[name] : [];
      facets[name] = list.filter((f) => f && str(f.id))
        .map((f) => ({ id: f.id, name: str(f.name) || f.id, url: str(f.url) }));
    }
    const personaNames = new Map(facets.persona.map((p) => [p.id, p.name]));
    const assets = (data && Array.isArray(data.assets) ? data.assets : []).filter((a) => a && str(a.id)).map((a) => {
      const asset = {
        id: a.id, title: str(a.title) || a.id, type: str(a.type), typeName: str(a.type_name) || str(a.type),
        stages: strings(a.stages), personas: strings(a.personas), owner: str(a.owner),
        useWhen: str(a.use_when), points: strings(a.talking_points), link: str(a.link),
        details: str(a.details), reviewBy: str(a.review_by), expires: str(a.expires), status: str(a.status),
        // [kind, words] pairs as the stage pages show them; an unknown kind is dropped.
        badges: (Array.isArray(a.badges) ? a.badges : []).filter((b) => Array.isArray(b) && BADGES.has(b[0]))
          .map((b) => [b[0], str(b[1])]),
        notes: strings(a.internal_notes), keywords: strings(a.keywords),
        // [kind, words]: may the asset be sent today, and whom to ask.
        verdict: Array.isArray(a.verdict) && VERDICTS.has(a.verdict[0]) ? [a.verdict[0], str(a.verdict[1])] : ['current', ''],
      };
      // All the text the search box looks in, lower case and without accents.
      asset.text = fold([asset.title, asset.useWhen, asset.typeName, ...asset.points, ...asset.keywords,
        ...asset.personas.map((id) => personaNames.get(id) || '')].join('\n'));
      return asset;
    });
    // Withdrawn assets last, otherwise in the order given.
    const withdrawn = (a) => a.status === 'withdrawn';
    return { facets, assets: assets.filter((a) => !withdrawn(a)).concat(assets.filter(withdrawn)) };
  }

  // Lower case, without accents: "Café" finds "cafe".
  const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

  // Does an asset have this facet value? (Persona: listing it, or listing no persona at all.)
  function facetMatch(asset, name, value) {
    if (name === 'stage') return asset.stages.includes(value);
    if (name === 'persona') return asset.personas.length === 0 || asset.personas.includes(value);
    return asset[name] === value;
  }

  // Load a data script of this site once (window[name] holds its data): a script, not fetch(),
  // so that a site opened from file:// (Material's offline plugin) works too.
  const loading = new Map();
  function loadData(src, name) {
    if (window[name]) return Promise.resolve(window[name]);
    if (!loading.has(name)) {
      loading.set(name, new Promise((resolve, reject) => {
        let url;
        try { url = new URL(src, location.href); } catch (_) { reject(new Error('bad address')); return; }
        const local = url.protocol === 'file:' ? location.protocol === 'file:' : url.origin === location.origin;
        if (!src || !local || !/\.js$/.test(url.pathname)) { reject(new Error('not this site')); return; }
        const script = el('script', null, null, { src: url.href });
        script.addEventListener('load', () => (window[name] ? resolve(window[name]) : reject(new Error('no data'))));
        script.addEventListener('error', () => { loading.delete(name); reject(new Error('not loaded')); });
        document.head.appendChild(script);
      }));
    }
    return loading.get(name);
  }

  // Load the finder's data (from this site only), then start it; a failure is said in the page.
  // The first file holds the first cards, shown at once; the parts that hold the rest (named in
  // it, beside it) follow one after another, and the view is drawn again as each arrives, filters
  // and all.
  function initFinder(root) {
    if (done.has(root)) return;
    done.add(root);
    const count = root.querySelector('[data-pb-count]') || {};
    count.textContent = 'Loading assets…';
    const src = root.getAttribute('data-src') || '';
    loadData(src, 'playbookFinder')
      .then((first) => {
        const raw = first && Array.isArray(first.assets) ? first.assets.slice() : [];
        const parts = (first && Array.isArray(first.parts) ? first.parts : [])
          .filter((name) => typeof name === 'string' && /^finder-data-\d+\.js$/.test(name));
        const finder = startFinder(root, normalise(first), parts.length > 0);
        let chain = Promise.resolve();
        parts.forEach((name, i) => {
          chain = chain
            .then(() => loadData(new URL(name, new URL(src, location.href)).href, `playbookFinder${i + 2}`))
            .then((more) => {
              if (Array.isArray(more)) for (const asset of more) raw.push(asset);
              finder.more(normalise({ facets: first.facets, assets: raw }).assets, i < parts.length - 1);
            });
        });
        chain.catch(() => finder.more(null, false));
      })
      .catch(() => { count.textContent = 'The asset list could not be loaded.'; });
  }

  function startFinder(root, data, partial) {
    const base = root.getAttribute('data-base') || '';
    const form = root.querySelector('.pb-finder__form');
    const input = root.querySelector('input[type="search"]');
    const facetBox = root.querySelector('[data-pb-facets]');
    const count = root.querySelector('[data-pb-count]');
    const results = root.querySelector('[data-pb-results]');
    const pagerBox = root.querySelector('[data-pb-pager]');
    let failed = false; // a part of the data could not be loaded
    const stageIndex = new Map(data.facets.stage.map((s, i) => [s.id, i]));
    const facetById = {};
    for (const [name] of FACETS) facetById[name] = new Map(data.facets[name].map((f) => [f.id, f]));

    // State, read from the address so that a shared link shows the same view.
    const params = new URLSearchParams(location.search);
    const state = { q: (params.get('text') || '').slice(0, 200), page: Math.max(1, parseInt(params.get('page'), 10) || 1) };
    for (const [name] of FACETS) state[name] = facetById[name].has(params.get(name)) ? params.get(name) : null;
    const remembered = storedPersona();
    if (!params.has('persona') && remembered && facetById.persona.has(remembered.id)) state.persona = remembered.id;

    // Facet chips, built once and then only updated (so focus stays where it is).
    const chips = {};
    let timer = 0; // the search box's debounce
    if (facetBox) {
      for (const [name, label] of FACETS) {
        if (!data.facets[name].length) continue;
        const group = el('div', 'pb-filter-group', null, { 'data-pb-filter': name, role: 'group', 'aria-label': label });
        group.appendChild(el('span', 'pb-filter-label', label));
        const row = group.appendChild(el('div', 'pb-chip-row'));
        chips[name] = data.facets[name].map((facet) => {
          const chip = el('button', 'pb-chip', facet.name, { type: 'button', 'data-value': facet.id, 'aria-pressed': 'false' });
          chip.addEventListener('click', () => {
            clearTimeout(timer); // text typed but not yet applied counts too
            if (input) state.q = input.value;
            state[name] = state[name] === facet.id ? null : facet.id;
            state.page = 1;
            render();
            if (name === 'persona') {
              const stages = data.assets.filter((a) => a.personas.includes(facet.id) && a.status !== 'withdrawn')
                .flatMap((a) => a.stages);
              storePersona(state.persona ? { id: facet.id, name: facet.name, stages: [...new Set(stages)],
                home: ownAddress(safeHref(facet.url, base) || '') } : null);
            }
            revealFirst(count || root, results && results.firstElementChild);
          });
          row.appendChild(chip);
          return chip;
        });
        facetBox.appendChild(group);
      }
    }

    // Pager: Previous, "Page 2 of 5", Next.
    const prev = el('button', 'pb-pager__button', 'Previous', { type: 'button' });
    const next = el('button', 'pb-pager__button', 'Next', { type: 'button' });
    const where = el('span', 'pb-pager__label');
    prev.addEventListener('click', () => turn(-1, prev, next));
    next.addEventListener('click', () => turn(1, next, prev));
    if (pagerBox) pagerBox.append(prev, where, next);

    function turn(step, button, other) {
      state.page += step;
      render();
      if (button.disabled && !other.disabled) other.focus(); // first or last page: keep focus in the pager
      if (count) count.scrollIntoView({ block: 'start' });
    }

    // Free text: every word must occur somewhere in the asset's text.
    if (input) {
      input.value = state.q;
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(search, 150);
      });
    }
    function search() {
      clearTimeout(timer);
      if (!input || input.value === state.q) return;
      state.q = input.value;
      state.page = 1;
      render();
    }
    if (form) {
      form.addEventListener('submit', (event) => { event.preventDefault(); search(); });
      form.hidden = false;
    }

    function matches(asset, except) {
      for (const [name] of FACETS) {
        if (name !== except && state[name] && !facetMatch(asset, name, state[name])) return false;
      }
      return true;
    }

    function render() {
      const words = fold(state.q).split(/\s+/).filter(Boolean);
      const found = data.assets.filter((a) => words.every((w) => a.text.includes(w)));
      const shown = found.filter((a) => matches(a, null));

      // Chip counts: the assets matching every other filter and the text, with this value.
      for (const [name] of FACETS) {
        if (!chips[name]) continue;
        const others = found.filter((a) => matches(a, name));
        for (const chip of chips[name]) {
          const value = chip.getAttribute('data-value');
          const n = others.filter((a) => facetMatch(a, name, value)).length;
          const pressed = state[name] === value;
          chip.setAttribute('aria-pressed', String(pressed));
          chip.disabled = n === 0 && !pressed;
          setCount(chip, n);
        }
      }

      const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
      // A page asked for in the address may be in a part still loading.
      if (!partial) state.page = Math.min(Math.max(1, state.page), pages);
      if (count) {
        count.textContent = (shown.length === 0 ? 'No asset matches these filters.'
          : shown.length === 1 ? '1 asset matches' : `${shown.length} assets match`)
          + (partial ? ' so far; loading the rest…' : failed ? ' of those loaded; the rest could not be loaded.' : '');
      }
      if (results) {
        const start = (state.page - 1) * PAGE_SIZE;
        results.replaceChildren(...shown.slice(start, start + PAGE_SIZE).map(card));
      }
      if (pagerBox) {
        pagerBox.hidden = pages === 1;
        where.textContent = `Page ${state.page} of ${pages}`;
        prev.disabled = state.page === 1;
        next.disabled = state.page >= pages;
      }
      const values = { text: state.q.trim() || null, page: state.page > 1 ? state.page : null };
      for (const [name] of FACETS) values[name] = state[name];
      writeParams(values);
    }

    // A chip link to a persona or stage page (plain text if its address is not safe).
    function chipLink(kind, id) {
      const facet = facetById[kind].get(id);
      const href = facet ? safeHref(facet.url, base) : null;
      return el(href ? 'a' : 'span', `pb-chip pb-chip--${kind}`, facet ? facet.name : id, href ? { href } : null);
    }

    const badge = (kind, text) => el('span', `pb-badge pb-badge--${kind}`, text);
    const stageClass = (id) => `pb-stage-${(stageIndex.get(id) % 6) + 1}`; // the colours of the stage pages

    // One asset, as the same card the stage pages show.
    function card(asset) {
      const article = el('section', 'pb-card', null, { 'data-persona': asset.personas.join(' '), 'data-type': asset.type });
      if (stageIndex.has(asset.stages[0])) article.classList.add(stageClass(asset.stages[0]));

      const head = el('header', 'pb-card__head');
      head.appendChild(el('span', 'pb-card__type', asset.typeName));
      const withdrawn = asset.status === 'withdrawn';
      for (const [kind, words] of asset.badges) head.append(' ', badge(kind, words));
      head.appendChild(el('h3', 'pb-card__title', asset.title));
      article.appendChild(head);

      if (asset.useWhen) {
        const when = el('p', 'pb-card__when');
        when.append(el('strong', null, 'Use it when'), ' ', asset.useWhen);
        article.appendChild(when);
      }
      if (asset.points.length) {
        const list = el('ul', 'pb-points');
        for (const point of asset.points) {
          const copy = el('button', 'pb-copy', 'Copy',
            { type: 'button', 'data-pb-copy': '', 'aria-label': 'Copy this talking point', title: 'Copy' });
          list.appendChild(el('li', 'pb-point')).append(el('span', 'pb-point__text', point), ' ', copy);
        }
        article.appendChild(el('p', 'pb-points__label', 'Say this'));
        article.appendChild(list);
      }
      if (asset.notes.length) {
        const note = el('div', 'pb-note', null, { role: 'note' });
        note.appendChild(el('p', 'pb-note__label', 'For you, not the buyer'));
        const list = note.appendChild(el('ul'));
        for (const text of asset.notes) list.appendChild(el('li', null, text));
        article.appendChild(note);
      }
      if (asset.verdict[1]) article.appendChild(el('p', `pb-verdict pb-verdict--${asset.verdict[0]}`, asset.verdict[1]));

      const foot = el('footer', 'pb-card__foot');
      const open = withdrawn ? null : safeHref(asset.link, base);
      if (open) foot.appendChild(el('a', 'md-button md-button--primary pb-open', 'Open', { href: open }));
      const details = safeHref(asset.details, base);
      if (details) {
        foot.appendChild(el('button', 'pb-share', 'Share', { type: 'button', 'data-pb-share': '', 'data-url': details }));
        foot.appendChild(el('a', 'pb-card__details', 'Details', { href: details }));
      }
      const personas = el('span', 'pb-card__personas');
      if (asset.personas.length) asset.personas.forEach((id) => personas.appendChild(chipLink('persona', id)));
      else personas.appendChild(el('span', 'pb-chip pb-chip--any', 'Any persona'));
      const stages = el('span', 'pb-card__stages');
      asset.stages.forEach((id) => {
        const chip = stages.appendChild(chipLink('stage', id));
        if (stageIndex.has(id)) chip.classList.add(stageClass(id));
      });
      foot.append(personas, stages);
      article.appendChild(foot);
      return article;
    }

    render();
    return {
      // More assets arrived (all loaded so far, in order; null: a part could not be loaded).
      more(assets, still) {
        if (assets === null) failed = true;
        else data.assets = assets;
        partial = Boolean(still) && assets !== null;
        render();
      },
    };
  }

  // ---- Sections that fold on a phone ---------------------------------------------------------

  // A page that marks itself data-pb-fold (the lifecycle) is long: on a narrow screen each of its
  // sections under a third-level heading (a state, a handoff) is closed behind its heading, which
  // becomes a button, so the page is a list of what it defines. A link to a place inside a section,
  // and the browser's find in page, open it. One pass over the article's children.
  const NARROW = '(max-width: 44.984375em)';

  function foldSections(marker) {
    const article = marker.closest('article');
    if (!article || done.has(article) || !window.matchMedia(NARROW).matches) return;
    done.add(article);
    let fold = null;
    for (const child of Array.from(article.children)) {
      if (/^H[1-3]$/.test(child.tagName)) fold = null;
      if (child.tagName === 'H3' && child.id) {
        const button = el('button', 'pb-fold__toggle', '', { type: 'button', 'aria-expanded': 'false',
          'aria-controls': `pb-fold-${child.id}` });
        for (const node of Array.from(child.childNodes)) {
          if (!(node instanceof Element && node.classList.contains('headerlink'))) button.appendChild(node);
        }
        child.prepend(button);
        child.classList.add('pb-fold__heading');
        fold = el('div', 'pb-fold', '', { id: `pb-fold-${child.id}` });
        fold.setAttribute('hidden', 'until-found');
        fold.addEventListener('beforematch', () => button.setAttribute('aria-expanded', 'true'));
        child.after(fold);
        continue;
      }
      if (fold) fold.appendChild(child);
    }
    article.addEventListener('click', (event) => {
      const button = event.target instanceof Element && event.target.closest('.pb-fold__toggle');
      if (!button) return;
      const open = button.getAttribute('aria-expanded') !== 'true';
      setFold(button, open);
    });
    revealTarget();
  }

  function setFold(button, open) {
    const fold = document.getElementById(button.getAttribute('aria-controls') || '');
    if (!fold) return;
    button.setAttribute('aria-expanded', String(open));
    if (open) fold.removeAttribute('hidden');
    else fold.setAttribute('hidden', 'until-found');
  }

  // Opens the section that holds the address's target (or is the target's own), and brings it into view.
  function revealTarget() {
    let id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (_) { return; }
    const target = id && document.getElementById(id);
    if (!target) return;
    const heading = target.classList.contains('pb-fold__heading') ? target : null;
    const fold = heading ? document.getElementById(`pb-fold-${heading.id}`) : target.closest('.pb-fold');
    if (!fold || !fold.hasAttribute('hidden')) return;
    const button = document.querySelector(`.pb-fold__toggle[aria-controls="${CSS.escape(fold.id)}"]`);
    if (button) setFold(button, true);
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', revealTarget);

  // ---- Start -------------------------------------------------------------------------------

  function init() {
    document.querySelectorAll('[data-pb-filters]').forEach(initFilters);
    document.querySelectorAll('[data-pb-finder]').forEach(initFinder);
    document.querySelectorAll('[data-pb-fold]').forEach(foldSections);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  // Material's page observable, should instant navigation ever be turned on (init is idempotent).
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
})();

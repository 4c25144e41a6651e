/* Sales playbook: stage-page filters, copy buttons and the asset finder.
   Every text from the data is untrusted: the DOM is built with createElement and
   textContent only, and links are set only when they pass safeHref(). */
(function () {
  'use strict';

  // First thing: lets the CSS show what only works with JavaScript (copy buttons).
  document.documentElement.classList.add('pb-js');

  const PAGE_SIZE = 24;
  const FACETS = [['stage', 'Stage'], ['persona', 'Persona'], ['type', 'Type'], ['owner', 'Owner']];
  const done = new WeakSet(); // elements already set up (DOMContentLoaded and document$ may both run)

  // Material opens its own site search for any `?q=` in the address (search deep linking) as
  // soon as its bundle runs, and drops `q` when that search closes. The finder's free text is
  // `q` too: on the finder page, close that search, clear its box and put the address back.
  if (document.querySelector('[data-pb-finder]') && new URLSearchParams(location.search).has('q')) {
    const address = location.href;
    const box = document.querySelector('[data-md-component="search-query"]');
    const toggle = document.querySelector('input[data-md-toggle="search"]');
    if (box) box.value = '';
    if (toggle && toggle.checked) toggle.click();
    if (box && document.activeElement === box) box.blur();
    if (location.href !== address) history.replaceState(history.state, '', address);
  }

  // ---- Small helpers ---------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const str = (value) => (typeof value === 'string' ? value : '');
  const strings = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v) : []);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  // A URL from the data: https://… as it is, or a relative path with no scheme, put after base.
  // Anything else (javascript:, //host, control characters, backslashes) gives null: no link.
  function safeHref(url, base) {
    url = str(url);
    if (!url || /[\u0000-\u0020\u007f\\]/.test(url.charAt(0)) || /[\u0000-\u001f\u007f\\]/.test(url)) return null;
    let href;
    if (/^https:\/\//i.test(url)) href = url;
    else if (/^(?![a-zA-Z][a-zA-Z0-9+.-]*:)/.test(url) && !url.startsWith('//')) href = (base || '') + url;
    else return null;
    try { // belt and braces: what the browser will make of it
      const resolved = new URL(href, location.href);
      const sameSite = resolved.origin === location.origin;
      if (resolved.protocol !== 'https:' && !sameSite) return null;
    } catch (_) {
      return null;
    }
    return href;
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
    if (!region) {
      region = el('p', 'pb-sr-only');
      region.setAttribute('data-pb-announce', '');
      region.setAttribute('aria-live', 'polite');
      document.body.appendChild(region);
    }
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

  async function copyPoint(button) {
    const source = button.parentElement && button.parentElement.querySelector('.pb-point__text');
    const text = source ? source.textContent.trim() : '';
    let ok = false;
    try {
      if (text && navigator.clipboard && navigator.clipboard.writeText) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (_) {
      ok = false; // permission refused, insecure page…: say so, never throw
    }
    clearTimeout(copyTimers.get(button));
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.classList.toggle('pb-copy--done', ok);
    button.classList.toggle('pb-copy--failed', !ok);
    announce(ok ? 'Talking point copied' : 'Copy failed');
    copyTimers.set(button, setTimeout(() => {
      button.textContent = 'Copy';
      button.classList.remove('pb-copy--done', 'pb-copy--failed');
    }, 1500));
  }

  function initCopy() {
    if (done.has(document)) return;
    done.add(document);
    document.addEventListener('click', (event) => {
      const button = event.target instanceof Element && event.target.closest('button[data-pb-copy]');
      if (button) copyPoint(button);
    });
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
    const cards = Array.from(document.querySelectorAll('[data-pb-cards] .pb-card'));
    const objections = Array.from(document.querySelectorAll('[data-pb-objections] .pb-objection-group'));
    const status = bar.querySelector('[data-pb-status]');
    const empty = document.querySelector('[data-pb-empty]');
    const params = new URLSearchParams(location.search);
    const groups = Array.from(bar.querySelectorAll('[data-pb-filter]')).map((node) => {
      const name = node.getAttribute('data-pb-filter');
      const chips = Array.from(node.querySelectorAll('button.pb-chip[data-value]'));
      const wanted = params.get(name);
      const value = chips.some((c) => c.getAttribute('data-value') === wanted) ? wanted : null;
      return { name, chips, value };
    });
    const selection = () => Object.fromEntries(groups.map((g) => [g.name, g.value]));

    function apply() {
      const selected = selection();
      let shown = 0;
      for (const card of cards) {
        const match = cardMatch(card, selected);
        card.hidden = !match;
        if (match) shown += 1;
      }
      for (const group of objections) group.hidden = !personaMatch(group, selected.persona);
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
        status.textContent = shown === cards.length
          ? `Showing all ${plural(cards.length, 'asset')}`
          : `Showing ${shown} of ${plural(cards.length, 'asset')}`;
      }
      if (empty) empty.hidden = shown > 0;
    }

    bar.addEventListener('click', (event) => {
      const chip = event.target instanceof Element && event.target.closest('button.pb-chip[data-value]');
      const group = chip && groups.find((g) => g.chips.includes(chip));
      if (!group) return;
      const value = chip.getAttribute('data-value');
      group.value = group.value === value ? null : value; // pressing the pressed chip clears the group
      apply();
      writeParams({ [group.name]: group.value });
    });

    bar.hidden = false;
    apply();
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
      };
      // All the text the search box looks in, lower case and without accents.
      asset.text = fold([asset.title, asset.useWhen, asset.typeName, ...asset.points,
        ...asset.personas.map((id) => personaNames.get(id) || '')].join('\n'));
      return asset;
    });
    // Withdrawn assets last, otherwise in the order given.
    const ordered = assets.filter((a) => a.status !== 'withdrawn').concat(assets.filter((a) => a.status === 'withdrawn'));
    return { facets, assets: ordered };
  }

  function fold(text) {
    return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  }

  // Does an asset have this facet value? (Persona: listing it, or listing no persona at all.)
  function facetMatch(asset, name, value) {
    if (name === 'stage') return asset.stages.includes(value);
    if (name === 'persona') return asset.personas.length === 0 || asset.personas.includes(value);
    return asset[name] === value;
  }

  function initFinder(root) {
    if (done.has(root)) return;
    done.add(root);
    const count = root.querySelector('[data-pb-count]');
    const setCountText = (text) => { if (count) count.textContent = text; };
    setCountText('Loading assets…');
    const src = root.getAttribute('data-src') || '';
    let url;
    try {
      url = new URL(src, location.href);
      if (!src || url.origin !== location.origin) throw new Error('not same origin');
    } catch (_) {
      setCountText('The asset list could not be loaded.');
      return;
    }
    fetch(url.href, { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((data) => startFinder(root, normalise(data)))
      .catch(() => setCountText('The asset list could not be loaded.'));
  }

  function startFinder(root, data) {
    const base = root.getAttribute('data-base') || '';
    const form = root.querySelector('.pb-finder__form');
    const input = root.querySelector('input[type="search"]');
    const facetBox = root.querySelector('[data-pb-facets]');
    const count = root.querySelector('[data-pb-count]');
    const results = root.querySelector('[data-pb-results]');
    const pagerBox = root.querySelector('[data-pb-pager]');
    const stageIndex = new Map(data.facets.stage.map((s, i) => [s.id, i]));
    const facetById = {};
    for (const [name] of FACETS) facetById[name] = new Map(data.facets[name].map((f) => [f.id, f]));

    // State, read from the address so that a shared link shows the same view.
    const params = new URLSearchParams(location.search);
    const state = { q: (params.get('q') || '').slice(0, 200), page: Math.max(1, parseInt(params.get('page'), 10) || 1) };
    for (const [name] of FACETS) {
      const value = params.get(name);
      state[name] = value && facetById[name].has(value) ? value : null;
    }

    // Facet chips, built once and then only updated (so focus stays where it is).
    const chips = {};
    if (facetBox) {
      for (const [name, label] of FACETS) {
        if (!data.facets[name].length) continue;
        const group = el('div', 'pb-filter-group');
        group.setAttribute('data-pb-filter', name);
        group.setAttribute('role', 'group');
        group.setAttribute('aria-label', label);
        group.appendChild(el('span', 'pb-filter-label', label));
        chips[name] = data.facets[name].map((facet) => {
          const chip = el('button', 'pb-chip', facet.name);
          chip.type = 'button';
          chip.setAttribute('data-value', facet.id);
          chip.setAttribute('aria-pressed', 'false');
          chip.addEventListener('click', () => {
            state[name] = state[name] === facet.id ? null : facet.id;
            state.page = 1;
            render();
          });
          group.appendChild(chip);
          return chip;
        });
        facetBox.appendChild(group);
      }
    }

    // Pager: Previous, "Page 2 of 5", Next.
    const prev = el('button', 'pb-pager__button', 'Previous');
    const next = el('button', 'pb-pager__button', 'Next');
    const where = el('span', 'pb-pager__label');
    prev.type = next.type = 'button';
    prev.addEventListener('click', () => turn(-1));
    next.addEventListener('click', () => turn(1));
    if (pagerBox) pagerBox.append(prev, where, next);

    function turn(step) {
      state.page += step;
      render();
      if (count) count.scrollIntoView({ block: 'start' });
    }

    // Free text: every word must occur somewhere in the asset's text.
    let timer = 0;
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
      state.page = Math.min(Math.max(1, state.page), pages);
      if (count) {
        count.textContent = shown.length === 0 ? 'No asset matches these filters.'
          : shown.length === 1 ? '1 asset matches' : `${shown.length} assets match`;
      }
      if (results) {
        const start = (state.page - 1) * PAGE_SIZE;
        results.replaceChildren(...shown.slice(start, start + PAGE_SIZE).map(card));
      }
      if (pagerBox) {
        pagerBox.hidden = pages === 1;
        where.textContent = `Page ${state.page} of ${pages}`;
        prev.disabled = state.page === 1;
        next.disabled = state.page === pages;
      }
      const values = { q: state.q.trim() || null, page: state.page > 1 ? state.page : null };
      for (const [name] of FACETS) values[name] = state[name];
      writeParams(values);
    }

    // A chip link to a persona or stage page (plain text if its address is not safe).
    function chipLink(kind, id) {
      const facet = facetById[kind].get(id);
      const href = facet ? safeHref(facet.url, base) : null;
      const chip = el(href ? 'a' : 'span', `pb-chip pb-chip--${kind}`, facet ? facet.name : id);
      if (href) chip.setAttribute('href', href);
      return chip;
    }

    function badge(kind, text) {
      return el('span', `pb-badge pb-badge--${kind}`, text);
    }

    // One asset, as the same card the stage pages show.
    function card(asset) {
      const article = el('article', 'pb-card');
      const place = stageIndex.get(asset.stages[0]);
      if (place !== undefined) article.classList.add(`pb-stage-${(place % 6) + 1}`);
      article.setAttribute('data-persona', asset.personas.join(' '));
      article.setAttribute('data-type', asset.type);

      const head = el('header', 'pb-card__head');
      head.appendChild(el('span', 'pb-card__type', asset.typeName));
      const withdrawn = asset.status === 'withdrawn';
      if (withdrawn) head.append(' ', badge('withdrawn', `Withdrawn since ${asset.expires}`));
      if (asset.status === 'overdue') head.append(' ', badge('overdue', `Review overdue since ${asset.reviewBy}`));
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
          const item = el('li', 'pb-point');
          const copy = el('button', 'pb-copy', 'Copy');
          copy.type = 'button';
          copy.setAttribute('data-pb-copy', '');
          copy.setAttribute('aria-label', 'Copy this talking point');
          copy.title = 'Copy';
          item.append(el('span', 'pb-point__text', point), ' ', copy);
          list.appendChild(item);
        }
        article.appendChild(list);
      }

      const foot = el('footer', 'pb-card__foot');
      const open = withdrawn ? null : safeHref(asset.link, base);
      if (open) {
        const link = el('a', 'md-button md-button--primary pb-open', 'Open');
        link.setAttribute('href', open);
        foot.appendChild(link);
      }
      const details = safeHref(asset.details, base);
      if (details) {
        const link = el('a', 'pb-card__details', 'Details');
        link.setAttribute('href', details);
        foot.appendChild(link);
      }
      const personas = el('span', 'pb-card__personas');
      if (asset.personas.length) asset.personas.forEach((id) => personas.appendChild(chipLink('persona', id)));
      else personas.appendChild(el('span', 'pb-chip pb-chip--any', 'Any persona'));
      const stages = el('span', 'pb-card__stages');
      asset.stages.forEach((id) => {
        const chip = stages.appendChild(chipLink('stage', id));
        if (stageIndex.has(id)) chip.classList.add(`pb-stage-${(stageIndex.get(id) % 6) + 1}`);
      });
      foot.append(personas, stages);
      article.appendChild(foot);
      return article;
    }

    render();
  }

  // ---- Start -------------------------------------------------------------------------------

  function init() {
    initCopy();
    document.querySelectorAll('[data-pb-filters]').forEach(initFilters);
    document.querySelectorAll('[data-pb-finder]').forEach(initFinder);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  // Material's page observable, should instant navigation ever be turned on (init is idempotent).
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
})();

/* Sales playbook: with the plugin's `search: pagefind`, Pagefind answers the theme's search box.
   The theme's own index is never fetched (search-later.js holds that request for good). When the
   reader goes to the box, this loads Pagefind's script from the site (pagefind/pagefind.js); each
   query, once typing pauses, fetches only the parts of the index its words need and the texts of
   the results shown, which it puts in the theme's result list with the theme's own markup, so the
   theme's styles, arrow keys and Enter work on them. Results come 10 at a time, more as the list
   is scrolled to its end.

   Nothing Pagefind returns is read as HTML into this page: an excerpt (escaped text with <mark>
   around the words found) is parsed in a detached document, and only its text is copied, into
   new text nodes and <mark> elements. A result links only to a page of this site. */
(function () {
  'use strict';
  var box = document.querySelector('input.md-search__input');
  var output = document.querySelector('.md-search-result');
  if (!box || !output || !window.URL || !window.DOMParser) return;
  var meta = output.querySelector('.md-search-result__meta');
  var list = output.querySelector('.md-search-result__list');
  if (!meta || !list) return;

  var PAGE = 10;          // results put in the list at a time
  var SECTIONS = 3;       // sections of a page shown before "N more on this page"
  var PAUSE = 150;        // ms without typing before a query is searched

  var config = {};
  try {
    config = JSON.parse(document.getElementById('__config').textContent) || {};
  } catch (error) { /* the theme's defaults below */ }
  var words = config.translations || {};
  var root = new URL(String(config.base || '.').replace(/\/?$/, '/'), location.href);

  function say(key, fallback, count) {
    var text = typeof words[key] === 'string' ? words[key] : fallback;
    return count === undefined ? text : text.replace('#', String(count));
  }

  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(new URL('pagefind/pagefind.js', root).href).then(function (module) {
        // Result addresses are the site's paths under its root (a site may live in a folder).
        return Promise.resolve(module.options({ baseUrl: root.pathname, excerptLength: 40 }))
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Only addresses of this site, under its root: anything else Pagefind might hold is left out.
  function here(url) {
    if (typeof url !== 'string') return null;
    var address;
    try {
      address = new URL(url, root);
    } catch (error) {
      return null;
    }
    if (address.origin !== root.origin || address.pathname.indexOf(root.pathname) !== 0) return null;
    return address.href;
  }

  // An excerpt: Pagefind's escaped text with <mark> around the words found, parsed in a detached
  // document (which runs and loads nothing); its text is copied, the marks kept as marks.
  var parser = new DOMParser();
  function excerpt(text) {
    var p = document.createElement('p');
    var body = parser.parseFromString(String(text || ''), 'text/html').body;
    for (var node = body ? body.firstChild : null; node; node = node.nextSibling) {
      if (node.nodeType === 1 && node.nodeName === 'MARK') {
        var mark = document.createElement('mark');
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent || ''));
      }
    }
    return p;
  }

  function element(name, className) {
    var node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  function link(href, heading, title, text, score, page) {
    var a = element('a', 'md-search-result__link');
    a.href = href;
    a.tabIndex = -1;
    var article = element('article', 'md-search-result__article md-typeset' +
                          (page ? ' md-search-result__article--document' : ''));
    article.setAttribute('data-md-score', String(score));
    if (page) article.appendChild(element('div', 'md-search-result__icon md-icon'));
    var h = element(heading);
    h.textContent = String(title || '');
    article.appendChild(h);
    if (text) article.appendChild(excerpt(text));
    a.appendChild(article);
    return a;
  }

  // One page of the results: the page, then its sections that hold the words, as the theme shows them.
  function item(data, score) {
    var href = here(data.url);
    if (!href) return null;
    var title = (data.meta && data.meta.title) || data.url;
    var sections = [];
    var top = null;
    var subs = Array.isArray(data.sub_results) ? data.sub_results : [];
    for (var i = 0; i < subs.length; i++) {
      var sub = subs[i];
      var to = here(sub && sub.url);
      if (!to) continue;
      // The text before the first heading, or under the page's own heading: the page itself.
      if (to === href || (sub.anchor && sub.anchor.element === 'h1')) top = top || sub;
      else sections.push({ href: to, title: sub.title, excerpt: sub.excerpt });
    }
    var li = element('li', 'md-search-result__item');
    li.appendChild(link(href, 'h1', title, top ? top.excerpt : (sections.length ? '' : data.excerpt), score, true));
    var more = sections.length > SECTIONS ? element('details', 'md-search-result__more') : null;
    if (more) {
      var summary = element('summary');
      summary.tabIndex = -1;
      var label = element('div');
      var rest = sections.length - SECTIONS;
      label.textContent = rest === 1 ? say('search.result.more.one', '1 more on this page')
        : say('search.result.more.other', '# more on this page', rest);
      summary.appendChild(label);
      more.appendChild(summary);
    }
    for (var j = 0; j < sections.length; j++) {
      var section = link(sections[j].href, 'h2', sections[j].title, sections[j].excerpt, score - (j + 1) / 1000);
      (more && j >= SECTIONS ? more : li).appendChild(section);
    }
    if (more) li.appendChild(more);
    return li;
  }

  var query = '';     // the query last asked for
  var asked = 0;      // counts queries; an answer to an older one is dropped
  var found = [];     // Pagefind's results of the current query
  var shown = 0;      // how many of them are in the list
  var waiting = 0;
  var end = null;     // the list's last item, watched to show more when it scrolls into view
  var watcher = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) next(asked);
  }, { root: output.closest('.md-search__scrollwrap') }) : null;

  function idle() {
    found = [];
    shown = 0;
    list.replaceChildren();
    meta.textContent = say('search.result.placeholder', 'Type to start searching');
  }

  function count(n) {
    if (n === 0) return say('search.result.none', 'No matching documents');
    return n === 1 ? say('search.result.one', '1 matching document') : say('search.result.other', '# matching documents', n);
  }

  // The next results: their texts fetched together, each put in the list, in order, as soon as it
  // and those before it have come (the first result shows before the tenth has arrived); the
  // count is said once the batch is in.
  var busy = false;
  function next(n) {
    if (busy || n !== asked || shown >= found.length) return Promise.resolve();
    busy = true;
    var first = shown === 0;
    var batch = found.slice(shown, shown + PAGE);
    var score = found.length - shown;
    var cleared = !first;   // the previous query's results stay until this one's first arrives
    var chain = Promise.resolve();
    batch.map(function (r) { return r.data(); }).forEach(function (pending, i) {
      chain = chain.then(function () { return pending; }).then(function (data) {
        if (n !== asked) return;
        if (!cleared) {
          list.replaceChildren();
          cleared = true;
        }
        var li = item(data, score - i);
        if (li) list.appendChild(li);
      });
    });
    return chain.then(function () {
      busy = false;
      if (n !== asked) return;
      if (!cleared) list.replaceChildren();
      if (first) meta.textContent = count(found.length);
      if (end && watcher) watcher.unobserve(end);
      shown += batch.length;
      end = list.lastElementChild;
      if (end && watcher && shown < found.length) watcher.observe(end);
    }, function () { busy = false; });
  }

  // The words searched: Pagefind finds every word that begins with a word of the query, so a
  // one-letter word ("a", "I") would find half the site; it is left out unless it is all there is.
  function terms(text) {
    var words = text.split(/\s+/).filter(function (w) { return w.length > 1; });
    return words.length ? words.join(' ') : text;
  }

  function search(text) {
    var n = ++asked;
    pagefind().then(function (module) {
      return module.search(terms(text));
    }).then(function (answer) {
      if (n !== asked || !answer) return;
      found = Array.isArray(answer.results) ? answer.results : [];
      shown = 0;
      if (!found.length) {
        list.replaceChildren();
        meta.textContent = count(0);
        return;
      }
      next(n);
    }, function () {
      if (n === asked) meta.textContent = say('search.result.none', 'No matching documents');
    });
  }

  function changed() {
    var text = box.value.trim();
    if (text === query) return;
    query = text;
    clearTimeout(waiting);
    if (!text) {
      asked++;
      idle();
      return;
    }
    // While typing pauses, Pagefind fetches the parts of the index the words so far need.
    pagefind().then(function (module) {
      if (typeof module.preload === 'function' && query === text) return module.preload(terms(text));
    }).catch(function () {});
    waiting = setTimeout(function () { search(text); }, PAUSE);
  }

  idle();
  box.addEventListener('input', changed);
  box.addEventListener('keyup', changed);
  // Loading starts when the reader goes to the box, while they type.
  box.addEventListener('focus', function () { pagefind().catch(function () {}); });
  if (box.form) {
    box.form.addEventListener('reset', function () { setTimeout(changed, 0); });
  }

  // An address with ?q= opens the search with that query, as the theme does.
  var asked_for = new URLSearchParams(location.search).get('q');
  if (asked_for) {
    var toggle = document.getElementById('__search');
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event('change'));
    }
    box.value = asked_for;
    query = asked_for.trim();
    search(query);
  }
}());

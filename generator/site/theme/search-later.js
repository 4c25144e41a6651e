/* Sales playbook: the search index is fetched when the reader first goes to search, not on every
   page. The theme fetches search/search_index.json as soon as a page loads, which for a large
   playbook is megabytes a phone must download before it can do anything else. Inlined before the
   theme's script, this holds that one request until the search box is focused or pointed at, or
   the address asks for a search (?q=); every other request goes out as it is. Opened from file://
   the theme loads the index as a script, which this leaves alone. With the plugin's
   `search: pagefind` (data-pb-search="pagefind" on this script) the request is held for good:
   Pagefind answers the box (pagefind-search.js), and the theme's index is never downloaded. */
(function () {
  'use strict';
  var fetch = window.fetch;
  if (location.protocol === 'file:') return;
  var script = document.currentScript;
  var never = Boolean(script && script.getAttribute('data-pb-search') === 'pagefind');
  var release = null;
  var wanted = new Promise(function (resolve) { release = resolve; });
  function want() {
    if (release && !never) {
      release();
      release = null;
    }
  }
  function near(event) {
    var target = event.target;
    if (target && target.closest && target.closest('.md-search, label[for="__search"]')) want();
  }
  document.addEventListener('focusin', near, true);
  document.addEventListener('pointerover', near, true);
  document.addEventListener('pointerdown', near, true);
  if (/[?&]q=/.test(location.search)) want();
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  // The theme asks for it with XMLHttpRequest; fetch() is covered too, should it ever use that.
  var XHR = window.XMLHttpRequest;
  if (XHR && XHR.prototype) {
    var open = XHR.prototype.open;
    var send = XHR.prototype.send;
    var later = new WeakSet();
    XHR.prototype.open = function (method, url) {
      if (release && INDEX.test(String(url))) later.add(this);
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      var request = this;
      var args = arguments;
      if (later.has(request)) {
        later.delete(request);
        if (release) {
          wanted.then(function () { send.apply(request, args); });
          return undefined;
        }
      }
      return send.apply(request, args);
    };
  }
  if (typeof fetch === 'function') {
    window.fetch = function (input, init) {
      var url = typeof Request !== 'undefined' && input instanceof Request ? input.url : String(input);
      if (release && INDEX.test(url)) return wanted.then(function () { return fetch.call(window, input, init); });
      return fetch.call(window, input, init);
    };
  }
}());

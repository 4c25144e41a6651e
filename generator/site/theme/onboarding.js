/* Sales playbook: the onboarding page's checklist and self-check.
   The checklist's ticks are kept in this browser (localStorage), under a key with the site's
   path, so two playbooks on one host keep their own. The self-check's pool of questions is in
   the page, with the answers (data-pb-correct): it is a check for the reader, not a test. Each
   attempt draws a set from the pool and puts each question's options in a new random order, so
   where the right answer sits tells nothing. Texts are set with textContent only. */
(function () {
  'use strict';

  // The same mark playbook.js sets: the CSS shows the checkboxes and buttons only with a script.
  document.documentElement.classList.add('pb-js');

  const done = new WeakSet(); // elements already set up (DOMContentLoaded and document$ may both run)

  // ---- Checklist -----------------------------------------------------------------------------

  // localStorage may be missing or refuse (private windows, storage turned off): then the ticks
  // simply last as long as the page.
  function load(key) {
    try {
      const value = JSON.parse(window.localStorage.getItem(key) || '[]');
      return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
    } catch (_) {
      return [];
    }
  }

  function save(key, steps) {
    try {
      if (steps.length) window.localStorage.setItem(key, JSON.stringify(steps));
      else window.localStorage.removeItem(key);
    } catch (_) { /* not kept: see load() */ }
  }

  function initChecklist(box) {
    if (done.has(box)) return;
    done.add(box);
    const boxes = Array.from(document.querySelectorAll('input[type="checkbox"][data-pb-step]'));
    const progress = box.querySelector('[data-pb-progress]');
    const reset = box.querySelector('[data-pb-reset]');
    // The site's root as this page links to it: its path tells this playbook from another.
    let site = '/';
    try {
      site = new URL(box.getAttribute('data-site') || '', location.href).pathname;
    } catch (_) { /* keep '/' */ }
    const key = `pb-onboarding:${site}`;

    function update() {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.getAttribute('data-pb-step'));
      if (progress) progress.textContent = `${ticked.length} of ${boxes.length} done`;
      if (reset) reset.disabled = ticked.length === 0;
      return ticked;
    }

    const saved = new Set(load(key));
    for (const b of boxes) {
      b.checked = saved.has(b.getAttribute('data-pb-step'));
      b.addEventListener('change', () => save(key, update()));
    }
    if (reset) {
      reset.addEventListener('click', () => {
        for (const b of boxes) b.checked = false;
        save(key, update());
      });
    }
    update();
  }

  // ---- Self-check ------------------------------------------------------------------------------

  // A random whole number below n, from the browser's cryptographic generator where there is one
  // (without modulo bias), so that no position is favoured.
  function below(n) {
    if (window.crypto && typeof window.crypto.getRandomValues === 'function') {
      const limit = Math.floor(0x100000000 / n) * n;
      const word = new Uint32Array(1);
      do window.crypto.getRandomValues(word); while (word[0] >= limit);
      return word[0] % n;
    }
    return Math.floor(Math.random() * n);
  }

  // A new array with the items in a random order (Fisher-Yates).
  function shuffle(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = below(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // The pool as the page writes it (one item per question, its options, the right one marked,
  // why, and the entry to read), read as text: nothing of it is ever parsed as HTML.
  function readPool(list) {
    const pool = [];
    for (const item of list.querySelectorAll('[data-pb-item]')) {
      const topic = item.querySelector('a[data-pb-topic]');
      const options = Array.from(item.querySelectorAll('[data-pb-option]'))
        .map((o) => ({ text: text(o), correct: o.hasAttribute('data-pb-correct') }));
      if (options.filter((o) => o.correct).length !== 1 || !topic) continue;
      pool.push({
        prompt: text(item.querySelector('[data-pb-prompt]')),
        options,
        why: text(item.querySelector('[data-pb-why]')),
        topic: { text: text(topic), href: topic.getAttribute('href') || '' },
      });
    }
    return pool;
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function initQuiz(quiz) {
    if (done.has(quiz)) return;
    const list = quiz.querySelector('[data-pb-pool]');
    const drawn = quiz.querySelector('[data-pb-drawn]');
    if (!list || !drawn) return;
    done.add(quiz);
    const pool = readPool(list);
    const size = Math.min(pool.length, Number(quiz.getAttribute('data-pb-draw')) || 8);
    const check = quiz.querySelector('[data-pb-check]');
    const again = quiz.querySelector('[data-pb-again]');
    const score = quiz.querySelector('[data-pb-score]');
    const missed = quiz.querySelector('[data-pb-missed]');
    let attempt = 0;
    let current = []; // [{ question, fieldset, inputs, correct }]

    function link(topic) {
      const a = element('a', '', topic.text);
      a.setAttribute('href', topic.href);
      return a;
    }

    // A new attempt: SIZE questions drawn from the pool, each with its options in a new order.
    function draw() {
      attempt += 1;
      drawn.replaceChildren();
      current = shuffle(pool).slice(0, size).map((question, index) => {
        const fieldset = element('fieldset', 'pb-question');
        fieldset.setAttribute('data-pb-question', '');
        const legend = element('legend', 'pb-question__text');
        legend.append(element('span', 'pb-question__number', `${index + 1}.`), ` ${question.prompt}`);
        fieldset.append(legend);
        const inputs = [];
        let correct = null;
        shuffle(question.options).forEach((option, position) => {
          const label = element('label', 'pb-option');
          const input = element('input');
          input.type = 'radio';
          input.name = `pb-q${attempt}-${index + 1}`;
          input.value = String(position + 1);
          if (option.correct) {
            input.setAttribute('data-pb-correct', '');
            correct = input;
          }
          label.append(input, ' ', element('span', 'pb-option__text', option.text));
          fieldset.append(label);
          inputs.push(input);
        });
        const result = element('p', 'pb-question__result');
        result.setAttribute('data-pb-result', '');
        result.hidden = true;
        const verdict = element('strong');
        verdict.setAttribute('data-pb-verdict', '');
        result.append(verdict, ' ', element('span', '', question.why), ' Read: ', link(question.topic));
        fieldset.append(result);
        drawn.append(fieldset);
        return { question, fieldset, inputs, correct, result, verdict };
      });
      if (score) score.textContent = '';
      if (missed) {
        missed.replaceChildren();
        missed.hidden = true;
      }
    }

    function mark() {
      let right = 0;
      const topics = new Map(); // href -> topic, in the order the questions came
      for (const item of current) {
        const chosen = item.inputs.find((input) => input.checked) || null;
        const ok = Boolean(chosen && chosen === item.correct);
        if (ok) right += 1;
        else if (!topics.has(item.question.topic.href)) topics.set(item.question.topic.href, item.question.topic);
        item.fieldset.classList.toggle('pb-question--right', ok);
        item.fieldset.classList.toggle('pb-question--wrong', !ok);
        for (const input of item.inputs) {
          const option = input.closest('.pb-option');
          option.classList.toggle('pb-option--answer', input === item.correct);
          option.classList.toggle('pb-option--wrong', input === chosen && !ok);
        }
        const answer = item.correct ? text(item.correct.closest('label')) : '';
        item.verdict.textContent = ok ? 'Right.' : `${chosen ? 'Not quite' : 'Not answered'}: the answer is “${answer}”.`;
        item.result.hidden = false;
      }
      if (score) score.textContent = `${right} of ${current.length} right`;
      if (missed) {
        missed.replaceChildren();
        if (topics.size) {
          missed.append(element('p', '', 'To read again:'));
          const ul = element('ul');
          for (const topic of topics.values()) {
            const li = element('li');
            li.append(link(topic));
            ul.append(li);
          }
          missed.append(ul);
        } else {
          missed.append(element('p', '', 'Every answer right. Try a new set.'));
        }
        missed.hidden = false;
      }
    }

    // Changing an answer after a check clears that question's verdict until the next check.
    drawn.addEventListener('change', (event) => {
      const fieldset = event.target instanceof Element && event.target.closest('[data-pb-question]');
      if (!fieldset || !(fieldset.classList.contains('pb-question--right') || fieldset.classList.contains('pb-question--wrong'))) return;
      fieldset.classList.remove('pb-question--right', 'pb-question--wrong');
      for (const option of fieldset.querySelectorAll('.pb-option')) option.classList.remove('pb-option--answer', 'pb-option--wrong');
      const result = fieldset.querySelector('[data-pb-result]');
      if (result) result.hidden = true;
      if (score) score.textContent = '';
    });
    if (check) check.addEventListener('click', mark);
    if (again) again.addEventListener('click', draw);
    // With the script, the drawn set replaces the list of every question and its answer.
    list.hidden = true;
    draw();
  }

  // ---- Start -------------------------------------------------------------------------------

  function init() {
    document.querySelectorAll('[data-pb-checklist]').forEach(initChecklist);
    document.querySelectorAll('[data-pb-quiz]').forEach(initQuiz);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  // Material's page observable, should instant navigation ever be turned on (init is idempotent).
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
})();

/* Sales playbook: the onboarding page's checklist, programmes and self-check.
   The checklist's and the programmes' ticks, and the self-check's last scores, are kept in this
   browser (localStorage), under keys with the site's path, so two playbooks on one host keep
   their own. There is no server: each programme writes its progress as a short text that the
   new hire copies and sends to their manager. The self-check's pool of questions is in
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

  // The site's root as this page links to it (the checklist's data-site): its path tells this
  // playbook from another on the same host.
  function sitePath() {
    const box = document.querySelector('[data-pb-checklist]');
    try {
      return new URL((box && box.getAttribute('data-site')) || '', location.href).pathname;
    } catch (_) {
      return '/';
    }
  }

  // Tells the programmes that a tick or a score changed.
  const listeners = [];
  function changed() { for (const listener of listeners) listener(); }

  function initChecklist(box) {
    if (done.has(box)) return;
    done.add(box);
    const boxes = Array.from(document.querySelectorAll('input[type="checkbox"][data-pb-step]'));
    const progress = box.querySelector('[data-pb-progress]');
    const reset = box.querySelector('[data-pb-reset]');
    const key = `pb-onboarding:${sitePath()}`;

    function update() {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.getAttribute('data-pb-step'));
      if (progress) progress.textContent = `${ticked.length} of ${boxes.length} done`;
      if (reset) reset.disabled = ticked.length === 0;
      return ticked;
    }

    const saved = new Set(load(key));
    for (const b of boxes) {
      b.checked = saved.has(b.getAttribute('data-pb-step'));
      b.addEventListener('change', () => { save(key, update()); changed(); });
    }
    if (reset) {
      reset.addEventListener('click', () => {
        for (const b of boxes) b.checked = false;
        save(key, update());
        changed();
      });
    }
    update();
  }

  // ---- Programmes by role ---------------------------------------------------------------------

  const MAX_SCORES = 50; // the self-check's last attempts kept

  function loadScores() {
    try {
      const value = JSON.parse(window.localStorage.getItem(`pb-self-check:${sitePath()}`) || '[]');
      return Array.isArray(value) ? value.filter((s) => s && Number.isInteger(s.right) && Number.isInteger(s.total) &&
        s.total > 0 && s.right >= 0 && s.right <= s.total && typeof s.date === 'string').slice(-MAX_SCORES) : [];
    } catch (_) {
      return [];
    }
  }

  function saveScore(right, total) {
    const scores = loadScores();
    scores.push({ right, total, date: today() });
    try {
      window.localStorage.setItem(`pb-self-check:${sitePath()}`, JSON.stringify(scores.slice(-MAX_SCORES)));
    } catch (_) { /* not kept */ }
    changed();
  }

  // The reader's own date, as 2026-12-06.
  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  // What a step reads, as its line names it ("Handoff: Marketing hands an MQL to …"): the line up
  // to its reading time.
  function stepName(input) {
    const item = input.closest('li');
    return item ? item.textContent.split(', about ')[0].replace(/\s+/g, ' ').trim() : '';
  }

  function initPlan(plan) {
    if (done.has(plan)) return;
    done.add(plan);
    const role = plan.getAttribute('data-pb-plan') || '';
    // The plan's steps: the page's checkboxes whose key starts with this role's id.
    const section = plan.closest('article') || document;
    const inputs = Array.from(section.querySelectorAll('input[type="checkbox"][data-pb-plan-step]'))
      .filter((input) => (input.getAttribute('data-pb-plan-step') || '').startsWith(`${role}:`));
    const progress = plan.querySelector('[data-pb-plan-progress]');
    const report = plan.querySelector('[data-pb-plan-report]');
    const out = plan.querySelector('[data-pb-plan-text]');
    const roleName = text(plan.querySelector('[data-pb-role-name]'));
    const siteName = text(plan.querySelector('[data-pb-site-name]'));
    const key = `pb-programme:${sitePath()}`;

    function ticked() { return inputs.filter((input) => input.checked); }

    function summary() {
      const lines = [`Onboarding progress: ${roleName}`, `${siteName}, ${today()}`];
      const checklist = Array.from(document.querySelectorAll('input[type="checkbox"][data-pb-step]'));
      if (checklist.length) lines.push(`Start here: ${checklist.filter((b) => b.checked).length} of ${checklist.length} steps done`);
      lines.push(`Programme: ${ticked().length} of ${inputs.length} steps done`);
      const days = new Map();
      for (const input of inputs) {
        const day = input.getAttribute('data-pb-plan-day') || '1';
        if (!days.has(day)) days.set(day, []);
        days.get(day).push(input);
      }
      for (const [day, steps] of days) {
        const left = steps.filter((input) => !input.checked);
        if (!left.length) lines.push(`  Day ${day}: done`);
        else if (left.length === steps.length) lines.push(`  Day ${day}: not started`);
        else lines.push(`  Day ${day}: ${steps.length - left.length} of ${steps.length} done; next: ${stepName(left[0])}`);
      }
      const scores = loadScores();
      if (scores.length) {
        const last = scores[scores.length - 1];
        const best = scores.reduce((a, b) => (b.right / b.total > a.right / a.total ? b : a));
        lines.push(`Self-check: last ${last.right} of ${last.total} (${last.date}); best ${best.right} of ${best.total}; ` +
          `${scores.length} attempt${scores.length === 1 ? '' : 's'}`);
      } else {
        lines.push('Self-check: not taken yet');
      }
      return lines.join('\n');
    }

    function update() {
      const n = ticked().length;
      if (progress) progress.textContent = `${n} of ${inputs.length} steps done`;
      if (out) out.textContent = summary();
      if (report) report.hidden = false;
    }

    const saved = new Set(load(key));
    for (const input of inputs) {
      input.checked = saved.has(input.getAttribute('data-pb-plan-step'));
      input.addEventListener('change', () => {
        const all = new Set(load(key));
        if (input.checked) all.add(input.getAttribute('data-pb-plan-step'));
        else all.delete(input.getAttribute('data-pb-plan-step'));
        save(key, Array.from(all).slice(-2000));
        update();
      });
    }
    listeners.push(update);
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
      saveScore(right, current.length);
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
    document.querySelectorAll('[data-pb-plan]').forEach(initPlan);
    document.querySelectorAll('[data-pb-quiz]').forEach(initQuiz);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  // Material's page observable, should instant navigation ever be turned on (init is idempotent).
  if (window.document$ && typeof window.document$.subscribe === 'function') window.document$.subscribe(init);
})();

/* Sales playbook: the onboarding page's checklist and self-check.
   The checklist's ticks are kept in this browser (localStorage), under a key with the site's
   path, so two playbooks on one host keep their own. The self-check's answers are in the page
   (data-pb-correct): it is a check for the reader, not a test. Texts are set with textContent
   only. */
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

  function initQuiz(quiz) {
    if (done.has(quiz)) return;
    done.add(quiz);
    const questions = Array.from(quiz.querySelectorAll('[data-pb-question]'));
    const check = quiz.querySelector('[data-pb-check]');
    const score = quiz.querySelector('[data-pb-score]');

    function label(input) {
      const text = input && input.closest('label') && input.closest('label').querySelector('.pb-option__text');
      return text ? text.textContent.trim() : '';
    }

    function mark() {
      let right = 0;
      for (const question of questions) {
        const chosen = question.querySelector('input[type="radio"]:checked');
        const correct = question.querySelector('input[type="radio"][data-pb-correct]');
        const ok = Boolean(chosen && chosen === correct);
        if (ok) right += 1;
        question.classList.toggle('pb-question--right', ok);
        question.classList.toggle('pb-question--wrong', !ok);
        for (const option of question.querySelectorAll('.pb-option')) {
          const input = option.querySelector('input');
          option.classList.toggle('pb-option--answer', input === correct);
          option.classList.toggle('pb-option--wrong', input === chosen && !ok);
        }
        const result = question.querySelector('[data-pb-result]');
        const verdict = question.querySelector('[data-pb-verdict]');
        if (verdict) {
          verdict.textContent = ok ? 'Right.'
            : `${chosen ? 'Not quite' : 'Not answered'}: the answer is “${label(correct)}”`;
        }
        if (result) result.hidden = false;
      }
      if (score) score.textContent = `${right} of ${questions.length} right`;
    }

    // Changing an answer after a check clears that question's verdict until the next check.
    quiz.addEventListener('change', (event) => {
      const question = event.target instanceof Element && event.target.closest('[data-pb-question]');
      if (!question || !(question.classList.contains('pb-question--right') || question.classList.contains('pb-question--wrong'))) return;
      question.classList.remove('pb-question--right', 'pb-question--wrong');
      for (const option of question.querySelectorAll('.pb-option')) option.classList.remove('pb-option--answer', 'pb-option--wrong');
      const result = question.querySelector('[data-pb-result]');
      if (result) result.hidden = true;
      if (score) score.textContent = '';
    });
    if (check) check.addEventListener('click', mark);
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

"""The self-check on Start here measures understanding: a pool of at least 30 questions that apply
a rule of the playbook to a case, each answer checked here against the YAML itself; in the
browser a new set each attempt with the options in a random order, so that always choosing the
first option scores about chance; the score, and the topics missed linked to where to read."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import REPO
from playwright.sync_api import Browser, Page, expect

from generator.model.build import build_playbook
from generator.model.playbook import Playbook
from generator.rules.values import expand
from generator.site.pages.self_check import DRAW, POOL, pool

pytest_plugins = ["browser_fixtures"]  # serve, browser, default_url

# Chi-square critical values at p = 0.001, by degrees of freedom (options - 1).
CHI2_CRITICAL = {1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52}
KINDS = {"case", "goes-to", "escalation", "owner", "speed", "stands-for", "objection", "exit"}


@pytest.fixture(scope="module")
def default_playbook() -> Playbook:
    return build_playbook(REPO / "playbook", REPO / "docs")


def _entries(folder: str) -> dict[str, dict[str, Any]]:
    """Every YAML file of a folder of the default playbook, by its id."""
    found = {}
    for path in sorted((REPO / "playbook" / folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = data
    return found


def _words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _pool_in_page(markup: str) -> list[dict[str, Any]]:
    """Each question of the pool as the built page writes it: kind, prompt, options (text,
    right), and the link to read."""
    found = []
    for block in re.findall(r'<li class="pb-pool__question"(.*?)</details>', markup, re.S):
        kind = re.search(r'data-pb-kind="([^"]+)"', block)
        prompt = re.search(r"<span[^>]*data-pb-prompt>(.*?)</span>", block, re.S)
        link = re.search(r'<a data-pb-topic href="([^"]+)">', block)
        assert kind and prompt and link, block
        options = [(_words(text), " data-pb-correct" in attrs)
                   for attrs, text in re.findall(r"<li data-pb-option([^>]*)>(.*?)</li>", block, re.S)]
        found.append({"kind": kind.group(1), "prompt": _words(prompt.group(1)), "options": options,
                      "href": html.unescape(link.group(1))})
    return found


@pytest.fixture(scope="module")
def built_pool(default_site: Path) -> list[dict[str, Any]]:
    return _pool_in_page((default_site / "start-here" / "index.html").read_text(encoding="utf-8"))


def test_each_answer_shown_ends_its_sentence_once(default_site: Path) -> None:
    """An answer written as a sentence ("... within 1 business day.") is not given a second full
    stop; one written as a name or a phrase gets one."""
    markup = (default_site / "start-here" / "index.html").read_text(encoding="utf-8")
    shown = [_words(p) for p in re.findall(r'<details class="pb-pool__answer"><summary>The answer</summary><p>(.*?)'
                                            r"<span data-pb-why>", markup, re.S)]
    assert len(shown) >= 30
    assert not [s for s in shown if re.search(r"[.!?]\W*\.$", s)], [s for s in shown if s.endswith("..")]
    assert all(s.endswith((".", "?", "!", '."', ".\u201d")) for s in shown), shown
    assert any(s.endswith("day.") for s in shown) and any(not s.endswith("day.") for s in shown)


# From the data ---------------------------------------------------------------------------------


def test_the_pool_has_thirty_distinct_questions_and_no_more_than_the_cap(default_playbook: Playbook,
                                                                        built_pool: list[dict[str, Any]]) -> None:
    questions = pool(default_playbook)
    assert 30 <= len(questions) <= POOL and len(built_pool) == len(questions)
    assert len({q["prompt"].casefold() for q in built_pool}) == len(built_pool)
    for q in built_pool:
        texts = [text.casefold() for text, _ in q["options"]]
        assert 2 <= len(texts) <= 4 and len(set(texts)) == len(texts), q
        assert sum(right for _, right in q["options"]) == 1, q
    # Every kind the default playbook supports is in the pool; none says which option is first.
    assert {q["kind"] for q in built_pool} == KINDS
    # A bigger playbook does not make a bigger page: the pool stops at the cap.
    assert len(pool(default_playbook, size=10_000)) > POOL
    assert pool(default_playbook) == pool(default_playbook)


def test_every_answer_is_the_one_the_yaml_gives(default_playbook: Playbook, built_pool: list[dict[str, Any]]) -> None:
    values = default_playbook.values

    def clean(text: object) -> str:
        return " ".join(expand(str(text), values).split())

    states, handoffs, terms = _entries("lifecycle"), _entries("handoffs"), _entries("terms")
    personas, stages = _entries("personas"), _entries("stages")
    settings = yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))
    units = {"business-hours": "business hour", "business-days": "business day", "hours": "hour", "days": "day"}

    def quoted(prompt: str, texts: list[str]) -> list[str]:
        return [t for t in texts if f"“{clean(t)}”" in prompt]

    checked: set[str] = set()
    for q in built_pool:
        prompt, kind = q["prompt"], q["kind"]
        right = next(text for text, ok in q["options"] if ok)
        wrong = [text for text, ok in q["options"] if not ok]
        link = urlsplit(q["href"])
        entry = link.fragment or link.path.rstrip("/").rsplit("/", 1)[-1]
        if kind == "case":
            state = states[entry]
            required, not_enough = quoted(prompt, state["qualifies"]), quoted(prompt, state["does_not_qualify"])
            assert len(required) + len(not_enough) == 1, q
            assert clean(state["name"]) in prompt
            assert right.startswith("Required" if required else "Not enough"), q
        elif kind == "goes-to":
            reasons = handoffs[entry]["rejection_reasons"] if entry in handoffs else states[entry]["exit_reasons"]
            # A reason is named by its id on an agreed list in playbook.yaml: the prompt quotes its text.
            agreed = {r["id"]: r["text"] for group in settings.get("reasons") or () for r in group["reasons"]}
            matches = [r for r in reasons if f"“{clean(agreed.get(r['reason'], r['reason']))}”" in prompt]
            assert len({r["goes_to"] for r in matches}) == 1, q
            assert right == clean(states[matches[0]["goes_to"]]["name"])
            assert all(text in {clean(s["name"]) for s in states.values()} for text in wrong)
        elif kind == "escalation":
            handoff = handoffs[entry]
            assert clean(handoff["name"]) in prompt and right == clean(handoff["escalation"]["action"])
        elif kind == "owner":
            state = states[entry]
            assert clean(state["name"]) in prompt and right == settings["teams"][state["owner"]]["name"]
        elif kind == "speed":
            level = handoffs[entry]["service_level"]
            unit = units[level["unit"]]
            assert clean(handoffs[entry]["name"]) in prompt
            assert right == f"{level['within']} {unit}{'' if level['within'] == 1 else 's'}"
        elif kind == "stands-for":
            term = terms[entry]
            assert f" {term['abbreviation']}. " in prompt and right == clean(term["name"])
        elif kind == "objection":
            said = quoted(prompt, [o["objection"] for o in personas[entry]["objections"]])
            assert len(said) == 1 and right == clean(personas[entry]["name"]), q
            others = {clean(p["name"]) for id, p in personas.items()
                      if id != entry and quoted(prompt, [o["objection"] for o in p["objections"]])}
            assert not others & set(wrong)
        else:
            assert kind == "exit", q
            stage = stages[entry]
            assert len(quoted(prompt, stage["exit_criteria"])) == 1 and right == clean(stage["name"]), q
            assert not {clean(s["name"]) for id, s in stages.items()
                        if id != entry and quoted(prompt, s["exit_criteria"])} & set(wrong)
        checked.add(kind)
    assert checked == KINDS


# In the browser -------------------------------------------------------------------------------

# Draws n new sets in the page, through its own "New questions" button; for each drawn question:
# the right answer's position, how many options, and the question's text.
DRAWS = """(n) => {
  const again = document.querySelector('[data-pb-again]');
  const out = [];
  for (let i = 0; i < n; i += 1) {
    again.click();
    out.push(Array.from(document.querySelectorAll('[data-pb-drawn] [data-pb-question]')).map((q) => {
      const inputs = Array.from(q.querySelectorAll('input[type="radio"]'));
      return [inputs.findIndex((input) => input.hasAttribute('data-pb-correct')), inputs.length,
              q.querySelector('legend').textContent];
    }));
  }
  return out;
}"""

# A new hire who always picks the first option, n times: the score and what chance would give.
FIRST_OPTION = """(n) => {
  const again = document.querySelector('[data-pb-again]');
  const check = document.querySelector('[data-pb-check]');
  const out = [];
  for (let i = 0; i < n; i += 1) {
    again.click();
    let chance = 0;
    for (const q of document.querySelectorAll('[data-pb-drawn] [data-pb-question]')) {
      const inputs = q.querySelectorAll('input[type="radio"]');
      chance += 1 / inputs.length;
      inputs[0].click();
    }
    check.click();
    const score = document.querySelector('[data-pb-score]').textContent.match(/^(\\d+) of (\\d+) right$/);
    out.push([Number(score[1]), Number(score[2]), chance]);
  }
  return out;
}"""


def _open(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(url + "start-here/")
    return page, problems


def test_the_right_answer_is_anywhere_and_each_attempt_draws_a_new_set(browser: Browser, default_url: str,
                                                                       built_pool: list[dict[str, Any]]) -> None:
    page, problems = _open(browser, default_url)
    expect(page.locator("[data-pb-pool]")).to_be_hidden()
    draws: list[list[list[Any]]] = page.evaluate(DRAWS, 1000)
    assert len(draws) == 1000 and all(len(d) == min(DRAW, len(built_pool)) for d in draws)
    counts: dict[int, list[int]] = {}
    for drawn in draws:
        for position, options, _ in drawn:
            counts.setdefault(options, [0] * options)[position] += 1
    spread = {}
    for options, seen in counts.items():
        total = sum(seen)
        expected = total / options
        chi2 = sum((n - expected) ** 2 / expected for n in seen)
        spread[options] = [round(n / total, 3) for n in seen]
        assert chi2 < CHI2_CRITICAL[options - 1], (options, seen, chi2)
        assert all(abs(n / total - 1 / options) < 0.05 for n in seen), (options, seen)
    print("share of the right answer by position, by number of options:", spread)
    # A new set each attempt, and over many attempts every question of the pool comes up.
    assert len({tuple(sorted(q[2] for q in drawn)) for drawn in draws}) > 990
    asked = {" ".join(q[2].split()[1:]) for drawn in draws for q in drawn}
    assert asked == {q["prompt"] for q in built_pool}
    assert not problems, problems
    page.close()


def test_always_choosing_the_first_option_scores_about_chance(browser: Browser, default_url: str) -> None:
    page, problems = _open(browser, default_url)
    attempts: list[list[float]] = page.evaluate(FIRST_OPTION, 200)
    mean = sum(a[0] for a in attempts) / len(attempts)
    chance = sum(a[2] for a in attempts) / len(attempts)
    print(f"first option: {mean:.2f} of {DRAW} on average; chance {chance:.2f}")
    assert all(a[1] == DRAW for a in attempts)
    assert abs(mean - chance) < 0.4, (mean, chance)
    assert mean / DRAW < 0.45
    assert not problems, problems
    page.close()


def test_right_answers_score_full_marks_and_missed_topics_link_to_the_place_to_read(browser: Browser,
                                                                                    default_url: str) -> None:
    page, problems = _open(browser, default_url)
    questions = page.locator("[data-pb-drawn] [data-pb-question]")
    expect(questions).to_have_count(DRAW)
    for question in questions.all():
        question.locator("input[data-pb-correct]").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("[data-pb-score]")).to_have_text(f"{DRAW} of {DRAW} right")
    expect(page.locator("[data-pb-missed]")).to_have_text("Every answer right. Try a new set.")
    expect(page.locator("[data-pb-drawn] .pb-question--right")).to_have_count(DRAW)

    # A new set: all wrong but one unanswered; every missed topic is listed once, linked.
    page.get_by_role("button", name="New questions").click()
    expect(page.locator("[data-pb-score]")).to_have_text("")
    expect(page.locator("[data-pb-missed]")).to_be_hidden()
    for question in questions.all()[1:]:
        question.locator("input:not([data-pb-correct])").first.check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("[data-pb-score]")).to_have_text(f"0 of {DRAW} right")
    expect(questions.first.locator("[data-pb-verdict]")).to_contain_text("Not answered: the answer is “")
    expect(questions.nth(1).locator("[data-pb-verdict]")).to_contain_text("Not quite: the answer is “")
    topics = [a.get_attribute("href") for a in questions.locator("[data-pb-result] a").all()]
    missed = page.locator("[data-pb-missed] a")
    assert [a.get_attribute("href") for a in missed.all()] == list(dict.fromkeys(topics))
    expect(page.locator("[data-pb-missed]")).to_contain_text("To read again:")
    links = [(a.inner_text(), urljoin(page.url, a.get_attribute("href") or "")) for a in missed.all()]
    # The glossary script leaves the questions alone: a linked abbreviation would give answers away.
    expect(page.locator(".pb-quiz a.pb-term")).to_have_count(0)
    assert not problems, problems
    for name, url in links:
        page.goto(url)
        fragment = urlsplit(url).fragment
        target = page.locator(f"[id='{fragment}']") if fragment else page.locator("h1")
        expect(target).to_have_count(1)
        expect(target).to_contain_text(name)
    page.close()


def test_without_javascript_every_question_shows_with_its_answer(browser: Browser, default_url: str,
                                                                 built_pool: list[dict[str, Any]]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(default_url + "start-here/")
    items = page.locator("[data-pb-pool] [data-pb-item]")
    expect(items).to_have_count(len(built_pool))
    expect(page.locator(".pb-quiz__nojs")).to_be_visible()
    expect(page.locator("[data-pb-check]")).to_be_hidden()
    first = items.first
    expect(first.locator("[data-pb-answer]")).to_be_hidden()
    first.locator("summary").click()
    right = next(text for text, ok in built_pool[0]["options"] if ok)
    expect(first.locator("[data-pb-answer]")).to_have_text(right)
    expect(first.locator("a[data-pb-topic]")).to_be_visible()
    context.close()


def _grown(playbook: Playbook, copies: int) -> Playbook:
    """The playbook with each persona and abbreviated term written `copies` times, each copy with
    its own id, name and objections."""
    from dataclasses import replace

    from generator.model.entities import Objection

    personas = tuple(replace(p, id=f"{p.id}-{n}", name=f"{p.name} {n}", objections=tuple(
        Objection(objection=f"{o.objection} ({n})", response=o.response, internal_notes=(), keywords=())
        for o in p.objections)) for n in range(copies) for p in playbook.personas)
    terms = tuple(replace(t, id=f"{t.id}-{n}", name=f"{t.name} {n}", abbreviation=f"{t.abbreviation}{n}")
                  for n in range(copies) for t in playbook.terms if t.abbreviation)
    return replace(playbook, personas=personas, terms=terms)


def test_the_wrong_options_cost_the_same_for_each_question_however_large_the_playbook(
        default_playbook: Playbook, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site.pages import self_check

    read: list[str] = []
    text = self_check._Maker.text

    def counting(self: Any, value: str) -> str:
        read.append(value)
        return text(self, value)

    monkeypatch.setattr(self_check._Maker, "text", counting)
    costs = {}
    for copies in (20, 40):
        grown = _grown(default_playbook, copies)
        read.clear()
        maker = self_check._Maker(grown)
        objections, abbreviations = maker.objections(), maker.abbreviations()
        asked = len(objections) + len(abbreviations)
        assert asked >= copies * 10
        costs[copies] = len(read) / asked
        names = {p.name for p in grown.personas}
        for question in objections:  # three other personas, never the one who says it
            right = [o.text for o in question.options if o.correct]
            wrong = [o.text for o in question.options if not o.correct]
            assert len(right) == 1 and len(wrong) == 3 and set(wrong) <= names - set(right)
    # Each question reads a few names, not every other persona's or term's: twice the playbook,
    # about the same reads per question (shuffling all of them read 2x as many, 4x in all).
    assert costs[40] < costs[20] * 1.2 and costs[40] < 40, costs

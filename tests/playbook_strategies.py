"""Hypothesis settings for the generated suites, and valid playbooks of random shape.

CI runs a fixed number of examples per suite, derandomized, without shrinking, so every run
tries the same cases in a bounded time. `PLAYBOOK_EXAMPLES=2000 pytest tests/test_mutation.py`
runs that many random examples per generated test instead (new ones each run, shrunk on
failure).
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

settings.register_profile(
    "playbook-ci", derandomize=True, database=None, deadline=None, print_blob=False,
    suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.reuse, Phase.generate))
settings.register_profile(
    "playbook-more", derandomize=False, database=None, deadline=None, print_blob=True,
    suppress_health_check=list(HealthCheck))


def suite_settings(ci_examples: int) -> settings:
    """The settings of one generated test: `ci_examples` fixed examples, or PLAYBOOK_EXAMPLES random ones."""
    more = os.environ.get("PLAYBOOK_EXAMPLES")
    if more:
        return settings(settings.get_profile("playbook-more"), max_examples=int(more))
    return settings(settings.get_profile("playbook-ci"), max_examples=ci_examples)


# Text -----------------------------------------------------------------------------------------

LETTERS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
           "éèçñßøÅœÉÜ"  # Latin
           "αβγδλπσωΔΣΩ"  # Greek
           "абвгджзийклмнпрстуфЖЩЯ"  # Cyrillic
           "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև"  # Armenian, with the ligature 'և'
           "אבגדהוזחטיכלמנסעפצקרשת"  # Hebrew
           "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"  # Arabic
           "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसहिीुूेैोौं"  # Devanagari, with vowel signs
           "一二三四五六七八九十人大小中山川日月水火木金土"  # CJK
           "가나다라마바사아자차카타파하"  # Hangul
           "😀🎉🚀")
DIGITS = "0123456789٠١٢"
PUNCTUATION = "&<>\"'`*_[](){}#|~!:.,;?/\\-+=%$@^"
ALPHABET = LETTERS + DIGITS + PUNCTUATION + "   "
# Every generated text value carries a token made with a letter no other text uses, so each
# value is found on the site only where the generator put it, never by chance.
TOKEN = "\ua66e"

TEAMS = ("sales", "marketing")
# A team besides the two that sign, as a playbook may list any number: it owns assets and personas.
OTHER_TEAM = "customer-success"
ASSET_TYPE_IDS = ["blog-post", "analyst-report", "webinar", "e-book", "explainer-video", "solution-brief", "case-study",
               "one-pager", "deck", "demo-script", "roi-calculator", "discovery-guide", "battle-card",
               "security-pack", "reference-guide", "proposal-template", "pricing-sheet", "mutual-action-plan",
               "email-template", "onboarding-guide", "success-plan", "qbr-deck", "talk-track"]
BUYING_ROLES = ["economic-buyer", "champion", "technical-evaluator", "user", "influencer", "gatekeeper"]
UNITS = ["percent", "count", "days", "hours", "currency", "ratio"]
# The pages a role's reading path can name (playbook.yaml › onboarding › roles › read).
READ_PAGES = ["about", "glossary", "lifecycle", "personas", "assets", "finder", "metrics", "coverage"]


class Styled(str):
    """A text value with the YAML scalar style to write it in (None: PyYAML's choice)."""

    style: str | None = None


def _represent_styled(dumper: yaml.SafeDumper, data: Styled) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=data.style)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Styled, _represent_styled)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value) if isinstance(value, str) else value


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text for data, in the styles asked for where PyYAML writes them faithfully."""
    for dumper in (_Dumper, yaml.SafeDumper):
        text = yaml.dump(_plain(data) if dumper is yaml.SafeDumper else data, Dumper=dumper,
                         allow_unicode=True, sort_keys=False, width=1_000_000)
        if _plain(yaml.safe_load(text)) == _plain(data):
            return text
    raise AssertionError(f"the test's own YAML writer lost data: {data!r}")


def _no_reference(text: str) -> str:
    """Random text that cannot spell a reference to an agreed value: `[[` gets a space between."""
    return re.sub(r"\[(?=\[)", "[ ", text)


@dataclass
class TextMaker:
    """Draws text values: random text around a token unique in the playbook, and in some texts a
    reference to one of the agreed values (`values`, once they are named)."""

    draw: Callable[[st.SearchStrategy[Any]], Any]
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    values: list[str] = field(default_factory=list)

    def __call__(self, paragraphs: bool = False, references: bool = True) -> Styled:
        before = _no_reference(self.draw(st.text(alphabet=ALPHABET, max_size=12)))
        after = _no_reference(self.draw(st.text(alphabet=ALPHABET, max_size=12)))
        value = f"{before}{TOKEN}{next(self.counter)}{TOKEN}{after}"
        if references and self.values and self.draw(st.integers(0, 3)) == 0:
            named = self.draw(st.sampled_from(self.values))
            value = self.draw(st.sampled_from([f"[[{named}]] {value}", f"{value} [[{named}]]",
                                               f"{before}{TOKEN}{next(self.counter)}{TOKEN} [[{named}]] {after}"]))
        if paragraphs and self.draw(st.booleans()):
            more = [_no_reference(m) for m in
                    self.draw(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=20), min_size=1, max_size=3))]
            breaks = self.draw(st.sampled_from(["\n", "\n\n", "\n \n"]))
            value = breaks.join([value, *more])
            if not value.split(breaks)[-1].strip():
                value += "."
        styled = Styled(value)
        styled.style = self.draw(st.sampled_from([None, "|", ">", '"', "'"]))
        return styled

    def items(self, low: int = 1, high: int = 3) -> list[Styled]:
        return [self() for _ in range(self.draw(st.integers(low, high)))]


def _date(draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    day: datetime.date = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
    return day.isoformat()


def _ids(draw: Callable[[st.SearchStrategy[Any]], Any], prefix: str, n: int) -> list[str]:
    words = draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True), min_size=n, max_size=n))
    return [f"{prefix}{i + 1}-{word}" for i, word in enumerate(words)]


def _subset(draw: Callable[[st.SearchStrategy[Any]], Any], items: list[str], low: int = 0) -> list[str]:
    if not items:
        return []
    chosen: list[str] = draw(st.lists(st.sampled_from(items), unique=True, min_size=min(low, len(items)),
                                      max_size=len(items)))
    return chosen


def _link(draw: Callable[[st.SearchStrategy[Any]], Any], docs: dict[str, str]) -> str:
    if draw(st.booleans()):
        host = draw(st.from_regex(r"[a-z]{1,10}", fullmatch=True))
        path = draw(st.from_regex(r"[A-Za-z0-9._~/=?&%-]{0,20}", fullmatch=True))
        return f"https://{host}.example/{path}"
    name = draw(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True))
    relative = f"files/{name}-{len(docs)}.pdf"
    docs[relative] = "a file kept with the playbook\n"
    return relative


class GeneratedPlaybook:
    """Files of a valid playbook (path relative to the playbook folder -> data) and the docs it links to."""

    def __init__(self, files: dict[str, dict[str, Any]], docs: dict[str, str]) -> None:
        self.files = files
        self.docs = docs

    def __repr__(self) -> str:  # what Hypothesis prints for a failing example
        return "GeneratedPlaybook(\n" + "\n".join(f"--- {path}\n{dump_yaml(data)}" for path, data in
                                                 self.files.items()) + f"docs={sorted(self.docs)!r})"


@st.composite
def playbooks(draw: Callable[[st.SearchStrategy[Any]], Any]) -> GeneratedPlaybook:
    """A valid playbook: 1-4 stages, 2-4 lifecycle states with consistent next states and handoffs,
    terms, personas, assets and metrics. The first entry of each kind sets every optional field,
    so every field of every schema is in every example."""
    text = TextMaker(draw)
    files: dict[str, dict[str, Any]] = {}
    docs: dict[str, str] = {}
    # The agreed values: named first, so any text may refer to them; a value names no other.
    # The first is written out on purpose (independent); one more, added once the handoffs and
    # shared goals are made, is taken from one of their number fields.
    value_ids = _ids(draw, "v", draw(st.integers(1, 3)))
    values = [{"id": vid, "value": text(references=False),
               **({"description": text(True)} if i == 0 or draw(st.booleans()) else {}),
               **({"independent": True} if i == 0 else {})}
              for i, vid in enumerate(value_ids)]
    taken_id = f"v{len(value_ids) + 1}-taken"
    text.values = [*value_ids, taken_id]
    # Numbers, and values computed from them with conditions on theirs: every form of `compute`
    # and `holds` (3 + 4 = 7, at least 3, below 3 × 4; 2 days in hours).
    values += [{"id": "n-three", "value": "3 times"}, {"id": "n-four", "value": "4"}, {"id": "n-seven", "value": "7"},
               {"id": "n-days", "value": "2 days"},
               {"id": "n-sum", "compute": {"add": ["n-three", "n-four"]},
                "holds": {"at_least": "n-three", "below": "n-product", "equals": "n-seven"}},
               {"id": "n-product", "compute": {"multiply": ["n-three", "n-four"]}},
               {"id": "n-hours", "compute": {"convert": "n-days", "to": "hours"}}]
    teams: dict[str, dict[str, Any]] = {
        team: {"name": text(), "leader": text(), "description": text(True), "members": text.items(),
               "reviewers": draw(st.lists(st.from_regex(r"@[a-z][a-z0-9-]{0,8}(/[a-z][a-z0-9._-]{0,8})?",
                                                        fullmatch=True), min_size=1, max_size=3, unique=True)),
               "people": [{"name": text(references=False), "role": text(), "handle": f"@{team}-{n}"}
                          for n in range(draw(st.integers(1, 2)))]}
        for team in (*TEAMS, OTHER_TEAM)}
    # Only a person listed for a team signs for it, on a day that has come.
    def agreed() -> dict[str, Any]:
        return {"sales": draw(st.sampled_from([p["name"] for p in teams["sales"]["people"]])),
                "marketing": draw(st.sampled_from([p["name"] for p in teams["marketing"]["people"]])),
                "date": draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2026, 11, 23))).isoformat()}
    files["playbook.yaml"] = {"site_name": text(), "company": {"name": text(), "description": text(True)},
                              "product": {"name": text(), "description": text(True)}, "teams": teams,
                              "signatories": list(TEAMS),
                              "introduction": text(True), "updated": _date(draw), "values": values,
                              "maintainers": ["@acme/playbook-maintainers"]}

    stage_ids = _ids(draw, "s", draw(st.integers(1, 4)))
    state_ids = _ids(draw, "l", draw(st.integers(2, 4)))
    term_ids = _ids(draw, "t", draw(st.integers(2, 4)))
    group_ids = _ids(draw, "g", draw(st.integers(1, 3)))
    files["playbook.yaml"]["glossary_groups"] = [
        {"id": gid, "name": text(), **({"description": text(True)} if i == 0 or draw(st.booleans()) else {})}
        for i, gid in enumerate(group_ids)]
    persona_ids = _ids(draw, "p", draw(st.integers(1, 3)))
    asset_ids = _ids(draw, "a", draw(st.integers(1, 3)))
    metric_ids = _ids(draw, "m", draw(st.integers(1, 3)))

    orders = draw(st.lists(st.integers(1, 999), unique=True, min_size=len(stage_ids), max_size=len(stage_ids)))
    for i, (sid, order) in enumerate(zip(stage_ids, orders, strict=True)):
        stage: dict[str, Any] = {
            "id": sid, "order": order, "name": text(), "phase": draw(st.sampled_from(["before-close", "after-close"])),
            "summary": text(), "buyer_goal": text(True), "buyer_questions": text.items(),
            "exit_criteria": text.items(), "sales_activities": text.items(), "marketing_activities": text.items()}
        if i == 0 or draw(st.booleans()):
            stage["lifecycle_states"] = _subset(draw, state_ids, 1)
        files[f"stages/{sid}.yaml"] = stage

    owners = {sid: draw(st.sampled_from(TEAMS)) for sid in state_ids}
    nexts = {sid: _subset(draw, [o for o in state_ids if o != sid]) for sid in state_ids}
    # A funnel the lint accepts: states in order, each reaching the next, the last one final when
    # it leads nowhere.
    for before, after in zip(state_ids, state_ids[1:], strict=False):
        if after not in nexts[before]:
            nexts[before].append(after)
    state_orders = sorted(draw(st.lists(st.integers(1, 999), unique=True, min_size=len(state_ids),
                                        max_size=len(state_ids))))
    for i, (sid, order) in enumerate(zip(state_ids, state_orders, strict=True)):
        state: dict[str, Any] = {
            "id": sid, "order": order, "name": text(),
            "record": draw(st.sampled_from(["lead", "opportunity", "customer"])),
            "definition": text(True), "qualifies": text.items(), "does_not_qualify": text.items(),
            "owner": owners[sid], "next_states": nexts[sid], "final": not nexts[sid],
            "crm": {"object": text(), "field": text(), "value": text()},
            "agreed_by": agreed()}
        if i == 0 or draw(st.booleans()):
            state["abbreviation"] = text()
        files[f"lifecycle/{sid}.yaml"] = state

    edges = [(a, b) for a in state_ids for b in nexts[a]]
    # Every change of owning team has its handoff; some edges within a team have one too.
    chosen = [e for e in edges if e == edges[0] or owners[e[0]] != owners[e[1]] or draw(st.booleans())]
    for number, (source, target) in enumerate(chosen, start=1):
        hid = f"h{number}-{source}-{target}"
        handoff = {
            "id": hid, "name": text(), "from_state": source, "to_state": target,
            "from_team": owners[source], "to_team": owners[target], "sender": text(), "receiver": text(),
            "service_level": {"within": draw(st.integers(1, 10_000)),
                              "unit": draw(st.sampled_from(["business-hours", "business-days", "hours", "days"])),
                              "action": text(True)},
            "receiver_checks": text.items(),
            "rejection_reasons": [{"reason": text(), "goes_to": draw(st.sampled_from([source, *nexts[source]]))}
                                  for _ in range(draw(st.integers(1, 3)))],
            "follow_up": {"touches": draw(st.integers(1, 5_000)), "days": draw(st.integers(1, 5_000)),
                          "rule": text(True)},
            "escalation": {"within": draw(st.integers(1, 500)),
                           "unit": draw(st.sampled_from(["business-hours", "business-days", "hours", "days"])),
                           "notify": text(), "action": text(True)},
            "agreed_by": agreed()}
        files[f"handoffs/{hid}.yaml"] = handoff

    for i, tid in enumerate(term_ids):
        others = [t for t in term_ids if t != tid]
        term: dict[str, Any] = {"id": tid, "name": text(), "definition": text(True),
                                "owner": draw(st.sampled_from(["sales", "marketing", "both"]))}
        full = i == 0
        if full or draw(st.booleans()):
            term["abbreviation"] = text()
        if full or draw(st.booleans()):
            term["aliases"] = text.items()
        if full or draw(st.booleans()):
            term["example"] = text(True)
        if full or draw(st.booleans()):
            term["not_to_be_confused_with"] = [{"term": other, "difference": text(True)}
                                               for other in _subset(draw, others, 1)]
        if full or draw(st.booleans()):
            term["related"] = _subset(draw, others, 1)
        if full or draw(st.booleans()):
            term["lifecycle_state"] = draw(st.sampled_from(state_ids))
        if full or draw(st.booleans()):
            term["group"] = draw(st.sampled_from(group_ids))
        files[f"terms/{tid}.yaml"] = dict(sorted(term.items(), key=lambda kv: draw(st.integers(0, 3))))

    def keywords() -> list[Styled]:  # short: at most 60 characters each
        return [text(references=False) for _ in range(draw(st.integers(1, 3)))]

    for i, pid in enumerate(persona_ids):
        objections: list[dict[str, Any]] = [{"objection": text(), "response": text(True)}
                                            for _ in range(draw(st.integers(1, 2)))]
        for j, objection in enumerate(objections):
            if (i, j) == (0, 0) or draw(st.booleans()):
                objection["internal_notes"] = text.items()
            if (i, j) == (0, 0) or draw(st.booleans()):
                objection["keywords"] = keywords()
        files[f"personas/{pid}.yaml"] = {
            "id": pid, "name": text(), "role": text(), "buying_role": draw(st.sampled_from(BUYING_ROLES)),
            "summary": text(True), "goals": text.items(), "pains": text.items(), "objections": objections,
            "stages": _subset(draw, stage_ids, 1), "owner": draw(st.sampled_from((*TEAMS, OTHER_TEAM))),
            "review_by": _date(draw)}
        if i == 0 or draw(st.booleans()):
            files[f"personas/{pid}.yaml"]["validated"] = {"on": _date(draw), "against": text()}

    for i, aid in enumerate(asset_ids):
        asset: dict[str, Any] = {
            "id": aid, "title": text(), "type": draw(st.sampled_from(ASSET_TYPE_IDS)),
            "stages": _subset(draw, stage_ids, 1), "owner": draw(st.sampled_from((*TEAMS, OTHER_TEAM))),
            "link": _link(draw, docs), "description": text(True), "talking_points": text.items(),
            "review_by": _date(draw)}
        if i == 0 or draw(st.booleans()):
            asset["personas"] = _subset(draw, persona_ids, 1)
        if i == 0 or draw(st.booleans()):
            asset["use_when"] = text()
        if i == 0 or draw(st.booleans()):
            asset["priority"] = draw(st.integers(1, 99))
        if i == 0 or draw(st.booleans()):
            asset["expires"] = _date(draw)
        if i == 0 or draw(st.booleans()):
            asset["internal_notes"] = text.items()
        if i == 0 or draw(st.booleans()):
            asset["keywords"] = keywords()
        files[f"assets/{aid}.yaml"] = asset

    for i, mid in enumerate(metric_ids):
        unit = "currency" if i == 0 else draw(st.sampled_from(UNITS))
        # The first target has more digits than a short number format keeps ('{:g}': 1.23457e+07).
        cents = st.integers(10**6, 10**11) if i == 0 else st.integers(-10**9, 10**9)
        value = draw(cents.map(lambda n: n / 100).filter(lambda v: v != int(v))) if i == 0 or draw(st.booleans()) \
            else draw(st.integers(-1_000_000, 10**10))
        metric: dict[str, Any] = {
            "id": mid, "name": text(), "definition": text(True), "formula": text(), "unit": unit,
            "target": {"direction": draw(st.sampled_from(["at-least", "at-most"])), "value": value},
            "period": draw(st.sampled_from(["week", "month", "quarter", "year"])), "data_source": text(),
            "owners": draw(st.permutations(list(TEAMS)))}
        if unit == "currency":
            metric["currency"] = draw(st.sampled_from(["USD", "EUR", "JPY", "GBP", "CHF"]))
        if i == 0 or draw(st.booleans()):
            metric["why"] = text(True)
        if i == 0 or draw(st.booleans()):
            metric["baseline"] = {"value": draw(cents.map(lambda n: n / 100)), "as_of": text()}
        files[f"metrics/{mid}.yaml"] = metric

    numbers = [(kind, data["id"], name) for path, data in files.items() for kind, names in
               (("handoff", ("service_level", "escalation", "follow_up")), ("metric", ("target", "baseline")))
               if path.startswith(f"{kind}s/") for name in names if name in data]
    kind, id, name = draw(st.sampled_from(numbers))
    values.append({"id": taken_id, "from": {"kind": kind, "id": id, "field": name},
                   **({"description": text(True)} if draw(st.booleans()) else {})})

    # States name the reasons they accept once any reason sends records to them, and every move into
    # such a state carries a reason: a handoff, one of its rejections, or an exit reason.
    states = {sid: files[f"lifecycle/{sid}.yaml"] for sid in state_ids}
    handoffs = [data for path, data in files.items() if path.startswith("handoffs/")]
    accepts: dict[str, list[str]] = {}
    covered = {(h["from_state"], h["to_state"]) for h in handoffs}
    for h in handoffs:
        for rejection in h["rejection_reasons"]:
            if rejection["goes_to"] != h["from_state"]:
                accepts.setdefault(rejection["goes_to"], []).append(rejection["reason"])
                covered.add((h["from_state"], rejection["goes_to"]))

    def exit_to(source: str, target: str) -> None:
        reason = text()
        states[source].setdefault("exit_reasons", []).append({"reason": reason, "goes_to": target})
        accepts.setdefault(target, []).append(reason)
        covered.add((source, target))

    first = state_ids[0]
    exit_to(first, nexts[first][0])  # the first state sets every optional field
    for source in state_ids:
        for target in nexts[source]:
            if target in accepts and (source, target) not in covered:
                exit_to(source, target)
    for sid, reasons in accepts.items():
        states[sid]["accepts"] = list(dict.fromkeys(reasons))
    # Every reason is declared once on an agreed list in playbook.yaml and named by its id.
    written = list(dict.fromkeys([*(r["reason"] for h in handoffs for r in h["rejection_reasons"]),
                                  *(r["reason"] for s in states.values() for r in s.get("exit_reasons") or ())]))
    ids = {reason: f"r{i + 1}-reason" for i, reason in enumerate(written)}
    split = draw(st.integers(1, len(written)))
    files["playbook.yaml"]["reasons"] = [
        {"id": f"l{n + 1}-list", "name": text(),
         **({"description": text(True), "crm": {"object": text(), "field": text()}}
            if n == 0 or draw(st.booleans()) else {}),
         "reasons": [{"id": ids[reason], "text": reason, **({"description": text(True)} if j == 0 or
                                                            draw(st.booleans()) else {})}
                     for j, reason in enumerate(part)]}
        for n, part in enumerate(p for p in (written[:split], written[split:]) if p)]
    for h in handoffs:
        for rejection in h["rejection_reasons"]:
            rejection["reason"] = ids[rejection["reason"]]
    for state in states.values():
        for exit in state.get("exit_reasons") or ():
            exit["reason"] = ids[exit["reason"]]
        if "accepts" in state:
            state["accepts"] = [ids[reason] for reason in state["accepts"]]
    categories = _ids(draw, "f", draw(st.integers(1, 3)))
    files["playbook.yaml"]["forecast_categories"] = [{"id": fid, "name": text(), "definition": text(True)}
                                                     for fid in categories]
    for team in files["playbook.yaml"]["teams"].values():  # each team's field is its own: both set
        team["priorities"] = text.items()
    for i, sid in enumerate(state_ids):
        if i == 0 or draw(st.booleans()):
            states[sid]["tracks"] = [
                {"id": tid, "name": text(), "entry": text(True), "cadence": text(True), "exit": text(True),
                 **({"assets": _subset(draw, asset_ids, 1)} if j == 0 or draw(st.booleans()) else {})}
                for j, tid in enumerate(_ids(draw, "k", draw(st.integers(1, 2))))]
        if i == 0 or draw(st.booleans()):
            stages = []
            for j in range(draw(st.integers(1, 3))):
                crm_stage: dict[str, Any] = {"value": text(), "buyer_stage": draw(st.sampled_from(stage_ids)),
                                             "exit_criteria": text.items()}
                if j == 0 or draw(st.booleans()):
                    crm_stage["probability"] = draw(st.integers(0, 100))
                if j == 0 or draw(st.booleans()):
                    crm_stage["forecast_category"] = draw(st.sampled_from(categories))
                stages.append(crm_stage)
            states[sid]["crm_stages"] = stages

    # The onboarding page: the terms to learn first, and reading paths whose first role reads a
    # page and an entry of every kind, and sets every optional field.
    handoff_ids = [data["id"] for path, data in files.items() if path.startswith("handoffs/")]
    entries = {"stage": stage_ids, "term": term_ids, "lifecycle": state_ids, "handoff": handoff_ids,
               "persona": persona_ids, "asset": asset_ids, "metric": metric_ids}
    readable = [*READ_PAGES, *(f"{kind}:{id}" for kind, ids in entries.items() for id in ids)]
    roles = []
    for i, rid in enumerate(_ids(draw, "r", draw(st.integers(1, 3)))):
        read = _subset(draw, readable, 1)
        if i == 0:
            read = list(dict.fromkeys([draw(st.sampled_from(READ_PAGES)),
                                       *(f"{kind}:{draw(st.sampled_from(ids))}" for kind, ids in entries.items()),
                                       *read]))
        role: dict[str, Any] = {"id": rid, "name": text(), "read": read}
        if i == 0 or draw(st.booleans()):
            role["description"] = text(True)
        roles.append(role)
    files["playbook.yaml"]["onboarding"] = {"first_terms": _subset(draw, term_ids, 1)[:10], "roles": roles}
    return GeneratedPlaybook(files, docs)

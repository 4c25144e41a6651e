"""Synthetic playbooks for the benchmark: valid, reproducible from a seed, in realistic proportions.

`write_playbook(root, entities, seed)` writes a whole project into root: `playbook/`, `docs/` and
`mkdocs.yml`. The few entries whose rules span files (stages, lifecycle states, handoffs, shared
goals) and the four default personas are copied from the repository's playbook as they are; the
rest of the entities are assets (about 85 %), terms (12 %) and more personas (3 %), written from
word lists and sentence templates drawn by the seed, so no two share a title, a name or a talking
point. Everything is written in one pass: 10,000 entities take a few seconds.

To look at one, from the repository: `.venv/bin/python -m benchmarks.synth OUTDIR [ENTITIES] [SEED]`.
"""

from __future__ import annotations

import datetime
import functools
import json
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.model.build import build_playbook

from . import words as w

REPO = Path(__file__).resolve().parents[1]
# Kinds copied as they are: few, and checked against each other (the funnel lint).
COPIED = ("stages", "lifecycle", "handoffs", "metrics")
ASSET_SHARE, TERM_SHARE = 0.85, 0.12  # the rest are personas
ASSET_TYPES = ("blog-post", "analyst-report", "webinar", "e-book", "explainer-video", "solution-brief", "case-study",
               "one-pager", "deck", "demo-script", "roi-calculator", "discovery-guide", "battle-card", "security-pack",
               "reference-guide", "proposal-template", "pricing-sheet", "mutual-action-plan", "email-template",
               "onboarding-guide", "success-plan", "qbr-deck", "talk-track")
BUYING_ROLES = ("economic-buyer", "champion", "technical-evaluator", "user", "influencer", "gatekeeper")
TITLES = {
    "case-study": ("{company}: {outcome}", "How {company} {verb} {topic}"),
    "battle-card": ("Battle card: {topic} against {rival}", "Battle card: {rival} in {industry}"),
    "blog-post": ("Why {topic} slows the close in {industry}", "{n} questions a {role} asks about {topic}"),
    "webinar": ("Webinar: {topic} without the chase", "Webinar: {topic} for {industry} teams, with {company}"),
    "email-template": ("E-mails after the demo: {topic}", "E-mails for a {role} who asked about {topic}"),
}
GENERIC_TITLES = ("{Kind}: {topic} for {industry} teams", "{Kind} on {topic} and {topic2}",
                  "{Kind}: {topic} for the {role}")
# The day dates are judged on in the tests and the benchmark; review dates fall after it and its
# 30-day window, so no synthetic entry is due for review.
TODAY = "2026-11-23"
REVIEW_FROM, REVIEW_TO = datetime.date(2027, 1, 15), datetime.date(2028, 12, 20)
DATE_KEYS = frozenset({"review_by", "expires", "updated", "on", "date"})
_SLOT = re.compile(r"\{(\w+)\}")
_WORD = re.compile(r"[^\W_]+")
_PLAIN = re.compile(r"[a-z][a-z0-9-]*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
WRAP = 96


@dataclass(frozen=True)
class Counts:
    assets: int
    terms: int
    personas: int  # the four default personas included
    copied: int  # stages, lifecycle states, handoffs and shared goals


def plan(entities: int) -> Counts:
    """How many entries of each kind a playbook of `entities` entries has."""
    copied = sum(len(list((REPO / "playbook" / kind).glob("*.yaml"))) for kind in COPIED)
    defaults = len(list((REPO / "playbook" / "personas").glob("*.yaml")))
    rest = entities - copied
    personas = max(defaults, round(rest * (1 - ASSET_SHARE - TERM_SHARE)))
    terms = max(1, round(rest * TERM_SHARE))
    assets = rest - personas - terms
    if assets < personas:
        raise ValueError(f"{entities} entities are too few: a playbook here has at least "
                         f"{copied + 2 * defaults + 1} ({copied} copied, {defaults} personas, an asset for each)")
    return Counts(assets, terms, personas, copied)


class Writer:
    """Draws text from the word lists; `unique` redraws until a text is new."""

    def __init__(self, rng: random.Random, values: dict[str, str]) -> None:
        self.rng = rng
        self.values = list(values)
        # An agreed value typed out ("25 percent") is named instead, so a text never types one.
        typed = sorted({v for v in values.values() if any(c.isdigit() for c in v) and any(c.isalpha() for c in v)},
                       key=len, reverse=True)
        self.typed = re.compile("|".join(re.escape(v) for v in typed)) if typed else None
        # Nor in another spelling ("25%" for "25 percent"): a small number or percentage drawn is
        # never the number of an agreed value.
        taken = {int(n.replace(",", "")) for v in values.values() for n in re.findall(r"\d[\d,]*", v)}
        self.small = [n for n in range(2, 41) if n not in taken]
        self.percents = [n for n in range(5, 81) if n not in taken]
        self.companies = [f"{a}{b} {c}" for a in w.COMPANY_FIRST for b in w.COMPANY_SECOND for c in w.COMPANY_KIND]
        self.lists: dict[str, tuple[str, ...]] = {
            "topic": w.TOPICS, "topic2": w.TOPICS, "industry": w.INDUSTRIES, "role": w.ROLES, "erp": w.ERPS,
            "rival": w.RIVALS, "feature": w.FEATURES, "verb": w.VERBS, "outcome": w.OUTCOMES, "record": w.RECORDS,
            "period": w.PERIODS, "team": ("sales", "marketing", "sales development", "marketing operations")}

    def fill(self, template: str, **given: str) -> str:
        def slot(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in given:
                return given[name]
            if name in ("n", "n2"):
                return str(self.rng.choice(self.small))
            if name == "pct":
                return str(self.rng.choice(self.percents))
            if name == "company":
                return self.rng.choice(self.companies)
            if name == "value":
                return f"[[{self.rng.choice(self.values)}]]" if self.values else "the agreed limit"
            if name == "outcome":  # an outcome has slots of its own
                return self.fill(self.rng.choice(w.OUTCOMES))
            return self.rng.choice(self.lists[name])

        text = _SLOT.sub(slot, template)
        for _ in range(20):
            if self.typed is None or not self.typed.search(text):
                break
            text = _SLOT.sub(slot, template)
        return text[0].upper() + text[1:]

    def pick(self, templates: tuple[str, ...], **given: str) -> str:
        return self.fill(self.rng.choice(templates), **given)

    def unique(self, draw: Callable[[], str], seen: set[Any], key: Callable[[str], Any] = str) -> str:
        """A text from draw that is not in seen (by key), added to it; after many tries, one made new."""
        text = draw()
        for attempt in range(40):
            if key(text) not in seen:
                break
            text = draw() if attempt < 30 else f"{text.rstrip('.')} ({self.rng.choice(self.companies)})"
        n = 2
        base = text
        while key(text) in seen:
            text, n = f"{base} {n}", n + 1
        seen.add(key(text))
        return text

    def sentences(self, templates: tuple[str, ...], low: int, high: int, **given: str) -> list[str]:
        chosen = self.rng.sample(templates, self.rng.randint(low, min(high, len(templates))))
        return [self.fill(t, **given) for t in chosen]

    def paragraphs(self, sentences: list[str]) -> str:
        if len(sentences) > 2 and self.rng.random() < 0.4:
            cut = self.rng.randint(1, len(sentences) - 1)
            return " ".join(sentences[:cut]) + "\n" + " ".join(sentences[cut:])  # a new paragraph
        return " ".join(sentences)

    def day(self, start: datetime.date = REVIEW_FROM, end: datetime.date = REVIEW_TO) -> str:
        return datetime.date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal())).isoformat()

    def items(self, templates: tuple[str, ...], low: int, high: int, **given: str) -> list[str]:
        """low..high different texts (a list the schema wants unique)."""
        return list(dict.fromkeys(self.sentences(templates, low, high, **given)))


def slug(text: str, limit: int = 60) -> str:
    words = _WORD.findall(text.lower())
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def _key(text: str) -> tuple[str, ...]:
    """How the vocabulary compares names: their words, in any case."""
    return tuple(_WORD.findall(text.casefold()))


# Entries ---------------------------------------------------------------------------------------


@dataclass
class Context:
    writer: Writer
    stages: list[str]  # in buyer order
    states: list[str]
    groups: list[str]
    docs_files: list[str]
    abbreviations: set[str]  # of the lifecycle states


def make_terms(ctx: Context, count: int, taken: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Terms whose names, aliases, abbreviations and ids differ from each other's and from those of
    the terms `taken` (copied ones), in any case."""
    wr, rng = ctx.writer, ctx.writer.rng
    names = {_key(name) for t in taken for name in (t["name"], *t.get("aliases", ()))}
    ids = {t["id"] for t in taken}
    # Lifecycle abbreviations and words the texts write in capitals are no term's abbreviation.
    taken_abbreviations = {*ctx.abbreviations, *(t["abbreviation"] for t in taken if "abbreviation" in t),
                           "ERP", "VAT", "CFO", "AP", "IT", "CRM", "KPI", "QBR", "ROI", "PO", "PDF", "SAP"}
    terms: list[dict[str, Any]] = []
    for _ in range(count):
        def draw() -> str:
            words = [rng.choice(w.TERM_MODIFIERS), rng.choice(w.TERM_CONCEPTS)]
            if rng.random() < 0.35:
                words.insert(0, rng.choice(w.TERM_QUALIFIERS))
            return " ".join([words[0], *(x.lower() for x in words[1:])])

        name = wr.unique(draw, names, _key)
        id = slug(name)
        while id in ids or id.startswith(("letter-", "topic-")) or id in ("by-topic", "other-terms"):
            id += "-x"
        ids.add(id)
        what = name[0].lower() + name[1:]
        term: dict[str, Any] = {"id": id, "name": name}
        initials = "".join(x[0] for x in _WORD.findall(name)).upper()
        if rng.random() < 0.4 and len(initials) > 1 and initials not in taken_abbreviations \
                and _key(initials) not in names:
            taken_abbreviations.add(initials)
            term["abbreviation"] = initials
        aliases = []
        concept = name.split()[-1]
        for alias in (f"{name.rsplit(' ', 1)[0]} {w.SYNONYMS.get(concept, concept + ' figure')}",
                      f"{concept.capitalize()} of {' '.join(name.split()[:-1]).lower()}"):
            if rng.random() < 0.35 and _key(alias) not in names:
                names.add(_key(alias))
                aliases.append(alias)
        if aliases:
            term["aliases"] = aliases
        term["definition"] = wr.paragraphs([wr.pick(w.DEFINITIONS, what=what, What=name),
                                            *wr.sentences(w.DEFINITION_MORE, 2, 4)])
        if rng.random() < 0.7:
            term["example"] = wr.pick(w.EXAMPLES, what=what)
        if terms and rng.random() < 0.3:
            other = rng.choice(terms)
            term["not_to_be_confused_with"] = [
                {"term": other["id"], "difference": wr.pick(w.DIFFERENCES, What=name, other=other["name"])}]
        if terms and rng.random() < 0.6:
            term["related"] = list(dict.fromkeys(rng.choice(terms)["id"] for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.04:
            term["lifecycle_state"] = rng.choice(ctx.states)
        term["owner"] = rng.choice(("sales", "marketing", "both"))
        if ctx.groups and rng.random() < 0.85:
            term["group"] = rng.choice(ctx.groups)
        terms.append(term)
    return terms


def make_personas(ctx: Context, count: int, taken: set[str]) -> list[dict[str, Any]]:
    wr, rng = ctx.writer, ctx.writer.rng
    names: set[str] = set()
    personas = []
    for _ in range(count):
        name = wr.unique(lambda: f"{rng.choice(w.FIRST_NAMES)}, the {rng.choice(w.PERSONA_ROLES)}", names)
        first, role = name.split(", the ", 1)
        id = slug(f"{first} {role}")
        while id in taken:
            id += "-x"
        taken.add(id)
        stages = sorted(rng.sample(ctx.stages, rng.randint(1, min(4, len(ctx.stages)))), key=ctx.stages.index)
        persona: dict[str, Any] = {
            "id": id, "name": name, "role": role, "buying_role": rng.choice(BUYING_ROLES),
            "summary": wr.paragraphs(wr.sentences(w.SUMMARIES, 3, 6, Name=first)),
            "goals": wr.items(w.GOALS, 3, 5), "pains": wr.items(w.PAINS, 3, 5),
            "objections": [_objection(wr, o, r) for o, r in rng.sample(w.OBJECTIONS, rng.randint(3, 5))],
            "stages": stages, "owner": rng.choice(("sales", "marketing")), "review_by": wr.day()}
        if rng.random() < 0.6:
            persona["validated"] = {"on": wr.day(datetime.date(2026, 3, 1), datetime.date(2026, 11, 1)),
                                    "against": wr.pick(w.VALIDATED)}
        personas.append(persona)
    return personas


def _objection(wr: Writer, objection: str, response: str) -> dict[str, str]:
    """An objection and its answer, speaking of the same ERP, rival and topic."""
    given = {name: wr.rng.choice(wr.lists[name]) for name in ("erp", "rival", "topic")}
    return {"objection": wr.fill(objection, **given), "response": wr.fill(response, **given)}


def _talking_point(wr: Writer) -> str:
    follower = wr.pick(w.FOLLOWERS)
    return f"{wr.pick(w.OPENERS)}; {follower[0].lower()}{follower[1:]}."


def make_assets(ctx: Context, count: int, personas: list[tuple[str, list[str]]],
                taken: set[str]) -> list[dict[str, Any]]:
    """Assets; the first ones are written one for each persona, in each of its stages, so every
    stage a persona takes part in has an asset for them (no coverage warning)."""
    wr, rng = ctx.writer, ctx.writer.rng
    titles: set[str] = set()
    points: set[str] = set()
    ids = set(taken)
    persona_ids = [p for p, _ in personas]
    assets = []
    for i in range(count):
        kind = rng.choice(ASSET_TYPES)
        label = kind.replace("-", " ").capitalize().replace("Roi", "ROI").replace("Qbr", "QBR")
        title = wr.unique(functools.partial(wr.pick, TITLES.get(kind, GENERIC_TITLES), Kind=label), titles)
        id = slug(title)
        n = 2
        while id in ids:
            id, n = f"{slug(title)}-{n}", n + 1
        ids.add(id)
        if i < len(personas):
            stages, for_personas = personas[i][1], [personas[i][0]]
        else:
            stages = sorted(rng.sample(ctx.stages, rng.randint(1, min(3, len(ctx.stages)))), key=ctx.stages.index)
            for_personas = rng.sample(persona_ids, rng.choice((0, 1, 1, 2, 3)))
        asset: dict[str, Any] = {"id": id, "title": title}
        if rng.random() < 0.8:
            situation = wr.pick(w.SITUATIONS)  # it completes "Use it when ..."
            asset["use_when"] = situation[0].lower() + situation[1:] + "."
        asset["type"] = kind
        asset["stages"] = stages
        if rng.random() < 0.3:
            asset["priority"] = rng.randint(1, 99)
        if for_personas:
            asset["personas"] = for_personas
        asset["owner"] = rng.choice(("sales", "marketing"))
        asset["link"] = (f"https://enablement.tallybright.example/assets/{id}" if rng.random() < 0.95 or not
                         ctx.docs_files else rng.choice(ctx.docs_files))
        asset["description"] = wr.paragraphs(wr.sentences(w.DESCRIPTIONS, 4, 7, kind=label.lower()))
        asset["talking_points"] = [wr.unique(lambda: _talking_point(wr), points) for _ in range(rng.randint(2, 4))]
        asset["review_by"] = wr.day()
        if rng.random() < 0.04:
            asset["expires"] = wr.day(datetime.date(2027, 3, 1), datetime.date(2028, 12, 31))
        assets.append(asset)
    return assets


# YAML, written as people write it ----------------------------------------------------------------


def _scalar(key: str | None, value: Any, indent: int) -> list[str]:
    """The text after `key:` (first element) and any block lines after it."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (int, float)):
        return [repr(value)]
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    text = str(value)
    if key in DATE_KEYS and re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return [text]
    if _PLAIN.match(text) and text not in _YAML_WORDS:
        return [text]
    paragraphs = text.split("\n")
    if len(text) <= WRAP - indent - 20 and len(paragraphs) == 1 or not all(map(_foldable, paragraphs)):
        return [json.dumps(text, ensure_ascii=False)]
    # Folded, as the playbook's own files are: a blank line between paragraphs ("\n" once loaded).
    pad = " " * (indent + 2)
    lines = [">-"]
    for n, paragraph in enumerate(paragraphs):
        if n:
            lines.append("")
        if not paragraph:
            continue
        line = ""
        for word in paragraph.split(" "):
            if line and len(pad) + len(line) + 1 + len(word) > WRAP:
                lines.append(pad + line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(pad + line)
    return lines


def _foldable(paragraph: str) -> bool:
    """Whether a folded block gives this paragraph back exactly: single spaces between words."""
    return paragraph == "" or (paragraph == paragraph.strip() and "  " not in paragraph
                               and "\t" not in paragraph and paragraph.isprintable())


def _emit(data: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _emit(value, indent + 2, out)
        elif isinstance(value, list):
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    inner: list[str] = []
                    _emit(item, indent + 4, inner)
                    out.append(f"{pad}  - {inner[0].lstrip()}")
                    out.extend(inner[1:])
                else:
                    first, *rest = _scalar(key, item, indent + 2)
                    out.append(f"{pad}  - {first}")
                    out.extend(rest)
        else:
            first, *rest = _scalar(key, value, indent)
            out.append(f"{pad}{key}: {first}")
            out.extend(rest)


def to_yaml(data: dict[str, Any], schema: str) -> str:
    """YAML text for data, headed by the line naming its schema (as `playbook new` writes it)."""
    out = [f"# yaml-language-server: $schema={schema}"]
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def _write(folder: Path, kind: str, entries: Iterable[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        (folder / f"{entry['id']}.yaml").write_text(to_yaml(entry, f"../../schemas/{kind}.schema.json"),
                                                    encoding="utf-8")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def mark_asset(path: Path, word: str) -> None:
    """Append word to the asset's first talking point (what an edit under `mkdocs serve` does)."""
    data = _load(path)
    data["talking_points"][0] = f"{data['talking_points'][0]} {word}"
    path.write_text(to_yaml(data, "../../schemas/asset.schema.json"), encoding="utf-8")


# The project ------------------------------------------------------------------------------------


def _settings(source: Path, terms: list[str], replacements: dict[str, list[str]]) -> dict[str, Any]:
    """playbook.yaml with the onboarding pointing at entries this playbook has: the first terms, and
    in the reading paths each term, asset or persona that is gone replaced by a generated one."""
    data = _load(source)
    onboarding = data.get("onboarding")
    if not onboarding:
        return data
    onboarding["first_terms"] = terms[:10]
    known = {kind: set(pool) for kind, pool in replacements.items()}
    used = dict.fromkeys(replacements, 0)
    mapping: dict[str, str] = {}
    for role in onboarding.get("roles", []):
        read = []
        for item in role["read"]:
            kind, _, id = item.partition(":")
            if id and kind in known and id not in known[kind]:
                if item not in mapping:  # the k-th entry that is gone becomes the k-th generated one
                    pool = replacements[kind]
                    mapping[item] = f"{kind}:{pool[used[kind] % len(pool)]}"
                    used[kind] += 1
                item = mapping[item]
            read.append(item)
        role["read"] = list(dict.fromkeys(read))
    return data


def _named(data: Any, ids: dict[str, set[str]]) -> dict[str, set[str]]:
    """The entries of each kind that a copied file names: a text equal to an id of that kind, under a
    key that names the kind (`assets: [roi-calculator]` in a nurture track)."""
    found: dict[str, set[str]] = {kind: set() for kind in ids}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, keys = stack.pop()
        if isinstance(value, dict):
            stack.extend((item, f"{keys}/{key}") for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, keys) for item in value)
        elif isinstance(value, str):
            for kind, known in ids.items():
                if value in known and kind in keys:
                    found[kind].add(value)
    return found


def _copy_named(playbook: Path, writer: Writer, named: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """Copy the repository's assets and terms that copied files name, with review and end dates
    that have passed moved into the review window, and terms' links to terms not copied dropped."""
    copied: dict[str, list[dict[str, Any]]] = {"asset": [], "term": []}
    for id in sorted(named["asset"]):
        text = re.sub(r"(?m)^(review_by|expires): (\d{4}-\d\d-\d\d)[ \t]*$",
                      lambda m: f"{m[1]}: {m[2] if m[2] >= REVIEW_FROM.isoformat() else writer.day()}",
                      (REPO / "playbook" / "assets" / f"{id}.yaml").read_text(encoding="utf-8"))
        (playbook / "assets" / f"{id}.yaml").write_text(text, encoding="utf-8")
        copied["asset"].append(yaml.safe_load(text))
    for id in sorted(named["term"]):
        term = _load(REPO / "playbook" / "terms" / f"{id}.yaml")
        for field in ("related", "not_to_be_confused_with"):
            kept = [t for t in term.get(field, ()) if (t if isinstance(t, str) else t["term"]) in named["term"]]
            term.pop(field, None)
            if kept:
                term[field] = kept
        copied["term"].append(term)
    _write(playbook / "terms", "term", copied["term"])
    return copied


def write_playbook(root: Path, entities: int, seed: int) -> Path:
    """Write a project with a valid playbook of `entities` entries into root (created if needed)."""
    counts = plan(entities)
    root = Path(root)
    playbook = root / "playbook"
    (playbook / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for kind in (*COPIED, "personas"):
        shutil.copytree(REPO / "playbook" / kind, playbook / kind, dirs_exist_ok=True)
    settings = _load(REPO / "playbook" / "playbook.yaml")
    copied = {kind: [_load(p) for p in sorted((playbook / kind).glob("*.yaml"))] for kind in (*COPIED, "personas")}
    stages = [d["id"] for d in sorted(copied["stages"], key=lambda d: d["order"])]
    docs_files = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*")
                        if p.is_file() and p.suffix != ".md")
    # The agreed values as the site shows them (a value may be taken from a number field).
    writer = Writer(random.Random(seed), build_playbook(REPO / "playbook").values)
    ctx = Context(writer, stages, sorted(d["id"] for d in copied["lifecycle"]),
                  [g["id"] for g in settings.get("glossary_groups", [])], docs_files,
                  {d["abbreviation"] for d in copied["lifecycle"] if "abbreviation" in d})
    repo_ids = {kind: {p.stem for p in (REPO / "playbook" / f"{kind}s").glob("*.yaml")} for kind in ("asset", "term")}
    named: dict[str, set[str]] = {kind: set() for kind in repo_ids}
    for docs in copied.values():
        for doc in docs:
            for kind, ids in _named(doc, repo_ids).items():
                named[kind] |= ids
    kept = _copy_named(playbook, writer, named)
    defaults = copied["personas"]
    terms = make_terms(ctx, counts.terms - len(kept["term"]), kept["term"])
    personas = make_personas(ctx, counts.personas - len(defaults), {d["id"] for d in defaults})
    everyone = [(p["id"], p["stages"]) for p in [*defaults, *personas]]
    assets = make_assets(ctx, counts.assets - len(kept["asset"]), everyone, {a["id"] for a in kept["asset"]})
    _write(playbook / "terms", "term", terms)
    _write(playbook / "personas", "persona", personas)
    _write(playbook / "assets", "asset", assets)
    pools = {"term": [t["id"] for t in [*kept["term"], *terms]], "asset": [a["id"] for a in [*kept["asset"], *assets]],
             "persona": [p for p, _ in everyone]}
    settings = _settings(REPO / "playbook" / "playbook.yaml", pools["term"], pools)
    (playbook / "playbook.yaml").write_text(to_yaml(settings, "../schemas/playbook.schema.json"), encoding="utf-8")
    return root


if __name__ == "__main__":
    out = write_playbook(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000,
                         int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(f"wrote {out}")

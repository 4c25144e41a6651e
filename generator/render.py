"""Render the playbook's pages to Markdown, one function per kind of page.

Text from YAML is untrusted and passes through Markdown, where extensions act on plain
characters (`--8<--` includes files, `*[X]:` defines abbreviations, `{: ...}` sets attributes,
`<` opens raw HTML, `[x](javascript:...)` makes links). So no YAML string reaches the Markdown
as it is: while a site is built, each is an alphanumeric token that the plugin replaces with the
HTML-escaped text after Markdown has run (see Texts); for `playbook render`, every character
other than a letter, digit or space is a numeric character reference (`&#45;`). Either way no
Markdown syntax or extension can match it, and the browser shows the original text. The Jinja
environment applies this to every `{{ value }}` on its own; only `Md` strings that this module
builds (links, anchors) pass unchanged.
"""

from __future__ import annotations

import html
import posixpath
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from .coverage import coverage
from .diagram import lifecycle_svg
from .diff import KIND_NAMES
from .model import REVIEW_WINDOW_DAYS, Asset, Metric, Persona, Playbook, Term, send_order
from .onboarding import STEPS, onboarding
from .vocabulary import used_in

ANCHOR = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SAFE_LINK = re.compile(r"(?=[!-~]+\Z)https://[^\s<>\"'`()\\]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)(?!.*\.\.)[A-Za-z0-9._/-]+")
OVERVIEW_MARKER = "<!-- playbook:overview -->"

# Where each kind of entity lives; the anchor on that page is the entity's id.
PAGES = {"lifecycle": "lifecycle.md", "handoff": "lifecycle.md", "term": "glossary.md",
         "persona": "personas.md", "asset": "assets.md", "metric": "metrics.md"}
# Anchors that pages give their own sections, by the kind whose entries share the page; an
# entry may not take one as its id (the check says so), or two elements would share an anchor.
_LIFECYCLE_SECTIONS = frozenset({"lead-states", "opportunity-states", "handoffs"})
SECTION_ANCHORS = {
    "stage": frozenset({"buyer-goal", "buyer-questions", "assets", "objections", "exit-criteria", "activities",
                        "sales-activities", "marketing-activities", "lifecycle-states", "personas"}),
    "lifecycle": _LIFECYCLE_SECTIONS,
    "handoff": _LIFECYCLE_SECTIONS,
    "term": frozenset({"by-topic", "other-terms"}),
}
GLOSSARY_LETTER_PREFIX = "letter-"
GLOSSARY_TOPIC_PREFIX = "topic-"
USED_IN_NAMES = {"stage": "stages:", "lifecycle": "lifecycle states:", "handoff": "handoffs:", "asset": "assets:"}
# The pages every playbook has, in the order of the navigation.
GENERATED = ("onboarding.md", "finder.md", "assets.md", "personas.md", "lifecycle.md", "glossary.md", "metrics.md",
             "coverage.md", "review.md", "changes.md", "about.md")
# The asset reference is split into pages of this many assets, so no page grows with the
# playbook: assets.md, then assets-2.md, assets-3.md ...
ASSETS_PER_PAGE = 100
# A stage page shows this many cards, in the order to use them; the finder shows every asset.
STAGE_CARDS = 60
# The personas page names this many assets of each persona; the finder shows them all.
PERSONA_ASSETS = 20
# Where the site's own script, styles and asset data live, relative to the site's root.
STATIC = "assets/playbook"
FINDER_DATA = f"{STATIC}/finder.json"

# Asset types: (singular, plural) as readers see them.
ASSET_TYPES = {
    "blog-post": ("blog post", "Blog posts"),
    "analyst-report": ("analyst report", "Analyst reports"),
    "webinar": ("webinar", "Webinars"),
    "e-book": ("e-book", "E-books"),
    "explainer-video": ("explainer video", "Explainer videos"),
    "solution-brief": ("solution brief", "Solution briefs"),
    "case-study": ("case study", "Case studies"),
    "one-pager": ("one-pager", "One-pagers"),
    "deck": ("deck", "Decks"),
    "demo-script": ("demo script", "Demo scripts"),
    "roi-calculator": ("ROI calculator", "ROI calculators"),
    "discovery-guide": ("discovery guide", "Discovery guides"),
    "battle-card": ("battle card", "Battle cards"),
    "security-pack": ("security pack", "Security packs"),
    "reference-guide": ("reference guide", "Reference guides"),
    "proposal-template": ("proposal template", "Proposal templates"),
    "pricing-sheet": ("pricing sheet", "Pricing sheets"),
    "mutual-action-plan": ("mutual action plan", "Mutual action plans"),
    "email-template": ("email template", "Email templates"),
    "onboarding-guide": ("onboarding guide", "Onboarding guides"),
    "success-plan": ("success plan", "Success plans"),
    "qbr-deck": ("QBR deck", "QBR decks"),
    "talk-track": ("talk track", "Talk tracks"),
}


class Md(str):
    """Markdown this module wrote itself: emitted as it is."""


class Texts:
    """Untrusted text kept out of Markdown altogether, for a site built by this generator.

    Each text becomes an alphanumeric token that no Markdown syntax or extension acts on; once
    Markdown has made the page's HTML, `restore` puts the HTML-escaped text in its place, in one
    pass. (Character references cost Python-Markdown a pass over the whole paragraph each: a
    paragraph of 100,000 punctuation characters took minutes.)
    """

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(6)
        self.table: dict[str, str] = {}
        self.pattern = re.compile(f"pbt{self.nonce}x[0-9]+x")

    def token(self, words: str) -> Md:
        key = f"pbt{self.nonce}x{len(self.table)}x"
        self.table[key] = html.escape(words, quote=True)
        return Md(key)

    def restore(self, text: str) -> str:
        """HTML (or a title) with every token replaced by its escaped text."""
        if "pbt" not in text:
            return text
        return self.pattern.sub(lambda match: self.table.get(match.group(), ""), text)


# The Texts of the rendering under way; without one, text is written as character references,
# which any Markdown engine shows as written (`playbook render`).
_TEXTS: ContextVar[Texts | None] = ContextVar("texts", default=None)


def inline(text: object) -> Md:
    """Untrusted text as inert Markdown on one line, whitespace collapsed: a token (see Texts)
    while a site is rendered, else every character other than a letter, digit or space
    written as a numeric character reference."""
    words = " ".join(str(text).split())
    texts = _TEXTS.get()
    if texts is not None:
        return texts.token(words)
    return Md("".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in words))


# Titles reach the theme unescaped: navigation and page titles are printed as they are, as HTML.
# So a title is HTML-escaped text; the plugin also gives it to the page as its `meta.title`,
# which the theme prints in <title> as it is, instead of the heading's text after `striptags`
# (which decodes character references: a decoded `</title>` would end the element).
def plain_title(text: object) -> str:
    """Untrusted text for a page or navigation title: one line, HTML-escaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


def title(text: object) -> Md:
    """Untrusted text for a page's first heading: inert as Markdown."""
    return inline(text)


def paragraphs(text: object) -> Md:
    """Untrusted text as inert Markdown paragraphs.

    A blank line in YAML starts a new paragraph. In a folded scalar (`>-`) YAML has already
    turned that blank line into a single line break, so text with no blank line left is split
    at its line breaks instead.
    """
    text = str(text).strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return Md("\n\n".join(inline(block) for block in blocks if block.strip()))


def anchor(value: object) -> Md:
    """An id as an anchor; ids are checked by the schema, and checked again here."""
    if not isinstance(value, str) or not ANCHOR.fullmatch(value):
        raise ValueError(f"not a safe anchor: {value!r}")
    return Md(value)


def safe_link(url: str, page: str = "index.md") -> Md:
    """An https or relative link, as a Markdown link destination; anything else is refused.

    A relative link names a file in the docs folder, so it is made relative to the page.
    """
    if not SAFE_LINK.fullmatch(url):
        raise ValueError(f"not a safe link: {url!r}")
    return Md(f"<{url if url.startswith('https://') else _relative(page, url)}>")


@pass_context
def _link_filter(context: Context, url: str) -> Md:
    return safe_link(url, context["page"])


def _finalize(value: Any) -> Any:
    if isinstance(value, Md):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"a template printed {value!r}: print text, a number or Md")
    if isinstance(value, (int, float)):
        return Md(str(value))
    return inline(value)


def _environment(playbook: Playbook, directory_urls: bool = True) -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), undefined=StrictUndefined,
                      autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize)
    pages = asset_pages(playbook)
    env.filters.update(para=paragraphs, title=title, target=_target, anchor=anchor, link=_link_filter, label=_label,
                       asset_type=lambda t: ASSET_TYPES[t][1], asset_kind=lambda t: ASSET_TYPES[t][0],
                       html_paras=_html_paragraphs, ids=_ids, kind_name=lambda t: _capital(ASSET_TYPES[t][0]))
    env.globals.update(pb=playbook, ref=_ref_function(playbook, pages), page_link=_page_link, file_link=_file_link,
                       href=_href_function(playbook, pages, directory_urls), badges=_badges,
                       stage_class=_stage_class, STAGE_CARDS=STAGE_CARDS, PERSONA_ASSETS=PERSONA_ASSETS,
                       lifecycle_diagram=lambda: Md(lifecycle_svg(playbook, inline)))
    return env


def asset_pages(playbook: Playbook) -> dict[str, str]:
    """The reference page of each asset: ASSETS_PER_PAGE to a page, in the assets' order."""
    return {asset.id: asset_page(i // ASSETS_PER_PAGE) for i, asset in enumerate(playbook.assets)}


def asset_page(number: int) -> str:
    """The docs path of the asset reference's page `number` (0 is the first)."""
    return "assets.md" if number == 0 else f"assets-{number + 1}.md"


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL of a docs page, relative to the site's root, as MkDocs makes it."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(page: str, target: str, directory_urls: bool = True) -> str:
    """The URL of target (a docs path, with an optional #fragment) as seen from page, for HTML
    that MkDocs does not rewrite (raw HTML blocks)."""
    path, _, fragment = target.partition("#")
    base = page_url(page, directory_urls)
    url = page_url(path, directory_urls) if path else base
    folder = base.rsplit("/", 1)[0] if "/" in base else ""
    rel = posixpath.relpath(url or ".", folder or ".")
    if url.endswith("/") or not url:
        rel = rel.rstrip("/") + "/"
    if rel.startswith("./") and len(rel) > 2:
        rel = rel[2:]
    return rel + (f"#{fragment}" if fragment else "")


def _href_function(playbook: Playbook, pages: dict[str, str], directory_urls: bool) -> Callable[..., Md]:
    links = {a.id: a.link for a in playbook.assets}

    @pass_context
    def href(context: Context, kind: str, id: str | None = None) -> Md:
        """An HTML-ready URL from the current page: to an entity (kind, id), to a generated
        page (kind 'page', id its docs path), to a static file ('static', name), or an
        asset's own link ('open', asset id)."""
        page = context["page"]
        if kind == "page":
            assert id is not None and (id in GENERATED or id.startswith("stages/") or id == "index.md")
            target = id
        elif kind == "static":
            target = f"{STATIC}/{id}"
        elif kind == "open":
            link = links[str(id)]
            if not SAFE_LINK.fullmatch(link):
                raise ValueError(f"not a safe link: {link!r}")
            if link.startswith("https://"):
                return Md(html.escape(link, quote=True))
            target = link
        else:
            assert id is not None
            target = _url(kind, id, pages)
        return Md(html.escape(relative_url(page, target, directory_urls), quote=True))

    return href


def _html_paragraphs(text: object) -> Md:
    """Untrusted text as HTML paragraphs, for raw HTML blocks (see paragraphs)."""
    text = str(text).strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return Md("".join(f"<p>{inline(block)}</p>" for block in blocks if block.strip()))


def _ids(values: Any) -> Md:
    """Ids for a data attribute: space-separated, each checked as an anchor."""
    return Md(" ".join(anchor(v) for v in values))


def _stage_class(playbook: Playbook, stage_id: str) -> Md:
    """'pb-stage-3': the colour of a stage, by its place, in six colours that repeat."""
    place = [s.id for s in playbook.stages].index(stage_id)
    return Md(f"pb-stage-{place % 6 + 1}")


def badges(playbook: Playbook, entry: Asset | Persona) -> list[tuple[str, str]]:
    """(kind, words) for each date of an asset or persona that needs attention: withdrawn, ending
    soon, review overdue. Dates come from the schema's date format, so they are plain text."""
    fresh = playbook.freshness(entry)
    found = []
    if fresh.withdrawn:
        found.append(("withdrawn", f"Withdrawn after {fresh.expires}: do not send"))
    elif fresh.expiring:
        found.append(("expiring", f"Can be sent until {fresh.expires}"))
    if fresh.overdue:
        found.append(("overdue", f"Review overdue since {fresh.review_by}"))
    return found


def _badges(playbook: Playbook, entry: Asset | Persona) -> Md:
    """The badges of an asset or persona as HTML."""
    return Md(" ".join(f'<span class="pb-badge pb-badge--{kind}">{html.escape(words)}</span>'
                       for kind, words in badges(playbook, entry)))


def _target(metric: Metric) -> str:
    """'at least USD 3,000,000', 'at most 1 hour', 'at least 30%'."""
    value = metric.target.value
    number = f"{value:,}"  # every digit as written: 44482.76 is not 44,482.8
    words = "at least" if metric.target.direction == "at-least" else "at most"
    if metric.unit == "percent":
        return f"{words} {number}%"
    if metric.unit == "currency":
        return f"{words} {metric.currency} {number}" if metric.currency else f"{words} {number}"
    if metric.unit in ("days", "hours"):
        return f"{words} {number} {metric.unit[:-1] if value == 1 else metric.unit}"
    return f"{words} {number}"


def _label(value: str) -> str:
    """'business-hours' -> 'business hours'."""
    return value.replace("-", " ")


def _url(kind: str, id: str, pages: dict[str, str]) -> str:
    if kind == "stage":
        return f"stages/{anchor(id)}.md"
    if kind == "asset":
        return f"{pages[id]}#{anchor(id)}"
    return f"{PAGES[kind]}#{anchor(id)}"


def _relative(page: str, target: str) -> str:
    path, _, fragment = target.partition("#")
    rel = "" if path == page else posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{fragment}" if fragment else "")


def _ref_function(playbook: Playbook, pages: dict[str, str]) -> Callable[..., Md]:
    @pass_context
    def ref(context: Context, kind: str, id: str, text: str | None = None) -> Md:
        """A Markdown link from the current page to an entity, named by its name."""
        target = _relative(context["page"], _url(kind, id, pages))
        return Md(f"[{inline(text if text is not None else playbook.names[kind][id])}]({target})")

    return ref


@pass_context
def _file_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a file the site publishes (docs-relative)."""
    if not target.startswith(("downloads/", f"{STATIC}/")) or not SAFE_LINK.fullmatch(target):
        raise ValueError(f"not a published file: {target!r}")
    return Md(f"[{inline(text)}]({_relative(context['page'], target)})")


@pass_context
def _page_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a generated page (target is docs-relative)."""
    if target not in GENERATED and not target.startswith(("stages/", "assets-")):
        raise ValueError(f"not a generated page: {target!r}")
    return Md(f"[{inline(text)}]({_relative(context['page'], target)})")


PAGE_TITLES = {"onboarding.md": "Start here", "finder.md": "Find an asset", "lifecycle.md": "Lifecycle and handoffs",
               "glossary.md": "Glossary", "personas.md": "Personas", "assets.md": "Assets",
               "metrics.md": "Shared goals", "coverage.md": "Coverage", "review.md": "Needs review",
               "changes.md": "Recent changes", "about.md": "Who is who"}


def page_titles(playbook: Playbook) -> dict[str, str]:
    """The title of every generated page, as HTML-escaped text (see plain_title)."""
    titles = {f"stages/{anchor(s.id)}.md": plain_title(f"{s.order}. {s.name}") for s in playbook.stages}
    titles.update((page, plain_title(name)) for page, name in PAGE_TITLES.items())
    count = asset_page_count(playbook)
    titles.update((asset_page(n), plain_title(f"Assets, page {n + 1} of {count}")) for n in range(1, count))
    titles["index.md"] = plain_title(playbook.settings.site_name)
    return titles


@contextmanager
def _texts(texts: Texts | None) -> Iterator[None]:
    """Render with texts as tokens (a site) or, with None, as character references."""
    reset = _TEXTS.set(texts)
    try:
        yield
    finally:
        _TEXTS.reset(reset)


def asset_page_count(playbook: Playbook) -> int:
    return max(1, -(-len(playbook.assets) // ASSETS_PER_PAGE))


def render_pages(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True,
                 terms: bool = True) -> dict[str, str]:
    """Every generated page: path relative to the docs folder -> Markdown (with tokens for texts,
    when given). Links in raw HTML are written for a site with `use_directory_urls` as given."""
    with _texts(texts):
        return _render_pages(playbook, directory_urls, terms)


def _render_pages(playbook: Playbook, directory_urls: bool, terms: bool = True) -> dict[str, str]:
    env = _environment(playbook, directory_urls)
    pages: dict[str, str] = {}
    for stage in playbook.stages:
        page = f"stages/{anchor(stage.id)}.md"
        pages[page] = env.get_template("stage.md.j2").render(page=page, stage=stage,
                                                             **_stage_context(playbook, stage.order))
    context = {"glossary_groups": _glossary_groups(playbook), "needs_review": _needs_review(playbook),
               "topics": _topics(playbook), "coverage": coverage(playbook),
               "onboarding": onboarding(playbook, {p: PAGE_TITLES[p] for p in GENERATED}), "STEPS": STEPS,
               "used_in": used_in(playbook) if terms else {},
               "TOPIC_PREFIX": Md(GLOSSARY_TOPIC_PREFIX), "USED_IN_NAMES": USED_IN_NAMES,
               "window": REVIEW_WINDOW_DAYS, "kind_names": {k: v[0] for k, v in KIND_NAMES.items()}}
    for page in GENERATED:
        if page != "assets.md":
            pages[page] = env.get_template(page + ".j2").render(page=page, **context)
    count = asset_page_count(playbook)
    for number in range(count):
        page = asset_page(number)
        chunk = playbook.assets[number * ASSETS_PER_PAGE:(number + 1) * ASSETS_PER_PAGE]
        pages[page] = env.get_template("assets.md.j2").render(
            page=page, assets=chunk, number=number + 1, count=count,
            pager=[(n + 1, asset_page(n)) for n in range(count)])
    return pages


@dataclass(frozen=True)
class _Due:
    """One line of the "Needs review" page."""

    kind: str  # "asset" or "persona"
    entry: Asset | Persona
    what: str  # "Withdrawn", "Review overdue" ...
    date: str
    days: int  # negative: that many days ago


def _needs_review(playbook: Playbook) -> dict[str, list[_Due]]:
    """By owning team: what is past or within REVIEW_WINDOW_DAYS of its review or end date,
    the most urgent first."""
    due: dict[str, list[_Due]] = {}
    entries: list[tuple[str, Asset | Persona]] = [("asset", a) for a in playbook.assets]
    entries += [("persona", p) for p in playbook.personas]
    for kind, entry in entries:
        fresh = playbook.freshness(entry)
        found = []
        if fresh.withdrawn or fresh.expiring:
            assert fresh.expires is not None and fresh.expires_days is not None
            found.append(_Due(kind, entry, "Withdrawn" if fresh.withdrawn else "Can be sent until",
                              fresh.expires, fresh.expires_days))
        if fresh.overdue or fresh.review_soon:
            found.append(_Due(kind, entry, "Review overdue" if fresh.overdue else "Review due",
                              fresh.review_by, fresh.review_days))
        due.setdefault(entry.owner, []).extend(found)
    return {team: sorted(items, key=lambda d: (d.days, d.kind, d.entry.id))
            for team, items in sorted(due.items()) if items}


def finder_data(playbook: Playbook, directory_urls: bool = True) -> dict[str, Any]:
    """What the asset finder reads: every asset, in the order to use them (withdrawn ones
    marked), and the values to filter by. Texts are data here: the page's script shows them
    as text, never as HTML."""
    pages = asset_pages(playbook)

    def status(asset: Asset) -> str:
        fresh = playbook.freshness(asset)
        return "withdrawn" if fresh.withdrawn else "overdue" if fresh.overdue else "current"

    owners = sorted({a.owner for a in playbook.assets})
    types = sorted({a.type for a in playbook.assets}, key=lambda t: ASSET_TYPES[t][0].casefold())
    return {
        "facets": {
            "stage": [{"id": s.id, "name": f"{s.order}. {s.name}", "url": page_url(f"stages/{s.id}.md", directory_urls)}
                      for s in playbook.stages],
            "persona": [{"id": p.id, "name": p.name, "url": f"{page_url('personas.md', directory_urls)}#{p.id}"}
                        for p in playbook.personas],
            "type": [{"id": t, "name": _capital(ASSET_TYPES[t][0])} for t in types],
            "owner": [{"id": o, "name": playbook.settings.teams[o].name} for o in owners],
        },
        "assets": [
            {"id": a.id, "title": a.title, "type": a.type, "type_name": _capital(ASSET_TYPES[a.type][0]),
             "stages": list(a.stages), "personas": list(a.personas), "owner": a.owner, "use_when": a.use_when,
             "talking_points": list(a.talking_points), "link": a.link,
             "details": f"{page_url(pages[a.id], directory_urls)}#{a.id}", "review_by": a.review_by,
             "expires": a.expires, "status": status(a), "badges": [list(b) for b in badges(playbook, a)]}
            for a in sorted(playbook.assets, key=send_order)
        ],
    }


def _capital(words: str) -> str:
    """'battle card' -> 'Battle card'; 'ROI calculator' stays."""
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class _Topic:
    anchor: str
    name: str
    description: str | None
    terms: list[Term]


def _topics(playbook: Playbook) -> list[_Topic]:
    """The glossary's topics as playbook.yaml declares them (each shown, even before it has a
    term), each with its terms A to Z; the terms of no topic last, under "Other terms"."""
    topics = {g.id: _Topic(GLOSSARY_TOPIC_PREFIX + g.id, g.name, g.description, [])
              for g in playbook.settings.glossary_groups}
    other = _Topic("other-terms", "Other terms", None, [])
    for term in playbook.terms:
        topics.get(term.group or "", other).terms.append(term)
    return [*topics.values(), *([other] if other.terms else [])]


@dataclass(frozen=True)
class _Letter:
    initial: str
    anchor: str
    terms: list[Term]


def _glossary_groups(playbook: Playbook) -> list[_Letter]:
    """Terms by initial, A to Z; an initial that is not an ASCII letter gets a code-point anchor."""
    groups: dict[str, list[Term]] = {}
    for term in playbook.terms:
        groups.setdefault(_initial(term.name), []).append(term)
    return [_Letter(i, GLOSSARY_LETTER_PREFIX + (i.lower() if i.isascii() and i.isalnum() else f"u{ord(i):x}"), terms)
            for i, terms in sorted(groups.items())]


def _initial(name: str) -> str:
    """The letter a name is filed under: its first visible character in upper case, where that
    is one character ('և' upper-cases to two, and stays as it is)."""
    first = next((c for c in name if not c.isspace() and unicodedata.category(c) != "Cf"), "#")
    upper = first.upper()
    return upper if len(upper) == 1 else first


def _stage_context(playbook: Playbook, order: int) -> dict[str, Any]:
    index = [s.order for s in playbook.stages].index(order)
    before = playbook.stages[index - 1] if index > 0 else None
    after = playbook.stages[index + 1] if index + 1 < len(playbook.stages) else None
    return {"previous": before, "next": after}


def render_overview(playbook: Playbook, page: str = "index.md", texts: Texts | None = None,
                    directory_urls: bool = True) -> str:
    """The home page's generated part: introduction, stages at a glance, where to start."""
    with _texts(texts):
        return _environment(playbook, directory_urls).get_template("overview.md.j2").render(page=page)


def render_home(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True) -> str:
    """A whole home page, for a site whose docs folder has no index.md."""
    with _texts(texts):
        overview = render_overview(playbook, texts=texts, directory_urls=directory_urls)
        return f"# {title(playbook.settings.site_name)} {{ #playbook }}\n\n{overview}"


def expand_markers(markdown: str, playbook: Playbook, page: str, texts: Texts | None = None,
                   directory_urls: bool = True) -> str:
    """Replace the overview marker in a hand-written page with the generated overview."""
    if OVERVIEW_MARKER not in markdown:
        return markdown
    return markdown.replace(OVERVIEW_MARKER, render_overview(playbook, page, texts, directory_urls))

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

A text may name an agreed value, `[[discount-ae-max]]` (see values.py): `inline` splits the text
at each reference it knows, writes the parts between as above, and writes the reference as a link
this module builds, to the value on the Agreed values page, holding the value's text made inert the
same way. A reference inside a link (a card, a chip, a link to an entry) is the value's text alone.
"""

from __future__ import annotations

import functools
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

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context

from .coverage import coverage
from .diagram import lifecycle_svg
from ..changes.diff import KIND_NAMES
from ..changes.history import History
from ..rules.anchors import GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX, SECTION_ANCHORS
from ..model.playbook import Asset, Metric, Persona, Playbook, Term, send_order
from ..rules.freshness import REVIEW_WINDOW_DAYS
from ..source.numbers import measure
from ..rules.anchors import STEPS
from .onboarding import onboarding
from ..rules.values import REFERENCE, Use, expand
from ..rules.values import uses as value_uses
from .vocabulary import used_in

ANCHOR = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SAFE_LINK = re.compile(r"(?=[!-~]+\Z)https://[^\s<>\"'`()\\]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)(?!.*\.\.)[A-Za-z0-9._/-]+")
OVERVIEW_MARKER = "<!-- playbook:overview -->"

# Where each kind of entity lives; the anchor on that page is the entity's id.
PAGES = {"lifecycle": "lifecycle.md", "handoff": "lifecycle.md", "term": "glossary.md",
         "persona": "personas.md", "asset": "assets.md", "metric": "metrics.md"}
USED_IN_NAMES = {"stage": "stages:", "lifecycle": "lifecycle states:", "handoff": "handoffs:", "asset": "assets:"}
# The pages every playbook has, in the order of the navigation.
GENERATED = ("onboarding.md", "finder.md", "assets.md", "personas.md", "lifecycle.md", "glossary.md", "metrics.md",
             "values.md", "coverage.md", "review.md", "changes.md", "about.md")
# Where the agreed values are listed; each value's anchor there is VALUE_PREFIX + its id.
VALUES_PAGE = "values.md"
VALUE_PREFIX = "value-"
# The asset reference is split into pages of this many assets, so no page grows with the
# playbook: assets.md, then assets-2.md, assets-3.md ... The glossary and the personas likewise.
ASSETS_PER_PAGE = 100
TERMS_PER_PAGE = 150
PERSONAS_PER_PAGE = 40
# The kinds shown on a run of pages: the first page, and how many entries a page holds.
PARTS = {"asset": ("assets.md", ASSETS_PER_PAGE), "term": ("glossary.md", TERMS_PER_PAGE),
         "persona": ("personas.md", PERSONAS_PER_PAGE)}
# A stage page shows this many cards, in the order to use them; the finder shows every asset.
STAGE_CARDS = 60
# The personas page names this many assets of each persona; the finder shows them all.
PERSONA_ASSETS = 20
# The Agreed values page names this many entries of each kind that use a value, then counts the rest.
USES_SHOWN = 12
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
        return self.html(html.escape(words, quote=True))

    def html(self, markup: str) -> Md:
        """A token for HTML this module built itself from escaped text (a link to a value)."""
        key = f"pbt{self.nonce}x{len(self.table)}x"
        self.table[key] = markup
        return Md(key)

    def restore(self, text: str) -> str:
        """HTML (or a title) with every token replaced by its escaped text."""
        if "pbt" not in text:
            return text
        return self.pattern.sub(lambda match: self.table.get(match.group(), ""), text)


# The Texts of the rendering under way; without one, text is written as character references,
# which any Markdown engine shows as written (`playbook render`).
_TEXTS: ContextVar[Texts | None] = ContextVar("texts", default=None)


@dataclass(frozen=True)
class _Page:
    """The page being rendered, for links to the agreed values from its texts."""

    values: dict[str, str]  # id -> the value's text
    page: str  # its docs path
    directory_urls: bool


_PAGE: ContextVar[_Page | None] = ContextVar("page", default=None)


def inline(text: object, link: bool = True, values: bool = True) -> Md:
    """Untrusted text as inert Markdown on one line, whitespace collapsed: a token (see Texts)
    while a site is rendered, else every character other than a letter, digit or space
    written as a numeric character reference.

    Each reference to an agreed value (`[[discount-ae-max]]`) becomes the value's text, inert
    too, in a link to it (without one where `link` is False: in titles and inside other links).
    A reference to no known value is text as written (validation reports it). With `values`
    False, references too are text as written (the changes page quotes texts)."""
    words = " ".join(str(text).split())
    texts = _TEXTS.get()
    where = _PAGE.get()
    if not values or where is None or not where.values or "[[" not in words:
        return Md(texts.token(words) if texts is not None else _inert(words, None))
    parts = []
    last = 0
    for match in REFERENCE.finditer(words):
        value = where.values.get(match.group(1))
        if value is None:
            continue
        parts.append(_inert(words[last:match.start()], texts))
        parts.append(_value(match.group(1), value, where, texts) if link else _inert(value, texts))
        last = match.end()
    parts.append(_inert(words[last:], texts))
    return Md("".join(parts))


def _inert(words: str, texts: Texts | None) -> str:
    if not words:
        return ""
    if texts is not None:
        return texts.token(words)
    return "".join(c if c.isalnum() or c == " " else f"&#{ord(c)};" for c in words)


_VALUE_LINK = re.compile(r'(<a class="pb-value" href="[^"<>]*">)|(?i:<a\b)|(?i:</a\s*>)')


def _value(id: str, value: str, where: _Page, texts: Texts | None) -> str:
    """A link to an agreed value on its page, holding the value's text: HTML this module builds,
    with a URL made from a checked id and the value's text escaped (a token while a site is built,
    so Markdown never sees it; character references for `playbook render`)."""
    url = relative_url(where.page, f"{VALUES_PAGE}#{VALUE_PREFIX}{anchor(id)}", where.directory_urls)
    words = " ".join(value.split())
    if texts is not None:
        return texts.html(f'<a class="pb-value" href="{html.escape(url, quote=True)}">'
                          f"{html.escape(words, quote=True)}</a>")
    return f'<a class="pb-value" href="{html.escape(url, quote=True)}">{_inert(words, None)}</a>'


def unnest_value_links(page: str) -> str:
    """HTML (or Markdown with raw HTML) with every link to a value that sits inside another link
    replaced by its text: a card or a chip that is a link holds the value's text, not a second
    link. One pass; the links counted are this module's and the templates' own (texts are tokens
    or escaped, so no text can open or close one)."""
    if 'class="pb-value"' not in page:
        return page
    out = []
    last = 0
    dropped: list[bool] = []  # for each open link: whether it was a nested value link, left out
    for match in _VALUE_LINK.finditer(page):
        out.append(page[last:match.start()])
        last = match.end()
        tag = match.group()
        if tag.startswith("</"):
            if not (dropped and dropped.pop()):
                out.append(tag)
        elif match.group(1) is not None and dropped:
            dropped.append(True)
        else:
            dropped.append(False)
            out.append(tag)
    out.append(page[last:])
    return "".join(out)


def strip_value_links(text: str) -> str:
    """HTML with every link to a value replaced by its text (for the table of contents)."""
    if 'class="pb-value"' not in text:
        return text
    return re.sub(r'<a class="pb-value" href="[^"<>]*">([^<]*)</a>', r"\1", text)


# Titles reach the theme unescaped: navigation and page titles are printed as they are, as HTML.
# So a title is HTML-escaped text; the plugin also gives it to the page as its `meta.title`,
# which the theme prints in <title> as it is, instead of the heading's text after `striptags`
# (which decodes character references: a decoded `</title>` would end the element).
def plain_title(text: object, values: dict[str, str] | None = None) -> str:
    """Untrusted text for a page or navigation title: one line, HTML-escaped, with the agreed
    values it names written out."""
    return html.escape(" ".join(expand(str(text), values or {}).split()), quote=True)


def title(text: object) -> Md:
    """Untrusted text for a page's first heading: inert as Markdown, values as text."""
    return inline(text, link=False)


def plain(text: object) -> Md:
    """Untrusted text inside a link: inert, with the values it names as text (no link in a link)."""
    return inline(text, link=False)


def verbatim(text: object) -> Md:
    """Untrusted text quoted as written: inert, references to values left as they are."""
    return inline(text, values=False)


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


class _InMemory(BytecodeCache):
    """The templates compiled once per process (Jinja checks each against its source): every
    rebuild under `mkdocs serve` makes a new environment, and compiling took a fifth of rendering."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _InMemory()


def _environment(playbook: Playbook, directory_urls: bool = True) -> Environment:
    env = Environment(loader=PackageLoader("generator.site", "templates"), undefined=StrictUndefined,
                      autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_finalize, bytecode_cache=_COMPILED)
    pages = entry_pages(playbook)
    # built: Markdown a template put together from parts it printed (each already made inert).
    env.filters.update(built=Md, para=paragraphs, title=title, plain=plain, verbatim=verbatim, target=_target,
                       anchor=anchor,
                       measure=_measure,
                       link=_link_filter, label=_label,
                       asset_type=lambda t: ASSET_TYPES[t][1], asset_kind=lambda t: ASSET_TYPES[t][0],
                       html_paras=_html_paragraphs, ids=_ids, kind_name=lambda t: _capital(ASSET_TYPES[t][0]))
    env.globals.update(pb=playbook, ref=_ref_function(playbook, pages), page_link=_page_link, file_link=_file_link,
                       href=_href_function(playbook, pages, directory_urls), badges=_badges,
                       stage_class=_stage_class, STAGE_CARDS=STAGE_CARDS, PERSONA_ASSETS=PERSONA_ASSETS,
                       lifecycle_diagram=lambda: Md(lifecycle_svg(playbook, plain)))
    return env


def part_page(kind: str, number: int) -> str:
    """The docs path of page `number` (0 is the first) of a kind shown on a run of pages."""
    first = PARTS[kind][0]
    return first if number == 0 else f"{first[:-3]}-{number + 1}.md"


def in_page_order(playbook: Playbook, kind: str) -> list[Any]:
    """The entries of a kind of PARTS in the order its pages show them."""
    if kind == "term":
        return [term for group in _glossary_groups(playbook) for term in group.terms]
    return list(playbook.assets if kind == "asset" else playbook.personas)


def page_count(kind: str, entries: int) -> int:
    """How many pages show so many entries of a kind of PARTS (at least one)."""
    return max(1, -(-entries // PARTS[kind][1]))


def _on_pages(kind: str, entries: list[Any]) -> dict[str, str]:
    """The page each entry is on, for entries of a kind of PARTS in the pages' order."""
    per = PARTS[kind][1]
    return {entry.id: part_page(kind, i // per) for i, entry in enumerate(entries)}


def entry_pages(playbook: Playbook) -> dict[str, dict[str, str]]:
    """For each kind of PARTS, the page each entry is on: so many to a page, in the pages' order."""
    return {kind: _on_pages(kind, in_page_order(playbook, kind)) for kind in PARTS}


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL of a docs page, relative to the site's root, as MkDocs makes it."""
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/" if directory_urls else f"{stem}.html"


@functools.lru_cache(maxsize=65_536)
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


def _href_function(playbook: Playbook, pages: dict[str, dict[str, str]], directory_urls: bool) -> Callable[..., Md]:
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
    words = "at least" if metric.target.direction == "at-least" else "at most"
    return f"{words} {_measure(metric, metric.target.value)}"


def _measure(metric: Metric, value: float) -> str:
    """A value in the goal's unit: 'USD 3,000,000', '1 hour', '30%'."""
    return measure(metric.unit, metric.currency, value)


def _label(value: str) -> str:
    """'business-hours' -> 'business hours'."""
    return value.replace("-", " ")


def _url(kind: str, id: str, pages: dict[str, dict[str, str]]) -> str:
    if kind == "value":
        return f"{VALUES_PAGE}#{VALUE_PREFIX}{anchor(id)}"
    if kind == "stage":
        return f"stages/{anchor(id)}.md"
    if kind == "forecast":
        return f"{PAGES['lifecycle']}#forecast-{anchor(id)}"
    if kind in PARTS:
        return f"{pages[kind][id]}#{anchor(id)}"
    return f"{PAGES[kind]}#{anchor(id)}"


@functools.lru_cache(maxsize=65_536)
def _relative(page: str, target: str) -> str:
    path, _, fragment = target.partition("#")
    rel = "" if path == page else posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{fragment}" if fragment else "")


def _ref_function(playbook: Playbook, pages: dict[str, dict[str, str]]) -> Callable[..., Md]:
    @pass_context
    def ref(context: Context, kind: str, id: str, text: str | None = None) -> Md:
        """A Markdown link from the current page to an entity, named by its name."""
        target = _relative(context["page"], _url(kind, id, pages))
        return Md(f"[{plain(text if text is not None else playbook.names[kind][id])}]({target})")

    return ref


@pass_context
def _file_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a file the site publishes (docs-relative)."""
    if not target.startswith(("downloads/", f"{STATIC}/")) or not SAFE_LINK.fullmatch(target):
        raise ValueError(f"not a published file: {target!r}")
    return Md(f"[{plain(text)}]({_relative(context['page'], target)})")


@pass_context
def _page_link(context: Context, target: str, text: str) -> Md:
    """A Markdown link from the current page to a generated page (target is docs-relative)."""
    if target not in GENERATED and target != "index.md" and not target.startswith(
            ("stages/", *(first[:-3] + "-" for first, _ in PARTS.values()))):
        raise ValueError(f"not a generated page: {target!r}")
    return Md(f"[{plain(text)}]({_relative(context['page'], target)})")


PAGE_TITLES = {"onboarding.md": "Start here", "finder.md": "Find an asset", "lifecycle.md": "Lifecycle and handoffs",
               "glossary.md": "Glossary", "personas.md": "Personas", "assets.md": "Assets",
               "metrics.md": "Shared goals", "values.md": "Agreed values", "coverage.md": "Coverage",
               "review.md": "Needs review", "changes.md": "Recent changes", "about.md": "Who is who"}


def page_titles(playbook: Playbook) -> dict[str, str]:
    """The title of every generated page, as HTML-escaped text (see plain_title)."""
    titles = {f"stages/{anchor(s.id)}.md": plain_title(f"{s.order}. {s.name}", playbook.values)
              for s in playbook.stages}
    titles.update((page, plain_title(name)) for page, name in PAGE_TITLES.items())
    for kind in PARTS:
        count = page_count(kind, len(in_page_order(playbook, kind)))
        name = PAGE_TITLES[PARTS[kind][0]]
        titles.update((part_page(kind, n), plain_title(f"{name}, page {n + 1} of {count}")) for n in range(1, count))
    titles["index.md"] = plain_title(playbook.settings.site_name, playbook.values)
    return titles


@contextmanager
def _texts(texts: Texts | None) -> Iterator[None]:
    """Render with texts as tokens (a site) or, with None, as character references."""
    reset = _TEXTS.set(texts)
    try:
        yield
    finally:
        _TEXTS.reset(reset)


@contextmanager
def _on_page(playbook: Playbook, page: str, directory_urls: bool) -> Iterator[None]:
    """Render the texts of one page: links to the agreed values are made relative to it."""
    reset = _PAGE.set(_Page(playbook.values, page, directory_urls))
    try:
        yield
    finally:
        _PAGE.reset(reset)


def _render(env: Environment, playbook: Playbook, template: str, page: str, directory_urls: bool,
            **context: Any) -> str:
    with _on_page(playbook, page, directory_urls):
        markdown = env.get_template(template).render(page=page, **context)
    # For `playbook render`, links in raw HTML are in the Markdown itself; for a site, the
    # plugin does the same on the page's HTML, once the texts are in it.
    return markdown if _TEXTS.get() is not None else unnest_value_links(markdown)


def render_pages(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True,
                 terms: bool = True, history: History | None = None) -> dict[str, str]:
    """Every generated page: path relative to the docs folder -> Markdown (with tokens for texts,
    when given). Links in raw HTML are written for a site with `use_directory_urls` as given.
    `history` is what changed lately (None: not a git checkout), for the Recent changes page."""
    with _texts(texts):
        return _render_pages(playbook, directory_urls, terms, history)


def _render_pages(playbook: Playbook, directory_urls: bool, terms: bool = True,
                  history: History | None = None) -> dict[str, str]:
    env = _environment(playbook, directory_urls)
    env.globals["history"] = history
    pages: dict[str, str] = {}
    for stage in playbook.stages:
        page = f"stages/{anchor(stage.id)}.md"
        pages[page] = _render(env, playbook, "stage.md.j2", page, directory_urls, stage=stage,
                              **_stage_context(playbook, stage.order))
    groups = _glossary_groups(playbook)
    context = {"glossary_groups": groups, "needs_review": _needs_review(playbook),
               "topics": _topics(playbook), "coverage": coverage(playbook),
               "onboarding": onboarding(playbook, {p: PAGE_TITLES[p] for p in GENERATED}), "STEPS": STEPS,
               "used_in": used_in(playbook) if terms else {},
               "TOPIC_PREFIX": Md(GLOSSARY_TOPIC_PREFIX), "USED_IN_NAMES": USED_IN_NAMES,
               "window": REVIEW_WINDOW_DAYS, "kind_names": {k: v[0] for k, v in KIND_NAMES.items()},
               "value_uses": _value_uses(playbook), "VALUE_PREFIX": Md(VALUE_PREFIX), "USES_SHOWN": USES_SHOWN}
    firsts = {first: kind for kind, (first, _) in PARTS.items()}
    for page in GENERATED:
        if page not in firsts:
            pages[page] = _render(env, playbook, page + ".j2", page, directory_urls, **context)
    glossary = _glossary_pages(groups)
    for kind, (first, per) in PARTS.items():
        entries = in_page_order(playbook, kind)
        count = page_count(kind, len(entries))
        pager = [(n + 1, part_page(kind, n)) for n in range(count)]
        for number in range(count):
            page = part_page(kind, number)
            chunk = entries[number * per:(number + 1) * per]
            pages[page] = _render(env, playbook, first + ".j2", page, directory_urls, **context,
                                  number=number + 1, count=count, pager=pager,
                                  **_part_context(kind, chunk, page, glossary, directory_urls))
    return pages


@dataclass(frozen=True)
class _GlossaryPages:
    """The glossary's letters, where each starts, and each page's terms by letter."""

    starts: list[tuple[_Letter, str]]  # each letter and the page of its first term
    by_page: dict[str, list[_Letter]]


def _glossary_pages(groups: list[_Letter]) -> _GlossaryPages:
    pages = _on_pages("term", [term for group in groups for term in group.terms])
    by_page: dict[str, list[_Letter]] = {}
    for group in groups:
        for term in group.terms:
            shown = by_page.setdefault(pages[term.id], [])
            if not shown or shown[-1].anchor != group.anchor:
                shown.append(_Letter(group.initial, group.anchor, []))
            shown[-1].terms.append(term)
    return _GlossaryPages([(g, pages[g.terms[0].id]) for g in groups], by_page)


def _part_context(kind: str, chunk: list[Any], page: str, glossary: _GlossaryPages,
                  directory_urls: bool) -> dict[str, Any]:
    """What one page of a run shows: its entries; on a glossary page, its terms by letter, the
    link to each letter wherever it starts, and the way to the topics on the first page."""
    if kind == "asset":
        return {"assets": chunk}
    if kind == "persona":
        return {"personas": chunk}
    letters = []
    for group, where in glossary.starts:
        url = f"#{group.anchor}" if where == page else relative_url(page, f"{where}#{group.anchor}", directory_urls)
        letters.append((group.initial, Md(html.escape(url, quote=True))))
    return {"page_groups": glossary.by_page.get(page, []), "letters": letters,
            "topics_page": Md("" if page == PARTS["term"][0] else _relative(page, PARTS["term"][0]))}


# Where the settings' texts are shown, by field of playbook.yaml.
_SETTINGS_PAGES = {"site_name": "index.md", "introduction": "index.md", "glossary_groups": "glossary.md",
                   "roles": "onboarding.md"}


@dataclass(frozen=True)
class _ValueUse:
    """One entry whose text names a value, for the Agreed values page."""

    kind: str  # an entry's kind, or "page" for the settings (shown on `id`, a docs path)
    id: str
    name: str
    fields: tuple[str, ...]


def _value_uses(playbook: Playbook) -> dict[str, dict[str, list[_ValueUse]]]:
    """For each agreed value, the entries whose texts name it, with the fields they name it in,
    by kind ("pages", "stages", "lifecycle states" ...), in the playbook's order of kinds."""
    if not playbook.values:
        return {}
    def entries() -> Iterator[tuple[str, str, Any]]:
        yield "playbook", "playbook", {k: v for k, v in _fields(playbook.settings).items() if k != "values"}
        for value in playbook.settings.values:  # a description may name another value
            yield "value", value.id, {"description": value.description}
        for kind, items in (("stage", playbook.stages), ("lifecycle", playbook.lifecycle),
                            ("handoff", playbook.handoffs), ("term", playbook.terms), ("persona", playbook.personas),
                            ("asset", playbook.assets), ("metric", playbook.metrics)):
            for item in items:
                yield kind, item.id, _fields(item)

    found: dict[str, dict[str, list[_ValueUse]]] = {}
    for name, places in value_uses(entries()).items():
        grouped: dict[tuple[str, str], list[str]] = {}
        for use in places:
            grouped.setdefault(_use_target(use), []).append(use.field.replace("_", " "))
        by_kind = found.setdefault(name, {})
        for (kind, id), fields in grouped.items():
            label = "pages" if kind == "page" else KIND_NAMES[kind][1]
            name = (PAGE_TITLES.get(id, "Home") if kind == "page" else id if kind == "value"
                    else playbook.names[kind][id])
            by_kind.setdefault(label, []).append(_ValueUse(kind, id, name, tuple(dict.fromkeys(fields))))
    return found


def _use_target(use: Use) -> tuple[str, str]:
    if use.kind != "playbook":
        return use.kind, use.id
    return "page", _SETTINGS_PAGES.get(use.field, "about.md")


def _fields(entry: Any) -> dict[str, Any]:
    """An entry's fields as plain data, without its id and source file."""
    return {k: _plain(getattr(entry, k)) for k in entry.__dataclass_fields__ if k not in ("id", "source")}


def _plain(value: Any) -> Any:
    """Dataclasses as dicts and tuples as lists, sharing the texts and numbers (dataclasses.asdict
    copies every one of them: most of the time of the Agreed values page)."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _plain(item) for k, item in value.items()}
    return value


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
    every = entry_pages(playbook)
    pages, persona_pages = every["asset"], every["persona"]

    def text(words: str) -> str:  # the agreed values a text names, written out
        return expand(words, playbook.values)

    def status(asset: Asset) -> str:
        fresh = playbook.freshness(asset)
        return "withdrawn" if fresh.withdrawn else "overdue" if fresh.overdue else "current"

    owners = sorted({a.owner for a in playbook.assets})
    types = sorted({a.type for a in playbook.assets}, key=lambda t: ASSET_TYPES[t][0].casefold())
    return {
        "facets": {
            "stage": [{"id": s.id, "name": f"{s.order}. {text(s.name)}",
                       "url": page_url(f"stages/{s.id}.md", directory_urls)} for s in playbook.stages],
            "persona": [{"id": p.id, "name": text(p.name),
                         "url": f"{page_url(persona_pages[p.id], directory_urls)}#{p.id}"} for p in playbook.personas],
            "type": [{"id": t, "name": _capital(ASSET_TYPES[t][0])} for t in types],
            "owner": [{"id": o, "name": text(playbook.settings.teams[o].name)} for o in owners],
        },
        "assets": [
            {"id": a.id, "title": text(a.title), "type": a.type, "type_name": _capital(ASSET_TYPES[a.type][0]),
             "stages": list(a.stages), "personas": list(a.personas), "owner": a.owner,
             "use_when": text(a.use_when) if a.use_when is not None else None,
             "talking_points": [text(t) for t in a.talking_points], "link": a.link,
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
        return _render(_environment(playbook, directory_urls), playbook, "overview.md.j2", page, directory_urls)


def render_home(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True) -> str:
    """A whole home page, for a site whose docs folder has no index.md."""
    with _texts(texts), _on_page(playbook, "index.md", directory_urls):
        overview = render_overview(playbook, texts=texts, directory_urls=directory_urls)
        return f"# {title(playbook.settings.site_name)} {{ #playbook }}\n\n{overview}"


def expand_markers(markdown: str, playbook: Playbook, page: str, texts: Texts | None = None,
                   directory_urls: bool = True) -> str:
    """Replace the overview marker in a hand-written page with the generated overview."""
    if OVERVIEW_MARKER not in markdown:
        return markdown
    return markdown.replace(OVERVIEW_MARKER, render_overview(playbook, page, texts, directory_urls))

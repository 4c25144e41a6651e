"""Render the playbook's pages to Markdown: the Jinja environment the templates run in, and
every generated page put together from its template and what it shows.

Every `{{ value }}` a template prints is made inert on its way out (safe_text.py); links are
built and checked in links.py; what each family of pages shows beyond the entries themselves
is worked out in pages/.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket

from ..changes.diff import KIND_NAMES
from ..changes.history import History
from ..model.playbook import Playbook
from ..rules.anchors import GLOSSARY_TOPIC_PREFIX, STEPS
from ..rules.freshness import REVIEW_WINDOW_DAYS
from ..source.numbers import cadence, duration
from .html_pages import HeadingStyle, HtmlPage, heading_writer
from .kept_pages import KeptPages, shown_of
from .links import edit_link, file_link, href_function, link_filter, page_link, reason_list_link, ref_function
from .pages.assets import ASSET_TYPES, badges_html, type_name, verdict
from .pages.coverage import coverage
from .pages.glossary import TERM_USES_SHOWN, USED_IN_NAMES, glossary_groups, topics
from .pages.lifecycle import lifecycle_flow, lifecycle_svg
from .pages.metrics import in_unit, target
from .pages.onboarding import onboarding
from .pages.paging import PARTS, entry_pages, glossary_pages, in_page_order, page_count, part_context, part_page
from .pages.review import needs_review
from .pages.rules import RULES_MARKER, rules_list, rules_markdown
from .pages.stages import (
    PERSONA_ASSETS,
    STAGE_CARDS,
    chip_personas,
    objection_home,
    persona_stages,
    stage_class,
    stage_context,
)
from .pages.values import USES_SHOWN, reason_uses, value_uses
from .pages.vocabulary import used_in
from .safe_text import (
    Md,
    Texts,
    anchor,
    building_site,
    finalize,
    html_paragraphs,
    ids,
    on_page,
    paragraphs,
    plain,
    rendering,
    title,
    unnest_value_links,
    verbatim,
)
from .urls import GENERATED, PAGE_TITLES, VALUE_PREFIX

OVERVIEW_MARKER = "<!-- playbook:overview -->"


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
# The theme's templates, compiled once per process for each way an environment compiles them.
_THEMES: dict[tuple[Any, ...], _InMemory] = {}


def compiled_once(env: Environment) -> None:
    """Let env take a template compiled by an earlier environment compiling the same way.

    MkDocs makes a new environment for the theme at every build; under `mkdocs serve`, compiling
    the theme's templates again took a tenth of a rebuild. A template is taken again only for the
    same name, file and source (Jinja checks), and only by an environment with the same syntax,
    extensions, filters and tests, which is what its compiled code depends on."""
    if env.bytecode_cache is not None:
        return
    how = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
           env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
           env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
           env.is_async, env.finalize is not None, repr(env.autoescape), tuple(sorted(env.extensions)),
           tuple(sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in env.filters.items())),
           tuple(sorted((name, repr(getattr(t, "jinja_pass_arg", None))) for name, t in env.tests.items())))
    env.bytecode_cache = _THEMES.setdefault(how, _InMemory())


def _environment(playbook: Playbook, directory_urls: bool = True) -> Environment:
    """The templates' environment for one playbook: what they print is made inert (`finalize`), and
    these are the filters and functions they may use."""
    # Not auto_reload: a new environment is made for each build, so a template changed under
    # `mkdocs serve` is read on the next one; within a build, Jinja asked the file's time again at
    # each include, once for every card of every page.
    env = Environment(loader=PackageLoader("generator.site", "templates"), undefined=StrictUndefined,
                      autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=finalize, bytecode_cache=_COMPILED, auto_reload=False)
    pages = entry_pages(playbook)
    # built: Markdown a template put together from parts it printed (each already made inert).
    env.filters.update(built=Md, para=paragraphs, html_paras=html_paragraphs, title=title, plain=plain,
                       verbatim=verbatim, anchor=anchor, ids=ids, link=link_filter, label=_label,
                       target=target, measure=in_unit, asset_type=lambda t: ASSET_TYPES[t][1],
                       asset_kind=lambda t: ASSET_TYPES[t][0], kind_name=type_name,
                       duration=duration, cadence=cadence, days=lambda n: f"{n} {'day' if n == 1 else 'days'}")
    env.globals.update(pb=playbook, ref=ref_function(playbook, pages), page_link=page_link, file_link=file_link,
                       reason_list_link=reason_list_link,
                       edit=edit_link,
                       href=href_function(playbook, pages, directory_urls), badges=badges_html, verdict=verdict,
                       stage_class=stage_class, STAGE_CARDS=STAGE_CARDS, PERSONA_ASSETS=PERSONA_ASSETS,
                       persona_stages=lambda pid: persona_stages(playbook, pid),
                       chip_personas=lambda shown, involved: chip_personas(playbook, shown, involved),
                       objection_home=lambda pid: objection_home(playbook, pid),
                       lifecycle_diagram=lambda: Md(lifecycle_svg(playbook, plain)),
                       lifecycle_flow=lambda: Md(lifecycle_flow(playbook, plain)),
                       rules=lambda: Md(rules_markdown(playbook.settings.rule_levels)))
    return env


def _label(value: str) -> str:
    """'business-hours' -> 'business hours'."""
    return value.replace("-", " ")


def _render(env: Environment, playbook: Playbook, template: str, page: str, directory_urls: bool,
            **context: Any) -> str:
    with on_page(playbook, page, directory_urls):
        markdown = env.get_template(template).render(page=page, **context)
    # For `playbook render`, links in raw HTML are in the Markdown itself; for a site, the
    # plugin does the same on the page's HTML, once the texts are in it.
    return markdown if building_site() else unnest_value_links(markdown)


def render_pages(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True,
                 terms: bool = True, history: History | None = None,
                 html: tuple[HeadingStyle, dict[str, HtmlPage]] | None = None,
                 kept: KeptPages | None = None) -> dict[str, str]:
    """Every generated page: path relative to the docs folder -> Markdown (with tokens for texts,
    when given). Links in raw HTML are written for a site with `use_directory_urls` as given.
    `history` is what changed lately (None: not a git checkout), for the Recent changes page.

    With html (a site's way of writing headings, and a dict to fill), the Assets pages are
    written as HTML into that dict instead, and their Markdown is empty (html_pages.py). With kept
    as well (under `mkdocs serve`), an Assets page made from the same as in the last build is not
    written: kept.reused names it, and kept has it (kept_pages.py)."""
    with rendering(texts):
        return _render_pages(playbook, directory_urls, terms, history, html, kept)


def _render_html(env: Environment, playbook: Playbook, template: str, page: str, directory_urls: bool,
                 style: HeadingStyle, **context: Any) -> HtmlPage:
    done = HtmlPage("")
    taken = {asset.id for asset in context.get("assets", ())}  # the ids its entries' headings give
    with on_page(playbook, page, directory_urls):
        done.html = env.get_template(template).render(page=page, heading=heading_writer(style, done, taken),
                                                      **context)
    return done


def _render_pages(playbook: Playbook, directory_urls: bool, terms: bool = True, history: History | None = None,
                  html: tuple[HeadingStyle, dict[str, HtmlPage]] | None = None,
                  kept: KeptPages | None = None) -> dict[str, str]:
    env = _environment(playbook, directory_urls)
    env.globals["history"] = history
    pages: dict[str, str] = {}
    for stage in playbook.stages:
        page = f"stages/{anchor(stage.id)}.md"
        pages[page] = _render(env, playbook, "stage.md.j2", page, directory_urls, stage=stage,
                              **stage_context(playbook, stage.order))
    groups = glossary_groups(playbook)
    learning = onboarding(playbook, {p: PAGE_TITLES[p] for p in GENERATED})
    uses = used_in(playbook) if terms else {}
    context = {"glossary_groups": groups, "needs_review": needs_review(playbook),
               "topics": topics(playbook), "coverage": coverage(playbook),
               "onboarding": learning, "STEPS": STEPS, "used_in": uses,
               "TOPIC_PREFIX": Md(GLOSSARY_TOPIC_PREFIX), "USED_IN_NAMES": USED_IN_NAMES,
               "window": REVIEW_WINDOW_DAYS, "kind_names": {k: v[0] for k, v in KIND_NAMES.items()},
               "value_uses": value_uses(playbook), "reason_uses": reason_uses(playbook),
               "VALUE_PREFIX": Md(VALUE_PREFIX), "USES_SHOWN": USES_SHOWN, "TERM_USES_SHOWN": TERM_USES_SHOWN}
    firsts = {first: kind for kind, (first, _) in PARTS.items()}
    for page in GENERATED:
        if page not in firsts:
            pages[page] = _render(env, playbook, page + ".j2", page, directory_urls, **context)
    glossary = glossary_pages(groups)
    if kept is not None:
        kept.begin(playbook, entry_pages(playbook), directory_urls, html[0] if html is not None else None, terms)
    for kind, (first, per) in PARTS.items():
        entries = in_page_order(playbook, kind)
        count = page_count(kind, len(entries))
        pager = [(n + 1, part_page(kind, n)) for n in range(count)]
        for number in range(count):
            page = part_page(kind, number)
            chunk = entries[number * per:(number + 1) * per]
            as_html = html is not None and kind == "asset"
            if kept is not None and kept.reusable(page, number, count, chunk, shown_of(
                    kind, chunk, playbook, uses, learning.minutes.get("glossary.md")), markdown=not as_html):
                pages[page] = ""  # taken as the last build finished it
                continue
            parts = {**context, "number": number + 1, "count": count, "pager": pager,
                     **part_context(kind, chunk, page, glossary, directory_urls)}
            if as_html:
                assert html is not None
                pages[page] = ""
                html[1][page] = _render_html(env, playbook, "assets.html.j2", page, directory_urls, html[0], **parts)
            else:
                pages[page] = _render(env, playbook, first + ".j2", page, directory_urls, **parts)
    return pages


def render_overview(playbook: Playbook, page: str = "index.md", texts: Texts | None = None,
                    directory_urls: bool = True) -> str:
    """The home page's generated part: introduction, stages at a glance, where to start."""
    with rendering(texts):
        return _render(_environment(playbook, directory_urls), playbook, "overview.md.j2", page, directory_urls)


def render_home(playbook: Playbook, texts: Texts | None = None, directory_urls: bool = True) -> str:
    """A whole home page, for a site whose docs folder has no index.md."""
    with rendering(texts), on_page(playbook, "index.md", directory_urls):
        overview = render_overview(playbook, texts=texts, directory_urls=directory_urls)
        return f"# {title(playbook.settings.site_name)} {{ #playbook }}\n\n{overview}"


def expand_markers(markdown: str, playbook: Playbook, page: str, texts: Texts | None = None,
                   directory_urls: bool = True) -> str:
    """Replace the markers in a hand-written page: the overview marker with the generated overview,
    the rules marker with every rule of the checks, linked to the Rules page."""
    if OVERVIEW_MARKER in markdown:
        markdown = markdown.replace(OVERVIEW_MARKER, render_overview(playbook, page, texts, directory_urls))
    if RULES_MARKER in markdown:
        markdown = markdown.replace(RULES_MARKER, rules_list(page, directory_urls))
    return markdown

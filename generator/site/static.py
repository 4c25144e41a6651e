"""The files a playbook site serves besides its pages: its script, its styles, the data the
asset finder reads, and the playbook's export as downloads. The same for a site built by the
plugin and for `playbook render`."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..model.export_texts import export_texts
from ..model.playbook import Playbook, send_order
from ..source.filecache import ContentCache
from ..source.loader import LoadedPlaybook
from ..source.schemas import schema_files
from .pages.finder import asset_card, finder_facets
from .pages.paging import entry_pages
from .pages.vocabulary import glossary_data
from .urls import FINDER_DATA, FINDER_SCRIPT, STATIC, page_url

# The site's own scripts, in the order pages load them.
SCRIPTS = ("playbook.js", "glossary.js", "onboarding.js")
# With the plugin's `search: pagefind`, the script that answers the theme's search box from Pagefind.
PAGEFIND_SCRIPT = "pagefind-search.js"
# Where Pagefind writes its index and its script (relative to the site's root).
PAGEFIND_DIR = "pagefind"
# Where the site publishes the export (paths relative to the site's root).
SITE_JSON = "downloads/playbook.json"
SITE_CSV = "downloads/playbook-csv"
# Where the site publishes the schemas, as `playbook schemas` writes them.
SITE_SCHEMAS = "schemas"


def static_files(playbook: Playbook, directory_urls: bool = True, terms: bool = True,
                 pagefind: bool = False) -> dict[str, str]:
    """Path relative to the site's root -> content; without `terms`, no script explains terms;
    with `pagefind`, the script that searches with Pagefind is one of them."""
    folder = resources.files("generator.site") / "theme"
    files = {f"{STATIC}/{name}": (folder / name).read_text(encoding="utf-8")
             for name in ("playbook.css", *scripts(terms, pagefind))}
    files.update(finder_texts(playbook, directory_urls))
    if terms:
        pages = entry_pages(playbook)["term"]
        glossary = _json(glossary_data(playbook, {id: page_url(page, directory_urls) for id, page in pages.items()}))
        files[f"{STATIC}/glossary.json"] = glossary
        files[f"{STATIC}/glossary-data.js"] = _script("playbookGlossary", glossary)
    return files


# The theme's own script, which starts fetching the search index as soon as it runs. From a page
# in the site's assets/ folder (the Assets pages) its address is javascripts/bundle…, without assets/.
THEME_BUNDLE = re.compile(r'<script src="[^"<>]*javascripts/bundle\.[0-9a-f]+\.min\.js"')


@cache
def _search_later(pagefind: bool) -> str:
    text = (resources.files("generator.site") / "theme" / "search-later.js").read_text(encoding="utf-8")
    # With Pagefind the theme's index is never wanted: the script holds its request for good.
    attribute = ' data-pb-search="pagefind"' if pagefind else ""
    return f"<script{attribute}>{text}</script>\n"


def search_later(html: str, pagefind: bool = False) -> str:
    """The page with search-later.js inlined just before the theme's script, when it has one."""
    match = THEME_BUNDLE.search(html)
    if match is None:
        return html
    return html[:match.start()] + _search_later(pagefind) + html[match.start():]


# The theme's article: the page's own content, which Pagefind indexes (not the navigation, the
# header or the table of contents).
ARTICLE = re.compile(r'<article class="md-content__inner[^"<>]*"')
# An element left out of the theme's search (a card shown again, a button, a checklist): the
# attribute after a space, in a tag ("<" and a letter, then no "<" or ">" before it). The
# attribute's name is looked for first, and the space before it checked after: a pattern tried at
# every tag of the page took a fifth of a large site's rebuild, and one that begins with a space
# (\s) is tried at every character, another 0.2 s at 10,000 entities. A tag is marked once, at
# its first such attribute.
_EXCLUDE_ATTRIBUTE = re.compile(r"data-search-exclude(?=[\s/>=])")
SPACE = re.compile(r"\s")
_LETTERS = frozenset(string.ascii_letters)


def pagefind_page(html: str) -> str:
    """The page marked for Pagefind: its article is what is indexed, and every element the theme's
    search leaves out (data-search-exclude) Pagefind leaves out too (data-pagefind-ignore)."""
    html = ARTICLE.sub(lambda m: m.group(0) + " data-pagefind-body", html, count=1)
    if "data-search-exclude" not in html:
        return html
    out = []
    last = 0
    tag = -1  # where the last tag marked starts: a tag is marked once
    for match in _EXCLUDE_ATTRIBUTE.finditer(html):
        if not match.start() or SPACE.match(html, match.start() - 1) is None:
            continue
        start = html.rfind("<", 0, match.start())
        # In a tag (a letter after "<", no ">" since) not marked yet.
        if start <= tag or html[start + 1] not in _LETTERS or html.find(">", start, match.start()) != -1:
            continue
        tag = start
        out.append(html[last:match.end()])
        out.append(" data-pagefind-ignore")
        last = match.end()
    out.append(html[last:])
    return "".join(out)


def pagefind_missing() -> str | None:
    """What is missing for Pagefind to index a site, if anything."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return "the Python package pagefind is not installed"
    if get_executable() is None:
        return "the pagefind package has no pagefind program"
    return None


def pagefind_index(site: Path) -> int:
    """Index the built site with Pagefind into site/pagefind/: an index in small files, of which a
    search fetches only those its words need. Returns the number of pages indexed.

    Pagefind's own program indexes the site and exits: its index is whole once it has exited (the
    library's service, closed as soon as it answers, once left files of a large site empty). An
    index that is not whole fails the build, with Pagefind's words."""
    done = subprocess.run(pagefind_command(site, site / PAGEFIND_DIR), capture_output=True, text=True,
                          timeout=PAGEFIND_TIMEOUT, check=False)
    said = done.stdout + done.stderr
    if not (done.returncode == 0 and index_whole(site / PAGEFIND_DIR)):
        raise PagefindFailed(f"Pagefind could not index the site: {said.strip()[-2000:] or 'no output'}")
    pages = re.search(r"Indexed (\d+) pages?", said)
    return int(pages.group(1)) if pages else 0


def pagefind_command(site: Path, output: Path) -> list[str]:
    """Pagefind's program, indexing the site into the folder output."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output),
            # The permalink signs (¶) after headings are no words of the page.
            "--exclude-selectors", ".headerlink"]


def index_whole(folder: Path) -> bool:
    """Whether a folder holds a whole Pagefind index: its entry file and its script."""
    try:
        return isinstance(json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8")), dict) and \
            (folder / "pagefind.js").stat().st_size > 0
    except (OSError, ValueError):
        return False


class PagefindFailed(Exception):
    """Pagefind did not write a whole index of the site."""


# The longest Pagefind may take to index a site (a 10,000-entity site takes seconds).
PAGEFIND_TIMEOUT = 600


# The finder's first file holds the first cards, so they show at once; the rest follows in parts.
FINDER_FIRST = 48  # two pages of results
FINDER_PART = 1000


def finder_files(data: dict[str, Any]) -> dict[str, str]:
    """The finder's data (finder_data's): finder.json whole (for programs), and for the page
    finder-data.js with the facets, the first assets in the order shown (withdrawn ones last, as
    the page shows them), how many there are and the names of the parts that hold the rest,
    finder-data-2.js on."""
    return _finder_files(_json(data["facets"]), [(a.get("status") == "withdrawn", _json(a)) for a in data["assets"]])


def _finder_files(facets: str, cards: list[tuple[bool, str]]) -> dict[str, str]:
    """finder_files, of the facets as JSON and each card as JSON with whether it is withdrawn: each
    file is joined from these as the JSON of its whole would write it."""
    ordered = [text for withdrawn, text in cards if not withdrawn] + [text for withdrawn, text in cards if withdrawn]
    rest = ordered[FINDER_FIRST:]
    parts = [rest[i:i + FINDER_PART] for i in range(0, len(rest), FINDER_PART)]
    names = [f"finder-data-{n}.js" for n in range(2, len(parts) + 2)]
    first = (f'{{"facets":{facets},"assets":[{",".join(ordered[:FINDER_FIRST])}],"total":{len(ordered)},'
             f'"parts":{_json(names)}}}')
    files = {FINDER_DATA: f'{{"facets":{facets},"assets":[{",".join(text for _, text in cards)}]}}',
             FINDER_SCRIPT: _script("playbookFinder", first)}
    for n, (name, part) in enumerate(zip(names, parts, strict=True), start=2):
        files[f"{STATIC}/{name}"] = _script(f"playbookFinder{n}", f'[{",".join(part)}]')
    return files


# Each asset's card in the finder's data, as JSON, by all it depends on (pages.finder.asset_card):
# under `mkdocs serve`, a save wrote every card again.
_CARDS = ContentCache(budget=64 * 1024 * 1024)


def finder_texts(playbook: Playbook, directory_urls: bool = True) -> dict[str, str]:
    """finder_files(finder_data(playbook, directory_urls)), with the JSON of each asset's card
    taken again for an equal asset on the same page, with the same agreed values, day and names
    of the teams."""
    pages = entry_pages(playbook)["asset"]
    key = (playbook.today, playbook.values_digest,
           tuple((id, team.name) for id, team in playbook.settings.teams.items()), directory_urls)
    cards: list[tuple[bool, str]] = []  # (withdrawn, JSON)
    for asset in sorted(playbook.assets, key=send_order):
        url = page_url(pages[asset.id], directory_urls)
        found: tuple[bool, str] | None = _CARDS.get((asset, url, key))
        if found is None:
            card = asset_card(playbook, asset, url)
            found = (card["status"] == "withdrawn", _json(card))
            # The key holds the asset: its fields and tuples (its texts are those of the file kept
            # in the cache of files read, shared).
            _CARDS.put((asset, url, key), found, 2 * len(found[1]) + 1000)
        cards.append(found)
    return _finder_files(_json(finder_facets(playbook, directory_urls)), cards)


def export_files(source: Path | str | LoadedPlaybook) -> dict[str, str]:
    """The export as the site publishes it: path relative to the site's root -> content.

    `downloads/playbook.json` (compact) and `downloads/playbook-csv/<key>.csv`, one per kind and
    crm.csv; and the schemas at a stable address, `schemas/<kind>.schema.json` (and
    `schemas/output/…`), for editors and programs. Takes what model.export.export_json takes.
    """
    whole, tables = export_texts(source)  # each entry's part kept with its file, for `mkdocs serve`
    files = {SITE_JSON: whole}
    files.update({f"{SITE_CSV}/{name}": text for name, text in tables.items()})
    files.update({f"{SITE_SCHEMAS}/{name}": text for name, text in schema_files().items()})
    return files


def scripts(terms: bool = True, pagefind: bool = False) -> tuple[str, ...]:
    """The scripts every page loads."""
    return tuple(s for s in SCRIPTS if terms or s != "glossary.js") + ((PAGEFIND_SCRIPT,) if pagefind else ())


def _json(data: object) -> str:
    """Compact, and `<` written as \\u003c so the data can never close an HTML element if inlined."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _script(name: str, data: str) -> str:
    """The data as a script that sets window.<name>: a page opened from file:// (a site built
    with Material's offline plugin) may load a script beside it, where fetching is refused. The
    JSON is a JavaScript expression as it is; `<` is already written as \\u003c."""
    return f"window.{name} = {data};\n"

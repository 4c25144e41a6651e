"""Material's search plugin, made faster where it has the shape known here (theme_search.py): the
attributes its page hook takes out of every page are taken out exactly as its own pattern takes
them out, and a site built with the faster hook is, file for file, the site built without it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from conftest import REPO, TODAY, site_files
from hypothesis import given
from hypothesis import strategies as st

from generator.site import theme_search
from generator.site.theme_search import THEME_PATTERN, faster_page_hook, without_search_attributes

_PIECES = ['data-search-exclude', 'data-search-boost="2"', ' data-search-x="y"', '\u2003data-search-a="b"',
           '\ndata-search-a=""', 'data-search-="x"', 'data-search-\u00e9="1"', 'data-search-a="b', '"', " ", "\t",
           "\u00a0", "x", "<p", ">", "data-search-", '="', 'data-search-a="x data-search-b="y"']


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_attributes_come_out_as_the_themes_own_pattern_takes_them_out(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert without_search_attributes(html) == re.sub(THEME_PATTERN, "", html)


def test_the_installed_theme_has_the_hook_known_here() -> None:
    # Else the faster hook is never used, and the site is as slow as before (not wrong).
    from material.plugins.search.plugin import SearchPlugin

    code = SearchPlugin.on_page_context.__code__
    assert THEME_PATTERN in code.co_consts
    assert (code.co_names, code.co_consts) == theme_search._KNOWN_HOOK


class _Events:
    def __init__(self, events: dict[str, list[Any]]) -> None:
        self.events = events


class _Config:
    def __init__(self, events: dict[str, list[Any]]) -> None:
        self.plugins = _Events(events)


def test_a_hook_of_another_shape_is_left_as_it_is() -> None:
    class Other:
        def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> None:
            page.content = re.sub(THEME_PATTERN, "", page.content) + "!"

    Other.__module__ = "material.plugins.search.plugin"
    hook = Other().on_page_context
    config = _Config({"page_context": [hook]})
    faster_page_hook(config)
    assert config.plugins.events["page_context"] == [hook]


# Builds the project twice in one process: with the faster hook, then with Material's own.
BUILDS = textwrap.dedent(r"""
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from generator.site import theme_search

    replaced = []
    faster = theme_search.faster_page_hook
    def counting(config):
        before = list(config.plugins.events["page_context"])
        faster(config)
        replaced.append(sum(a is not b for a, b in zip(before, config.plugins.events["page_context"])))
    theme_search.faster_page_hook = counting
    build(load_config("mkdocs.yml", site_dir="site-faster"))
    theme_search.faster_page_hook = lambda config: None
    build(load_config("mkdocs.yml", site_dir="site-theme"))
    print(replaced)
""")

PAGE = """# Marked

<p data-search-boost="2">Boosted</p>
<div class="x"\u2003data-search-exclude data-search-note="kept out">Not searched</div>
<span data-search-a="x data-search-b="y">odd</span>
"""


def test_a_site_built_with_the_faster_hook_is_the_site_built_with_the_themes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in ("playbook", "docs"):
        shutil.copytree(REPO / name, project / name)
    (project / "docs" / "marked.md").write_text(PAGE, encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # The theme's own search, whose index reads every page's HTML (the hook adds each page to it).
    assert "      search: pagefind\n" in config
    (project / "mkdocs.yml").write_text(config.replace("      search: pagefind\n", "")
                                        .replace("validation:", "not_in_nav: /marked.md\nvalidation:"),
                                        encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BUILDS], cwd=project, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(REPO), "PLAYBOOK_TODAY": TODAY, "PATH": "/usr/bin:/bin",
                               "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-1] == "[1]"  # the theme's hook was replaced in the first build
    faster, theme = site_files(project / "site-faster"), site_files(project / "site-theme")
    assert faster.keys() == theme.keys()
    assert [name for name in theme if faster[name] != theme[name]] == []
    page = faster["marked/index.html"].decode("utf-8")
    assert '<p>Boosted</p>' in page and 'class="x"\u2003data-search-exclude>Not searched' in page
    assert "data-search-note" not in page and "data-search-boost" not in page
    index = faster["search/search_index.json"].decode("utf-8")
    assert "Boosted" in index and "Not searched" not in index

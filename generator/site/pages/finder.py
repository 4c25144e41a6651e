"""The asset finder ("Find an asset"): the data its script reads, published as finder.json.

The page itself (templates/finder.md.j2) holds only the filters and an empty list; the script
fills the list from this data in the browser.
"""

from __future__ import annotations

from typing import Any

from ...model.entities import Asset
from ...model.playbook import Playbook, send_order
from ...rules.values import expand
from ..urls import page_url
from .assets import ASSET_TYPES, badges, type_name, verdict
from .paging import entry_pages


def finder_data(playbook: Playbook, directory_urls: bool = True) -> dict[str, Any]:
    """What the asset finder reads: every asset, in the order to use them (withdrawn ones
    marked), and the values to filter by. Texts are data here: the page's script shows them
    as text, never as HTML."""
    pages = entry_pages(playbook)["asset"]
    return {"facets": finder_facets(playbook, directory_urls),
            "assets": [asset_card(playbook, a, page_url(pages[a.id], directory_urls))
                       for a in sorted(playbook.assets, key=send_order)]}


def finder_facets(playbook: Playbook, directory_urls: bool = True) -> dict[str, Any]:
    """The values the finder filters by: stages, personas, types and owners."""
    persona_pages = entry_pages(playbook)["persona"]
    owners = sorted({a.owner for a in playbook.assets})
    types = sorted({a.type for a in playbook.assets}, key=lambda t: ASSET_TYPES[t][0].casefold())
    return {
        "stage": [{"id": s.id, "name": f"{s.order}. {expand(s.name, playbook.values)}",
                   "url": page_url(f"stages/{s.id}.md", directory_urls)} for s in playbook.stages],
        "persona": [{"id": p.id, "name": expand(p.name, playbook.values),
                     "url": f"{page_url(persona_pages[p.id], directory_urls)}#{p.id}"} for p in playbook.personas],
        "type": [{"id": t, "name": type_name(t)} for t in types],
        "owner": [{"id": o, "name": expand(playbook.settings.teams[o].name, playbook.values)} for o in owners],
    }


def asset_card(playbook: Playbook, a: Asset, url: str) -> dict[str, Any]:
    """One asset as the finder shows it; url: the address of its Assets page. It depends on the
    asset, that address, the agreed values its texts name, the day dates are judged on and its
    owner's name, and on nothing else (static.finder_texts keeps it for those)."""
    values = playbook.values

    def text(words: str) -> str:  # the agreed values a text names, written out
        return expand(words, values)

    fresh = playbook.freshness(a)
    return {"id": a.id, "title": text(a.title), "type": a.type, "type_name": type_name(a.type),
            "stages": list(a.stages), "personas": list(a.personas), "owner": a.owner,
            "use_when": text(a.use_when) if a.use_when is not None else None,
            "talking_points": [text(t) for t in a.talking_points],
            "internal_notes": [text(n) for n in a.internal_notes], "keywords": [text(k) for k in a.keywords],
            "link": a.link, "details": f"{url}#{a.id}", "review_by": a.review_by, "expires": a.expires,
            "status": "withdrawn" if fresh.withdrawn else "overdue" if fresh.overdue else "current",
            "badges": [list(b) for b in badges(playbook, a)], "verdict": list(verdict(playbook, a))}

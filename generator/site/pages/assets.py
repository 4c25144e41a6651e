"""How assets are named and marked on every page that shows them: their types as readers see
them, and badges for the dates of an asset or persona that need attention.
"""

from __future__ import annotations

import html

from ...model.entities import Asset, Persona
from ...model.playbook import Playbook
from ..safe_text import Md

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


def type_name(asset_type: str) -> str:
    """An asset type as a label: 'battle-card' -> 'Battle card'; 'roi-calculator' -> 'ROI calculator'."""
    words = ASSET_TYPES[asset_type][0]
    return words[:1].upper() + words[1:]


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


def verdict(playbook: Playbook, asset: Asset) -> tuple[str, str]:
    """(kind, words): whether a rep may send an asset today, and whom to ask. The kind is one of
    the badges' (withdrawn, overdue, expiring) or 'current'."""
    fresh = playbook.freshness(asset)
    owner = playbook.settings.teams[asset.owner].name
    if fresh.withdrawn:
        return "withdrawn", f"Do not send: withdrawn after {fresh.expires}. Ask {owner} what replaces it."
    if fresh.overdue:
        until = f" until {fresh.expires}" if fresh.expires else ""
        return "overdue", f"May be sent{until}; review overdue since {fresh.review_by}: ask {owner} if in doubt."
    if fresh.expiring:
        return "expiring", f"May be sent until {fresh.expires}, not after."
    return "current", f"May be sent; reviewed by {owner}, next review by {fresh.review_by}."


def badges_html(playbook: Playbook, entry: Asset | Persona) -> Md:
    """The badges of an asset or persona as HTML."""
    return Md(" ".join(f'<span class="pb-badge pb-badge--{kind}">{html.escape(words)}</span>'
                       for kind, words in badges(playbook, entry)))

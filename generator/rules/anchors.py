"""The anchors the site's pages give their own sections, and the names of the pages themselves. An
entry's id is its anchor on the page it is shown on, and a stage's id the name of its page, so no
id may take one of these (rules say so), or two elements, or two addresses, would be confused."""

from __future__ import annotations

# Anchors that pages give their own sections, by the kind whose entries share the page; an
# entry may not take one as its id (the check says so), or two elements would share an anchor.
_LIFECYCLE_SECTIONS = frozenset({"lead-states", "opportunity-states", "customer-states", "forecast-categories",
                                 "handoffs"})
SECTION_ANCHORS = {
    "stage": frozenset({"buyer-goal", "buyer-questions", "assets", "objections", "exit-criteria", "activities",
                        "sales-activities", "marketing-activities", "lifecycle-states", "personas", "withdrawn"}),
    "lifecycle": _LIFECYCLE_SECTIONS,
    "handoff": _LIFECYCLE_SECTIONS,
    "term": frozenset({"by-topic", "other-terms"}),
}
GLOSSARY_LETTER_PREFIX = "letter-"
GLOSSARY_TOPIC_PREFIX = "topic-"

# The steps of the path, in order: each is a section of the page, with this anchor, and a box
# on the checklist.
STEPS = ("company", "teams", "first-terms", "lifecycle", "stages", "personas", "assets", "shared-goals")
# Every anchor the page gives its own headings; a role (whose id is its anchor) may not take one.
ONBOARDING_SECTIONS = frozenset({"start-here", *STEPS, "reading-paths", "self-check"})

# The pages of the site, by the stem of their docs path (`glossary` is glossary.md, at glossary/),
# as generator/site/urls.py lists them (a test holds the two together), and the runs of pages
# (assets.md, assets-2.md ...). A stage's page is stages/<id>.md: a stage may not take one of
# these names as its id, nor that of a later page of a run (a rule says so).
PAGE_NAMES = ("index", "start-here", "finder", "assets", "personas", "lifecycle", "glossary", "metrics", "values",
              "coverage", "review", "changes", "rules", "about")
PAGED = ("assets", "glossary", "personas")


def is_page_name(id: str) -> bool:
    """True if id is the name of a page of the site, or of a later page of a run (`assets-2`)."""
    first, _, number = id.rpartition("-")
    return id in PAGE_NAMES or (first in PAGED and number.isdigit() and number.isascii())

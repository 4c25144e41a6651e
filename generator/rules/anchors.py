"""The anchors the site's pages give their own sections. An entry's id is its anchor on the page
it is shown on, so no id may take one of these (a rule says so), or two elements would share it."""

from __future__ import annotations

# Anchors that pages give their own sections, by the kind whose entries share the page; an
# entry may not take one as its id (the check says so), or two elements would share an anchor.
_LIFECYCLE_SECTIONS = frozenset({"lead-states", "opportunity-states", "customer-states", "forecast-categories",
                                 "handoffs"})
SECTION_ANCHORS = {
    "stage": frozenset({"buyer-goal", "buyer-questions", "assets", "objections", "exit-criteria", "activities",
                        "sales-activities", "marketing-activities", "lifecycle-states", "personas"}),
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

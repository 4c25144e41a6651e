"""Entries: what each entry must be on its own, or beside the others of its kind, that no schema
can say: its id is its file's name, orders and ids within a list are unique, an id does not take
an anchor a page needs, an asset's relative link names a file, a shared goal has both owners."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..source.document import Document
from ..source.filepaths import display_path
from ..source.loader import LoadedPlaybook
from ..source.paths import shorten
from ..source.problems import ERROR, Problem, Rule
from ..source.schemas import ID_PATTERN, ecma_pattern
from .anchors import GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX, ONBOARDING_SECTIONS, SECTION_ANCHORS, is_page_name
from .references import Index, has_id

# Ids are the addresses of pages and of sections on them.
_ADDRESSES = "an entry's id is its page's address and its anchor; two things at one address break links"

ID_NOT_FILE_NAME = Rule(
    "id-not-file-name", ERROR, "an entry whose id is not its file's name, or a file whose name is not an id",
    fixed=_ADDRESSES,
    doc="""
    An entry's id is the name of its file without `.yaml`: other entries find it by that name,
    and so does the person looking for its file. A file is named by its entry's id: lower-case
    letters, digits and single hyphens, then `.yaml`, e.g. `roi-calculator.yaml`.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        id: customer

    Passes, with these fields in `playbook/terms/contact.yaml`:

        id: contact
    """)

ORDER_TAKEN = Rule(
    "order-taken", ERROR, "two stages, or two lifecycle states, with the same order",
    fixed="the navigation and the funnel are in this order; two at one place have no order between them",
    doc="""
    Stages, and lifecycle states, are numbered in the order a buyer or a record goes through
    them; each takes its own number.

    Fails, with these fields in `playbook/stages/adoption.yaml`:

        order: 1

    Passes, with these fields in `playbook/stages/adoption.yaml`:

        order: 2
    """)



def _handoff(id: str) -> str:
    """A second handoff from lead to won, for the examples."""
    return f"""\
        id: {id}
        name: Marketing hands a hot lead straight to sales
        from_state: lead
        to_state: won
        from_team: marketing
        to_team: sales
        sender: Marketing operations
        receiver: Account executive
        service_level: {{within: 1, unit: business-hours, action: Call the buyer back.}}
        escalation: {{within: 2, unit: business-hours, notify: The sales manager, action: Call them yourself.}}
        receiver_checks: [The buyer asked for a price.]
        rejection_reasons: [{{reason: Not ready to buy., goes_to: lead}}]
        follow_up: {{touches: 3, days: 2, rule: Call every day.}}
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}}"""


HANDOFF_ID_TAKEN = Rule(
    "handoff-id-taken", ERROR, "a handoff with the id of a lifecycle state",
    fixed=_ADDRESSES,
    doc=f"""
    Handoffs and lifecycle states are shown on one page, each under its id: a handoff takes an
    id no state has.

    Fails, in `playbook/handoffs/won.yaml`:

{_handoff('won')}

    Passes, in `playbook/handoffs/hot-lead.yaml`:

{_handoff('hot-lead')}
    """)

RESERVED_ID = Rule(
    "reserved-id", ERROR, "an id that names a section of the page the entry is shown on",
    fixed=_ADDRESSES,
    doc="""
    Pages give their own sections anchors (a stage page has `assets` and `personas`, the
    glossary `letter-a` and `topic-…`, the onboarding page its steps). An entry or role whose id
    is one of them would share the anchor, and links to either would land on the other.

    Fails, with these fields in `playbook/playbook.yaml`:

        onboarding:
          roles:
            - id: self-check
              name: Account executive
              read: [glossary]

    Passes, with these fields in `playbook/playbook.yaml`:

        onboarding:
          roles:
            - id: account-executive
              name: Account executive
              read: [glossary]
    """)


def _stage(id: str) -> str:
    """A third stage, for the examples."""
    return f"""\
        id: {id}
        order: 3
        name: Renewal
        phase: after-close
        summary: The customer decides to stay.
        buyer_goal: Keep what works.
        buyer_questions: [Is it still worth it?]
        exit_criteria: [The renewal is signed.]
        sales_activities: [Send the renewal quote.]
        marketing_activities: [Share what is new.]"""


STAGE_ID_RESERVED = Rule(
    "stage-id-reserved", ERROR, "a stage whose id is the name of one of the site's own pages",
    fixed="a stage and a page would be told apart only by the stages/ in front of the stage's address",
    doc=f"""
    A stage's page is at `stages/<id>/`, beside the site's own pages; a stage named like one of
    them would be confused with it by its address, in a link, a bookmark or a word on a call. The
    pages are `index`, `start-here`, `finder`, `assets`, `personas`, `lifecycle`, `glossary`,
    `metrics`, `values`, `coverage`, `review`, `changes`, `rules` and `about`, and the later pages
    of a run: `assets-2`, `glossary-2`, `personas-2` and on.

    Fails, in `playbook/stages/glossary.yaml`:

{_stage("glossary")}

    Passes, in `playbook/stages/renewal.yaml`:

{_stage("renewal")}
    """)

DUPLICATE_ID = Rule(
    "duplicate-id", ERROR, "two items of one list with the same id",
    fixed=_ADDRESSES,
    doc="""
    Items of a list that others refer to have ids of their own: glossary groups, forecast
    categories, onboarding roles and agreed values in playbook.yaml, a state's tracks, the CRM
    stages of a state (by their value). Each id is given once, or a reference could mean either.

    Fails, with these fields in `playbook/playbook.yaml`:

        glossary_groups:
          - id: basics
            name: The basics
          - id: basics
            name: Roles

    Passes, with these fields in `playbook/playbook.yaml`:

        glossary_groups:
          - id: basics
            name: The basics
          - id: roles
            name: Roles
    """)

LINK_NOT_FOUND = Rule(
    "link-not-found", ERROR, "an asset's relative link that names no file in the docs folder",
    fixed="the link on the site would lead nowhere",
    doc="""
    An asset may link to a file published with the site, by its path in the docs folder
    (`files/price-list.pdf`). The file must be there, and the link on one line.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        link: files/guide.pdf

    Passes, with these fields in `playbook/assets/guide.yaml`:

        link: files/guide.pdf

    And in `docs/files/guide.pdf`:

        (the guide itself)
    """)

CURRENCY_NOT_SHOWN = Rule(
    "currency-not-shown", ERROR, "a currency on a shared goal whose unit is not currency",
    fixed="the goal's numbers would be shown in one unit and read in another",
    doc="""
    A shared goal's currency is shown only with its numbers when its unit is currency; given
    with another unit it is a sign the unit is wrong.

    Fails, with these fields in `playbook/metrics/win-rate.yaml`:

        currency: USD

    Passes, with these fields in `playbook/metrics/win-rate.yaml`:

        unit: percent
    """)

GOAL_NEEDS_BOTH_TEAMS = Rule(
    "goal-needs-both-teams", ERROR, "a shared goal not owned by both teams",
    fixed="a shared goal is one both teams agreed to be measured by",
    doc="""
    Shared goals are what sales and marketing are measured by together: both teams are among
    their owners (every signing team, when `signatories` in playbook.yaml names others). Other
    teams may own a goal with them.

    Fails, with these fields in `playbook/metrics/win-rate.yaml`:

        owners: [sales]

    Passes, with these fields in `playbook/metrics/win-rate.yaml`:

        owners: [sales, marketing]
    """)

NO_STAGES = Rule(
    "no-stages", ERROR, "a playbook with no stages",
    fixed="the site is built around the buyer's stages; without one it has no pages to show",
    test="tests/test_rules.py::test_a_playbook_without_stages_is_a_problem",
    doc="""
    A playbook has at least one stage under `stages/`: the stages are the site's navigation.

    Fails when every file under `playbook/stages/` is deleted. Passes when one is added back.
    """)

RULES = (ID_NOT_FILE_NAME, ORDER_TAKEN, HANDOFF_ID_TAKEN, RESERVED_ID, STAGE_ID_RESERVED, DUPLICATE_ID,
         LINK_NOT_FOUND, CURRENCY_NOT_SHOWN, GOAL_NEEDS_BOTH_TEAMS, NO_STAGES)

_ID = ecma_pattern(ID_PATTERN)


def playbook_problems(loaded: LoadedPlaybook) -> Iterator[Problem]:
    """What every file's id and name, and each kind's orders and ids together, must be."""
    for kind_docs in loaded.documents.values():
        for doc in kind_docs:
            if has_id(doc) and doc.data["id"] != doc.stem:
                yield _id_matches_file(doc)
            if not _ID.match(doc.stem):
                yield doc.problem(ID_NOT_FILE_NAME, (), f"the file name '{shorten(doc.path.name)}' is not an id "
                                  "followed by .yaml: name it with lower-case letters, digits and single hyphens, "
                                  "e.g. roi-calculator.yaml")
    yield from _unique_orders(loaded.documents["stage"], "stage")
    yield from _unique_orders(loaded.documents["lifecycle"], "lifecycle state")
    yield from _shared_anchors(loaded)
    yield from _section_anchors(loaded)
    yield from _page_names(loaded)
    if not loaded.documents["stage"] and loaded.settings is not None:
        yield loaded.settings.problem(NO_STAGES, (), "the playbook has no stages: add at least one file under "
                                      "stages/")


def entry_problems(doc: Document, index: Index) -> Iterator[Problem]:
    """What one entry (of any kind) must be on its own."""
    return _BY_KIND.get(doc.kind, _none)(doc, index)


def _id_matches_file(doc: Document) -> Problem:
    id, name = shorten(doc.data["id"]), shorten(doc.path.name)
    if not _ID.match(doc.stem):
        return doc.problem(ID_NOT_FILE_NAME, ("id",), f"id '{id}' does not match the file name '{name}': rename "
                           f"the file to {id}.yaml")
    return doc.problem(ID_NOT_FILE_NAME, ("id",), f"id '{id}' does not match the file name '{name}': "
                       f"rename the file to {id}.yaml or set id: {doc.stem}")


def _unique_orders(docs: list[Document], noun: str) -> Iterator[Problem]:
    seen: dict[int, str] = {}
    for doc in docs:
        order = doc.data.get("order")
        if isinstance(order, int) and not isinstance(order, bool):
            if order in seen:
                yield doc.problem(ORDER_TAKEN, ("order",), f"order {order} is already taken by {noun} "
                                  f"'{seen[order]}': give each one its own place")
            else:
                seen[order] = doc.stem


def _shared_anchors(loaded: LoadedPlaybook) -> Iterator[Problem]:
    # Lifecycle states and handoffs share one page, so their ids are anchors on the same page.
    states = {d.data["id"] for d in loaded.documents["lifecycle"] if has_id(d)}
    for doc in loaded.documents["handoff"]:
        if has_id(doc) and doc.data["id"] in states:
            yield doc.problem(HANDOFF_ID_TAKEN, ("id",), f"id '{doc.data['id']}' is also a lifecycle state: "
                              "handoffs and states share the lifecycle page, so give the handoff another id")


def _section_anchors(loaded: LoadedPlaybook) -> Iterator[Problem]:
    for kind, docs in loaded.documents.items():
        for doc in docs:
            id = doc.data.get("id")
            if not isinstance(id, str):
                continue
            if id in SECTION_ANCHORS.get(kind, ()) or (
                    kind == "term" and id.startswith((GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX))):
                yield doc.problem(RESERVED_ID, ("id",), f"id '{id}' names a section of the page this entry is "
                                  "shown on: choose another id")


def _page_names(loaded: LoadedPlaybook) -> Iterator[Problem]:
    for doc in loaded.documents["stage"]:
        id = doc.data.get("id")
        if isinstance(id, str) and is_page_name(id):
            yield doc.problem(STAGE_ID_RESERVED, ("id",), f"id '{id}' is the name of a page of the site "
                              f"({id}/): choose another id for the stage, and rename its file to match")


def _none(doc: Document, index: Index) -> Iterator[Problem]:
    return iter(())


def unique_ids(doc: Document, field: str, noun: str) -> Iterator[Problem]:
    """A problem for each item of the list `field` whose id an earlier item has."""
    seen: set[str] = set()
    for i, item in enumerate(doc.data.get(field) or ()):
        if item["id"] in seen:
            yield doc.problem(DUPLICATE_ID, (field, i, "id"), f"'{item['id']}' is already a {noun}: give each "
                              f"{noun} its own id")
        seen.add(item["id"])


def _lifecycle(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    yield from unique_ids(doc, "tracks", "track")
    seen: set[str] = set()
    for i, stage in enumerate(data.get("crm_stages") or ()):
        if stage["value"] in seen:
            yield doc.problem(DUPLICATE_ID, ("crm_stages", i, "value"), f"'{shorten(stage['value'])}' is already "
                              f"a CRM stage of '{data['id']}': give each stage its own value")
        seen.add(stage["value"])


def _settings(doc: Document, index: Index) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, group in enumerate(doc.data.get("glossary_groups") or ()):
        if group["id"] in seen:
            yield doc.problem(DUPLICATE_ID, ("glossary_groups", i, "id"), f"'{group['id']}' is already a group: "
                              "give each glossary group its own id")
        seen.add(group["id"])
    yield from unique_ids(doc, "forecast_categories", "forecast category")
    onboarding = doc.data.get("onboarding") or {}
    seen = set()
    for i, role in enumerate(onboarding.get("roles") or ()):
        if role["id"] in seen:
            yield doc.problem(DUPLICATE_ID, ("onboarding", "roles", i, "id"), f"'{role['id']}' is already a role: "
                              "give each role its own id")
        seen.add(role["id"])
        if role["id"] in ONBOARDING_SECTIONS:
            yield doc.problem(RESERVED_ID, ("onboarding", "roles", i, "id"), f"'{role['id']}' names a section of "
                              "the onboarding page, where a role's id is its anchor: give the role another id")


def _asset(doc: Document, index: Index) -> Iterator[Problem]:
    link = doc.data["link"]
    if any(c in link for c in "\r\n"):
        yield doc.problem(LINK_NOT_FOUND, ("link",), "a link must be on one line: write the address without line "
                          "breaks")
    elif index.docs is not None and not link.startswith("https://") and not index.names_file(link):
        yield doc.problem(LINK_NOT_FOUND, ("link",), f"'{shorten(link)}' is not a file in "
                          f"{display_path(index.docs)}/: add the file there, or link to its https:// address")


def _metric(doc: Document, index: Index) -> Iterator[Problem]:
    if "currency" in doc.data and doc.data["unit"] != "currency":
        yield doc.problem(CURRENCY_NOT_SHOWN, ("currency",), "a currency is only shown for a goal whose unit is "
                          f"currency, and this one's unit is {doc.data['unit']}: remove currency, or set unit: "
                          "currency")
    missing = [team for team in index.signatories if team not in doc.data["owners"]]
    if missing:
        every = "both teams" if len(index.signatories) == 2 else "every signing team"
        yield doc.problem(GOAL_NEEDS_BOTH_TEAMS, ("owners",), f"a shared goal is owned by {every}: add "
                          + " and ".join(f"'{team}'" for team in missing) + " to owners")


_BY_KIND: dict[str, Callable[[Document, Index], Iterator[Problem]]] = {
    "lifecycle": _lifecycle, "asset": _asset, "metric": _metric, "playbook": _settings,
}

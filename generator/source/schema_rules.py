"""The rules of each kind of entry's fields, as its JSON Schema (schemas/*.schema.json) states
them and schemas.py reports them: one rule per kind of mistake. Each rule's `doc` is its
documentation, with examples."""

from __future__ import annotations

from .file_rules import DEAL
from .problems import ERROR, Rule

# The pages read every field as its schema describes it.
_PAGES = "the pages read each field as its schema describes it, and would break or show nonsense otherwise"

UNKNOWN_FIELD = Rule(
    "unknown-field", ERROR, "a field the kind of entry does not have",
    fixed="a misspelt field would be left off the site without a word",
    doc="""
    Each kind of entry has a fixed set of fields, listed in its schema (schemas/) and shown by
    editors that read it. A field not in the set is most often a misspelt one (`defintion`),
    whose text would otherwise never be shown: the message suggests the closest known field.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        colour: blue

    Passes, with these fields in `playbook/terms/contact.yaml`:

        example: Signed up for the newsletter.
    """)

MISSING_FIELD = Rule(
    "missing-field", ERROR, "a required field left out",
    fixed=_PAGES,
    doc=f"""
    Some fields every entry of a kind must have: a term its name, definition and owner; an asset
    its stages, link and talking points. The schema lists them under `required`.

    Fails, in `playbook/terms/deal.yaml`:

        id: deal
        name: Deal
        owner: sales

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

WRONG_TYPE = Rule(
    "wrong-type", ERROR, "a value of the wrong type: a number for text, text for a list",
    fixed=_PAGES,
    doc="""
    Each field holds one type of value: text, a whole number, a list, a set of fields. YAML reads
    some plain words as other types (`yes`, `no`, `on`, `off` as true or false; `1.10` as a
    number), so a text that looks like one is put in quotes. An empty field is reported as such.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        abbreviation: NO

    Passes, with these fields in `playbook/terms/lead.yaml`:

        abbreviation: "NO"
    """)

NOT_ALLOWED_VALUE = Rule(
    "not-allowed-value", ERROR, "a value that is not one of the field's choices",
    fixed=_PAGES,
    doc="""
    Some fields take one of a fixed list of values: an asset's type is one of the types the
    finder filters by; a lifecycle state's record is a lead, an opportunity or a customer. The
    message lists the choices, and the closest one. (Teams are not a fixed list: playbook.yaml
    lists them, and unknown-team checks each one named.)

    Fails, with these fields in `playbook/assets/guide.yaml`:

        type: ebook

    Passes, with these fields in `playbook/assets/guide.yaml`:

        type: e-book
    """)

TOO_FEW_ITEMS = Rule(
    "too-few-items", ERROR, "a list with fewer entries than its field needs",
    fixed=_PAGES,
    doc="""
    Some lists need at least one entry: a persona's goals and pains, an asset's stages and
    talking points (nothing goes to the field without what to say with it).

    Fails, with these fields in `playbook/personas/buyer.yaml`:

        goals: []

    Passes, with these fields in `playbook/personas/buyer.yaml`:

        goals: [Pay less]
    """)

EMPTY_TEXT = Rule(
    "empty-text", ERROR, "an empty text where words are needed",
    fixed=_PAGES,
    doc="""
    A text field that is given must say something: an empty name or definition would be an
    empty heading or paragraph on the site.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: ""

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM.
    """)

REPEATED_ITEM = Rule(
    "repeated-item", ERROR, "a list that names the same thing twice",
    fixed=_PAGES,
    doc="""
    Lists of names, stages and talking points hold each item once; a copy would show twice.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        aliases: [prospect record, prospect record]

    Passes, with these fields in `playbook/terms/lead.yaml`:

        aliases: [prospect record]
    """)

INVALID_ID = Rule(
    "invalid-id", ERROR, "an id that is not lower-case letters, digits and single hyphens",
    fixed="ids are file names and the addresses of pages and links",
    doc="""
    Ids (and references to them) are written in lower-case letters, digits and single hyphens,
    e.g. `roi-calculator`: they are file names and parts of the site's addresses.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        related: [Contact]

    Passes, with these fields in `playbook/terms/lead.yaml`:

        related: [contact]
    """)

INVALID_LINK = Rule(
    "invalid-link", ERROR, "a link that is not an https:// address or a relative path",
    fixed="a link of another kind (http:, javascript:, a path out of the site) is unsafe to publish",
    doc="""
    An asset's link is an https:// address, or a relative path to a file in the docs folder such
    as `files/price-list.pdf`. Plain http://, other schemes, spaces and quotes are refused.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        link: http://assets.acme.example/guide

    Passes, with these fields in `playbook/assets/guide.yaml`:

        link: https://assets.acme.example/guide
    """)

INVALID_DATE = Rule(
    "invalid-date", ERROR, "a date that is not a real day written YYYY-MM-DD",
    fixed="review and end dates decide what the site shows and withdraws",
    doc="""
    Dates are written year-month-day, e.g. 2027-03-31, and must be days of the calendar.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        review_by: 2027-02-30

    Passes, with these fields in `playbook/assets/guide.yaml`:

        review_by: 2027-02-28
    """)

OUT_OF_RANGE = Rule(
    "out-of-range", ERROR, "a number below or above what its field allows",
    fixed=_PAGES,
    doc="""
    Some numbers have bounds: an order starts at 1, a probability is 0 to 100, a service level is
    at least 1 hour or day.

    Fails, with these fields in `playbook/stages/learning.yaml`:

        order: 0

    Passes, with these fields in `playbook/stages/learning.yaml`:

        order: 1
    """)

TOO_LONG = Rule(
    "too-long", ERROR, "a text or list longer than its field allows",
    fixed=_PAGES,
    doc="""
    Some texts and lists have a most: an agreed value at most 200 characters, the onboarding
    page's first terms at most ten.

    Fails, with these fields in `playbook/playbook.yaml`:

        onboarding:
          first_terms: [a, b, c, d, e, f, g, h, i, j, k]

    Passes, with these fields in `playbook/playbook.yaml`:

        onboarding:
          first_terms: [lead, contact]
    """)

WRONG_FORM = Rule(
    "wrong-form", ERROR, "a value not written in the form its field takes",
    fixed=_PAGES,
    doc="""
    Some values have a form of their own: a currency is a three-letter code such as USD, a
    reviewer a handle such as @acme/sales-leads. Anything else the schema refuses is reported
    under this rule too.

    Fails, with these fields in `playbook/playbook.yaml`:

        maintainers: [acme-admins]

    Passes, with these fields in `playbook/playbook.yaml`:

        maintainers: ["@acme-admins"]
    """)

NO_VISIBLE_TEXT = Rule(
    "no-visible-text", ERROR, "a text of spaces or zero-width characters only",
    fixed="it would make empty headings and invisible links",
    doc="""
    A text that holds only spaces or invisible characters (a zero-width space, U+200B) passes as
    text but shows nothing: write words, or leave an optional field out.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: "\\u200b"

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM.
    """)

RULES = (UNKNOWN_FIELD, MISSING_FIELD, WRONG_TYPE, NOT_ALLOWED_VALUE, TOO_FEW_ITEMS, EMPTY_TEXT, REPEATED_ITEM,
         INVALID_ID, INVALID_LINK, INVALID_DATE, OUT_OF_RANGE, TOO_LONG, WRONG_FORM, NO_VISIBLE_TEXT)

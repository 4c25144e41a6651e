"""The rules of a file's YAML: what YAML allows but a playbook refuses, because it would silently
lose or change data, or make a small file stand for a huge one (found by yamltree.py and
loader.py). Each rule's `doc` is its documentation, with examples."""

from __future__ import annotations

from .file_rules import DEAL
from .problems import ERROR, Rule

_LOST = "YAML would silently keep other data than the file shows, and the site would show that"
_BOUND = "a small file that stands for a huge one would stall every build (see SECURITY.md)"

YAML_SYNTAX = Rule(
    "yaml-syntax", ERROR, "a file that is not valid YAML",
    fixed="a file that cannot be read has no entry to show",
    doc="""
    The file cannot be read as YAML: a bracket or quote left open, a field indented wrongly, a
    colon followed by no space. The message gives the line and column where reading stopped; the
    mistake is there or just before it.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: [Anyone in the CRM.

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM.
    """)

DUPLICATE_KEY = Rule(
    "duplicate-key", ERROR, "the same field given twice",
    fixed=_LOST,
    doc="""
    A field given twice in the same place keeps only its last value in YAML, so the first one
    would vanish without a word. Merge the two.

    Fails, in `playbook/terms/deal.yaml`:

        id: deal
        name: Deal
        definition: An opportunity we expect to win.
        definition: An opportunity in the forecast.
        owner: sales

    Passes, in `playbook/terms/deal.yaml`:

        id: deal
        name: Deal
        definition: An opportunity we expect to win, in the forecast.
        owner: sales
    """)

YAML_TAG = Rule(
    "yaml-tag", ERROR, "a YAML tag such as !!python/object",
    fixed="a tag can make YAML build objects of any kind; only plain values are read",
    doc="""
    Tags (`!!python/object`, `!include`, `!!binary`) ask YAML to build something other than text,
    numbers, lists and fields. A playbook holds only plain values.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: !include contact.md

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM.
    """)

MERGE_KEY = Rule(
    "merge-key", ERROR, "a merge key (<<) that copies fields from elsewhere",
    fixed=_LOST,
    doc=f"""
    YAML's merge key (`<<: *name`) copies fields from another place, so what an entry holds is
    not what its file shows where it is read. Write the fields out.

    Fails, in `playbook/terms/deal.yaml`:

        base: &base
          owner: sales
        id: deal
        name: Deal
        definition: An opportunity we expect to win.
        <<: *base

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

KEY_NOT_TEXT = Rule(
    "key-not-text", ERROR, "a field name that is a list, a set of fields or a tagged value",
    fixed="a field is found by its name; a name that is not text names no field",
    doc=f"""
    A field's name is plain text. YAML allows a list or a set of fields as a name (written after
    `? `), which no field of a playbook has.

    Fails, in `playbook/terms/deal.yaml`:

        id: deal
        ? [name, title]
        : Deal
        definition: An opportunity we expect to win.
        owner: sales

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

SECOND_DOCUMENT = Rule(
    "second-document", ERROR, "a file that holds more than one YAML document (---)",
    fixed="a file is one entry; the second document would be left off the site without a word",
    doc=f"""
    A line `---` starts a second YAML document in the same file. A file holds one entry: put the
    second one in a file of its own.

    Fails, in `playbook/terms/deal.yaml`:

{DEAL}
        ---
        id: win
        name: Win

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

UNKNOWN_ALIAS = Rule(
    "unknown-alias", ERROR, "an alias (*name) with no anchor (&name) before it",
    fixed="the value it stands for is nowhere, so the file cannot be read",
    doc="""
    An alias `*name` repeats the value marked `&name` earlier in the file. One that names no
    anchor given before it stands for nothing.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: *crm-contact

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: &crm-contact Anyone in the CRM.
        name: *crm-contact
    """)

ALIAS_LOOP = Rule(
    "alias-loop", ERROR, "an alias that repeats the value it is inside",
    fixed="a value that holds itself is endless, and no page can show it",
    doc="""
    An alias inside the value its anchor marks would make the value hold itself, for ever.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        aliases: &names [prospect record, *names]

    Passes, with these fields in `playbook/terms/lead.yaml`:

        aliases: [prospect record]
    """)

ANCHOR_TWICE = Rule(
    "anchor-twice", ERROR, "the same anchor (&name) given twice in a file",
    fixed=_LOST,
    doc="""
    Each anchor names one value. Given twice, an alias after both would repeat the second one,
    which is seldom what was meant: give each anchor its own name.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        name: &text Contact
        definition: &text Anyone in the CRM.

    Passes, with these fields in `playbook/terms/contact.yaml`:

        name: &name Contact
        definition: &text Anyone in the CRM.
    """)

NESTING_TOO_DEEP = Rule(
    "nesting-too-deep", ERROR, "values nested more than 50 levels deep",
    fixed=_BOUND,
    doc="""
    A playbook entry needs a few levels of nesting at most; more than 50 is a bracket left open
    or a file made to crash the reader.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        aliases: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[deep
          ]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]

    Passes, with these fields in `playbook/terms/lead.yaml`:

        aliases: [prospect record]
    """)

FILE_HOLDS_TOO_MUCH = Rule(
    "file-holds-too-much", ERROR, "a file that stands for more than 100,000 values once its aliases are repeated",
    fixed=_BOUND,
    doc=f"""
    Every alias (`*name`) counts as the value it repeats. A file may hold at most 100,000 values
    and 1,000,000 characters of text, aliases counted: a few aliases of aliases could otherwise
    make a small file stand for gigabytes of text on the site.

    Fails, in `playbook/terms/deal.yaml`:

{DEAL}
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

RULES = (YAML_SYNTAX, DUPLICATE_KEY, YAML_TAG, MERGE_KEY, KEY_NOT_TEXT, SECOND_DOCUMENT, UNKNOWN_ALIAS, ALIAS_LOOP,
         ANCHOR_TWICE, NESTING_TOO_DEEP, FILE_HOLDS_TOO_MUCH)

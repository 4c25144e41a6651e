"""The rules of reading a playbook folder: which files are read, and what a file must be before
its YAML is read (found by loader.py). Each rule's `doc` is its documentation, with examples
(see generator/rules/registry.py for their format)."""

from __future__ import annotations

from .problems import ERROR, Rule

# What a file that is not read would do: its entry would be missing from the site without a word.
_UNREAD = "a file that cannot be read would be left off the site without a word"
# A new term, as it should be written, for the examples of the reading rules.
DEAL = """\
        id: deal
        name: Deal
        definition: An opportunity we expect to win.
        owner: sales"""

PLAYBOOK_MISSING = Rule(
    "playbook-missing", ERROR, "the playbook folder given is not there",
    fixed="there is nothing to build a site from",
    test="tests/test_validate.py::test_missing_folder_is_a_message_not_a_traceback",
    doc="""
    The folder given to `playbook validate` (by default `playbook`) must exist: it holds
    playbook.yaml and one folder per kind of entry.

    Fails when the command is run where there is no such folder, e.g. `playbook validate
    nowhere`. Passes when it names the folder that holds playbook.yaml.
    """)

FOLDER_UNREADABLE = Rule(
    "folder-unreadable", ERROR, "a folder of the playbook cannot be listed",
    fixed=_UNREAD, test="tests/test_hostile.py::test_an_unreadable_folder_is_a_problem",
    doc="""
    Every folder of the playbook must be readable by the person or the build that checks it.
    A folder that cannot be listed (its permissions forbid it) would leave every entry in it off
    the site.

    Fails when a folder such as `playbook/terms` has no read permission. Passes when it is
    readable again (`chmod u+rx playbook/terms`).
    """)

LINK_OUTSIDE = Rule(
    "link-outside", ERROR, "a link that leads out of the playbook folder or the repository",
    fixed="a link out could publish any file of the machine that builds the site",
    test="tests/test_rules.py::test_a_link_out_of_the_playbook_is_refused",
    doc="""
    A symbolic link in the playbook folder may point only at something inside it, and the
    playbook folder itself may not be a link out of the repository. A link such as
    `playbook/terms/secret.yaml -> /etc/passwd` is never read or published.

    Fails when a file or folder in the playbook is a link whose target is outside it. Passes
    when the link is replaced with the file itself.
    """)

LINK_BROKEN = Rule(
    "link-broken", ERROR, "a link in the playbook that leads nowhere",
    fixed=_UNREAD, test="tests/test_rules.py::test_a_link_that_leads_nowhere_is_a_problem",
    doc="""
    A symbolic link in the playbook folder must lead to a file or folder that exists; one that
    leads nowhere (its target was moved or deleted) holds no entry.

    Fails when `playbook/terms/deal.yaml` is a link to a file that does not exist. Passes when
    the link is replaced with the file itself.
    """)

HIDDEN_FILE = Rule(
    "hidden-file", ERROR, "a hidden file in the playbook, which is not read",
    doc=f"""
    Files whose names start with a dot are not read (`.gitkeep` is the exception, kept quietly).
    A hidden file is often an entry saved by mistake, or an editor's backup, so it is reported.
    A company whose editors leave such files may lower this rule to a warning, or turn it off:
    the file is not read either way.

    Fails, in `playbook/terms/.deal.yaml`:

{DEAL}

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

STRAY_FILE = Rule(
    "stray-file", ERROR, "a file where the playbook holds no such file",
    fixed="an entry saved under the wrong name or folder would be left off the site without a word",
    doc=f"""
    The playbook folder holds playbook.yaml and the folders stages, lifecycle, handoffs, terms,
    personas, assets and metrics; each of those holds one `<id>.yaml` file per entry (a README is
    allowed). Any other file is not read, so an entry saved as `.yml`, or in the wrong place, is
    reported rather than missing from the site.

    Fails, in `playbook/terms/deal.yml`:

{DEAL}

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

SETTINGS_MISSING = Rule(
    "settings-missing", ERROR, "the playbook folder has no playbook.yaml",
    fixed="the site's name, the company, the product and the two teams come from it",
    test="tests/test_rules.py::test_a_playbook_without_settings_is_a_problem",
    doc="""
    Every playbook has a playbook.yaml at the top of its folder: it names the company, the
    product and the two teams, and holds the settings every page uses.

    Fails when `playbook/playbook.yaml` is deleted or renamed. Passes when it is there.
    """)

FILE_UNREADABLE = Rule(
    "file-unreadable", ERROR, "a playbook file that cannot be read",
    fixed=_UNREAD, test="tests/test_loader.py::test_unreadable_and_multi_document_files",
    doc="""
    Every file of the playbook must be readable by the person or the build that checks it.

    Fails when a file such as `playbook/terms/lead.yaml` has no read permission. Passes when it
    is readable again (`chmod u+r playbook/terms/lead.yaml`).
    """)

FILE_TOO_LARGE = Rule(
    "file-too-large", ERROR, "a playbook file larger than 1 MB",
    fixed="a file of any size would let one pull request stall every build (see SECURITY.md)",
    test="tests/test_rules.py::test_a_file_over_the_limit_is_a_problem",
    doc="""
    One entry's file may hold at most 1,000,000 bytes: an entry is a page or a card, and a larger
    file is a mistake (a pasted export, a binary file) or an attempt to slow every build down.

    Fails when `playbook/terms/lead.yaml` is over 1,000,000 bytes. Passes when the entry is split
    or shortened.
    """)

NOT_UTF8 = Rule(
    "not-utf8", ERROR, "a playbook file that is not UTF-8 text",
    fixed="text in another encoding would show as garbled characters on the site",
    test="tests/test_rules.py::test_a_file_that_is_not_utf8_is_a_problem",
    doc="""
    Playbook files are UTF-8 text, as the git host's web editor saves them. A file saved in
    another encoding (Windows-1252, Latin-1) is reported at the line of its first byte that is
    not UTF-8.

    Fails when `playbook/terms/lead.yaml` holds the byte 0xE9 (é in Latin-1). Passes when the
    file is saved as UTF-8.
    """)

TAB_CHARACTER = Rule(
    "tab-character", ERROR, "a tab character in a playbook file",
    fixed="YAML does not allow tabs for indentation, and a tab in a value shows differently in every editor",
    doc="""
    YAML is indented with spaces; a tab before a field makes the file mean something else, or
    nothing, and a tab inside a value looks like spaces but is not. Tabs are reported where they
    are, including one written as `\\t` in quoted text.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: "Anyone\\tin the CRM."

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: "Anyone in the CRM."
    """)

INVISIBLE_CHARACTER = Rule(
    "invisible-character", ERROR, "a control or invisible character in a playbook file",
    fixed="invisible characters can make a text display in another order than it is written, or hide words",
    doc="""
    A file may not hold control characters, line or paragraph separators, or the invisible
    characters that make text display in another order than it is written (U+202A to U+202E,
    U+2066 to U+2069): a reviewer would approve one text while the site shows another. Each is
    reported where it is, including one written as an escape (`\\u202e`) in quoted text.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: "Anyone in the \\u202eCRM."

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: "Anyone in the CRM."
    """)

FILE_EMPTY = Rule(
    "file-empty", ERROR, "a playbook file with nothing in it",
    fixed="an empty file is an entry with no id, name or text, which no page can show",
    doc=f"""
    Every file is one entry. A file with nothing in it (or only comments) is an entry started and
    not filled in: fill it in, or delete it.

    Fails, in `playbook/terms/deal.yaml`:

        # To write: what a deal is.

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

NOT_A_MAPPING = Rule(
    "not-a-mapping", ERROR, "a playbook file that is a list or a single value, not fields",
    fixed="an entry is read field by field; a list or a single value has no fields to read",
    doc=f"""
    Every file is one entry written as fields (`name: value`), not a list (`- item`) or a single
    value.

    Fails, in `playbook/terms/deal.yaml`:

        - id: deal
        - name: Deal

    Passes, in `playbook/terms/deal.yaml`:

{DEAL}
    """)

RULES = (PLAYBOOK_MISSING, FOLDER_UNREADABLE, LINK_OUTSIDE, LINK_BROKEN, HIDDEN_FILE, STRAY_FILE,
         SETTINGS_MISSING, FILE_UNREADABLE, FILE_TOO_LARGE, NOT_UTF8, TAB_CHARACTER, INVISIBLE_CHARACTER, FILE_EMPTY,
         NOT_A_MAPPING)

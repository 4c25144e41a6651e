"""The rules a change is checked against (`playbook diff BASE HEAD --check-signoff`, with
`--approvals` in a pull request): an agreed definition that changed carries a new agreement of
both teams, and what both teams own is approved by both. Checked by generator/changes/signoff.py
and approvals.py; declared here, with the other rules, so that every rule is in one registry.

In the examples, the file is written as the change writes it, over the playbook as it was on the
protected branch when the change began (on 2026-11-01), whose agreements are dated 2026-01-15."""

from __future__ import annotations

from ..source.problems import ERROR, Rule
from .agreement import AGREEMENT

_CHANGED = "playbook/lifecycle/lead.yaml"

SIGNOFF_MISSING_NAME = Rule(
    "signoff-missing-name", ERROR, "a changed agreed definition without a name from each team",
    fixed=AGREEMENT, on_change=True,
    doc=f"""
    A change to an agreed definition (a lifecycle state, a handoff, or an agreed value one
    shows) is agreed again by both teams: `agreed_by` names one person of each.

    Fails, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, date: 2026-11-20}}

    Passes, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-11-20}}
    """)

SIGNOFF_MISSING_DATE = Rule(
    "signoff-missing-date", ERROR, "a changed agreed definition whose agreement has no valid date",
    fixed=AGREEMENT, on_change=True,
    doc=f"""
    The new agreement of a changed definition is dated (`agreed_by › date`, YYYY-MM-DD): the date
    tells a new agreement from the one it replaces.

    Fails, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer}}

    Passes, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-11-20}}
    """)

SIGNOFF_NOT_RENEWED = Rule(
    "signoff-not-renewed", ERROR, "a changed agreed definition that still carries its earlier agreement",
    fixed=AGREEMENT, on_change=True,
    doc=f"""
    An agreement is to a text. When the text changes, the agreement it carried is not an
    agreement to the new one: both teams agree again, and `agreed_by` gets their names and a
    date later than the earlier agreement's.

    Fails, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.

    Passes, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-11-20}}
    """)

SIGNOFF_BEFORE_CHANGE = Rule(
    "signoff-before-change", ERROR, "a new agreement dated before the change began",
    fixed=AGREEMENT, on_change=True,
    doc=f"""
    A new agreement is dated no earlier than the day the change branched from the protected
    branch: an agreement from before then cannot be to this change (commit dates inside a pull
    request are the contributor's to choose, so the branch point is what counts).

    Fails, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-10-01}}

    Passes, with these fields in `{_CHANGED}`:

        definition: Someone who asked for a demo.
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-11-20}}
    """)

APPROVAL_MISSING = Rule(
    "approval-missing", ERROR, "a change both teams own without an approving review from each",
    fixed=AGREEMENT, on_change=True, test="tests/test_signoff.py::test_a_shared_goal_needs_both_teams",
    doc="""
    Checked with `--approvals` in a pull request. Every change both teams own (an agreed
    definition, a shared goal, a stage, an agreed value, playbook.yaml) needs an approving review
    of the pull request's latest commit from a person listed for sales and one listed for
    marketing in playbook.yaml, with their handle. A review that was dismissed, asked for
    changes, or approved an older commit does not count.

    Fails when a pull request changes `playbook/metrics/win-rate.yaml` and only a person of
    sales approved its latest commit. Passes once a listed person of marketing approves it too.
    """)

SIGNER_WITHOUT_HANDLE = Rule(
    "signer-without-handle", ERROR, "a signer whose approval cannot be checked: no handle in playbook.yaml",
    fixed=AGREEMENT, on_change=True,
    test="tests/test_rules.py::test_a_signer_without_a_handle_cannot_be_checked",
    doc="""
    Checked with `--approvals` in a pull request. The people `agreed_by` names are the people
    who approved; to check that, playbook.yaml gives each of them a handle on the git host
    (`teams › sales › people`, `handle: "@sam-seller"`).

    Fails when a change's `agreed_by` names a team's leader who has no handle, though another
    person of the team approved. Passes once the leader is listed under `people` with a handle,
    and approves.
    """)

SIGNER_DID_NOT_APPROVE = Rule(
    "signer-did-not-approve", ERROR, "a person agreed_by names who did not approve the latest commit",
    fixed=AGREEMENT, on_change=True,
    test="tests/test_signoff.py::test_approvals_that_do_not_count",
    doc="""
    Checked with `--approvals` in a pull request. Writing a name in `agreed_by` is not agreeing:
    the person named approves the pull request's latest commit, and their approval is what is
    checked.

    Fails when `agreed_by` names Tom Brennan for marketing but only Priya Raman of marketing
    approved. Passes when the name is the person who approved.
    """)

RULES = (SIGNOFF_MISSING_NAME, SIGNOFF_MISSING_DATE, SIGNOFF_NOT_RENEWED, SIGNOFF_BEFORE_CHANGE, APPROVAL_MISSING,
         SIGNER_WITHOUT_HANDLE, SIGNER_DID_NOT_APPROVE)

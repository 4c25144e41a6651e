"""Validation through the real `playbook` command: every bad-input case gives its exact report."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

BAD = Path(__file__).resolve().parent / "bad"
PLAYBOOK = str(Path(sys.executable).parent / "playbook")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def bad_project(case: Path, tmp_path: Path) -> Path:
    """The mini playbook with the case's files laid over it."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    for source in case.rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = tmp_path / "playbook" / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return tmp_path


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_bad_input_gives_exact_report(case: str, tmp_path: Path) -> None:
    project = bad_project(BAD / case, tmp_path)
    result = run("validate", "playbook", cwd=project)
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    count = len(expected.splitlines())
    assert result.stderr.strip() == f"{count} problem{'s' if count != 1 else ''} in playbook; fix them and run again."


def test_every_problem_reported_at_once_sorted(tmp_path: Path) -> None:
    project = bad_project(BAD / "many-problems", tmp_path)
    lines = run("validate", "playbook", cwd=project).stdout.splitlines()
    files = [line.split(":")[0] for line in lines]
    assert len(set(files)) == 4
    keys = [(f, int(line.split(":")[1]), int(line.split(":")[2])) for f, line in zip(files, lines, strict=True)]
    assert keys == sorted(keys)


def test_clean_playbook_prints_one_line_summary(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    # One number, one noun: "1 handoff", "2 stages". Then what happens to the change next.
    assert result.stdout == ("playbook: 11 files checked, no problems: 2 stages, 2 lifecycle states, "
                             "1 handoff, 2 terms, 1 persona, 1 asset, 1 metric.\n"
                             "Next: commit the change and open a pull request. The same checks run on it, the site "
                             "is built from it, and it takes effect once a reviewer of Sales and one of Marketing "
                             "has approved it.\n")


def test_default_playbook_is_clean_and_complete() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "playbook"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
    *_, summary, next_step = result.stdout.splitlines()
    assert next_step.startswith("Next: commit the change and open a pull request.")
    assert next_step.endswith("Step by step: docs/propose-a-change.md."), next_step
    counts = {kind: int(n) for n, kind in
              (part.split(" ", 1) for part in re.split(r"no problems[^:]*: ", summary)[1].rstrip(".").split(", "))}
    assert counts["stages"] >= 5 and counts["terms"] >= 30 and counts["personas"] >= 4
    assert counts["assets"] >= 25 and counts["metrics"] >= 6 and counts["lifecycle states"] >= 9


def test_missing_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run("validate", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ("nowhere:1:1: no playbook folder here: give the folder that holds playbook.yaml "
                             "[playbook-missing]\n")


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run("publish", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'publish'" in result.stderr


# The contradictions the default playbook once held, each planted back into a copy of it:
# (what, file, text to replace, its replacement or None to delete the file).
PLANTED = {
    "no handoff returns an SQL to marketing": ("handoffs/sql-to-nurture.yaml", None, None),
    "sal-to-sql sends 'too small' to nurture, the others to disqualified": (
        "handoffs/sal-to-sql.yaml",
        '  - reason: company-too-small\n    goes_to: disqualified',
        '  - reason: company-too-small\n    goes_to: nurture'),
    "a recycle reason nurture does not list": (
        "handoffs/sal-to-sql.yaml", "  - reason: project-too-far-out\n",
        "  - reason: No-show for discovery meeting\n"),
    "inquiry enters nurture with no reason": ("lifecycle/inquiry.yaml", "  - mql\n  - disqualified\n",
                                              "  - mql\n  - nurture\n  - disqualified\n"),
    "the discount band typed out": ("stages/selection.yaml", "[[discount-vp-sales-max]]", "20 percent"),
}

PLANTED_REPORTS = {
    'no handoff returns an SQL to marketing': [
        "playbook/lifecycle/sql.yaml:33:5: next_states[1]: a record moves from 'sql' to 'nurture' with no"
        " reason, but 'nurture' accepts only the reasons it lists: add exit_reasons to 'sql' that send re"
        "cords to 'nurture', or a handoff from 'sql' whose rejections go there, or remove 'nurture' from "
        'next_states [move-without-reason]',
        "playbook/lifecycle/sql.yaml:33:5: next_states[1]: moving from 'sql' (sales) to 'nurture' (market"
        'ing) changes the owning team, but no handoff says how: add a handoff from sql to nurture, with a'
        ' service level and an escalation [handoff-missing]',
        "playbook/lifecycle/sql.yaml:34:5: next_states[2]: a record moves from 'sql' to 'disqualified' wi"
        "th no reason, but 'disqualified' accepts only the reasons it lists: add exit_reasons to 'sql' th"
        "at send records to 'disqualified', or a handoff from 'sql' whose rejections go there, or remove "
        "'disqualified' from next_states [move-without-reason]",
        "playbook/lifecycle/sql.yaml:34:5: next_states[2]: moving from 'sql' (sales) to 'disqualified' (m"
        'arketing) changes the owning team, but no handoff says how: add a handoff from sql to disqualifi'
        'ed, with a service level and an escalation [handoff-missing]',
        # The cadence the agreed values take from that handoff has nowhere to come from.
        "playbook/playbook.yaml:513:31: values[27].from.id: 'sql-to-nurture' is not a known handoff (did "
        "you mean 'sal-to-nurture'?) [unknown-reference]",
    ],
    "sal-to-sql sends 'too small' to nurture, the others to disqualified": [
        "playbook/handoffs/sal-to-sql.yaml:40:13: rejection_reasons[2].reason: 'nurture' does not accept "
        "the reason 'company-too-small' ('company-too-small' is accepted by: disqualified): use one of th"
        'e reasons listed under accepts in lifecycle/nurture.yaml, word for word, or agree to add this on'
        'e there [reason-not-accepted]',
        "playbook/handoffs/sal-to-sql.yaml:41:14: rejection_reasons[2].goes_to: the reason 'company-too-s"
        "mall' sends a record to 'nurture' here but to 'disqualified' in 'closed-lost-to-nurture': agree "
        'on one place for it [reason-sent-two-ways]',
    ],
    'a recycle reason nurture does not list': [
        "playbook/handoffs/sal-to-sql.yaml:36:13: rejection_reasons[0].reason: 'No-show for discovery mee"
        "ting' is not the id of an agreed reason: use one of the ids under reasons in playbook.yaml, or a"
        'gree to add this reason to a list there [unknown-reason]',
        "playbook/handoffs/sal-to-sql.yaml:36:13: rejection_reasons[0].reason: 'nurture' does not accept "
        "the reason 'No-show for discovery meeting': use one of the reasons listed under accepts in lifec"
        'ycle/nurture.yaml, word for word, or agree to add this one there [reason-not-accepted]',
    ],
    'inquiry enters nurture with no reason': [
        "playbook/lifecycle/inquiry.yaml:32:5: next_states[1]: a record moves from 'inquiry' to 'nurture'"
        " with no reason, but 'nurture' accepts only the reasons it lists: add exit_reasons to 'inquiry' "
        "that send records to 'nurture', or a handoff from 'inquiry' whose rejections go there, or remove"
        " 'nurture' from next_states [move-without-reason]",
    ],
    'the discount band typed out': [
        "playbook/stages/selection.yaml:26:5: warning: sales_activities[3]: '20 percent' is an agreed val"
        'ue, written out here: if this is [[discount-vp-sales-max]], write [[discount-vp-sales-max]] inst'
        'ead, so that it changes in one place [value-typed-out]',
    ],
}


def plant(tmp_path: Path, relative: str, old: str | None, new: str | None) -> list[str]:
    """The errors and value warnings of the default playbook with one contradiction planted back."""
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    path = tmp_path / "playbook" / relative
    if old is None:
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is no longer in {relative}"
        path.write_text(text.replace(old, new or ""), encoding="utf-8")
    result = run("validate", "playbook", cwd=tmp_path)
    return [line for line in result.stdout.splitlines()
            if not line.startswith(("playbook: ", "Next: ")) and (": warning: " not in line or "agreed value" in line)]


@pytest.mark.parametrize("case", PLANTED)
def test_funnel_lint_catches_each_contradiction_planted_back(case: str, tmp_path: Path) -> None:
    """The default playbook passes every rule; each contradiction it once held is reported again,
    at its place, when planted back."""
    relative, old, new = PLANTED[case]
    assert plant(tmp_path, relative, old, new) == PLANTED_REPORTS[case]


def test_default_playbook_passes_every_rule() -> None:
    result = run("validate", "playbook", cwd=REPO)
    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if "agreed value" in line] == []
    assert " no problems " in result.stdout + result.stderr


def test_a_schema_error_does_not_hide_a_dangling_reference(tmp_path: Path) -> None:
    """A stage typed 'lernin' next to an impossible date: both in one run, not one per run."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    asset = tmp_path / "playbook" / "assets" / "guide.yaml"
    text = asset.read_text(encoding="utf-8")
    text = re.sub(r"review_by: .*", "review_by: 2026-13-45", text).replace("[learning,", "[lernin,", 1)
    asset.write_text(text, encoding="utf-8")
    out = run("validate", "playbook", cwd=tmp_path).stdout
    assert re.search(r"assets/guide\.yaml:\d+:\d+: review_by: ", out), out
    assert re.search(r"assets/guide\.yaml:\d+:\d+: stages\[0\]: 'lernin' is not a known stage \(did you mean "
                     r"'learning'\?\)", out), out


NEW_STATE = """\
# yaml-language-server: $schema=../../../../schemas/lifecycle.schema.json
id: nurture
order: 1
name: Nurture
record: lead
definition: 12
qualifies:
  - Not ready to buy yet.
does_not_qualify:
  - Asked for a demo.
owner: sales
next_states: [lead, wonn]
final: true
exit_reasons:
  - reason: Bought elsewhere.
    goes_to: won
crm:
  object: Lead
  field: Lead Status
  value: Nurture
agreed_by:
  sales: Sam Seller
  marketing: Mia Marketer
  date: 2026-01-15
"""


def test_a_new_lifecycle_state_with_six_mistakes_reports_all_six(tmp_path: Path) -> None:
    """A wrong type, a next state that is not there, the same order as another state, final with
    next states, an exit reason to a state that is not next, and a change of team with no handoff:
    every one in the first run."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    (tmp_path / "playbook" / "lifecycle" / "nurture.yaml").write_text(NEW_STATE, encoding="utf-8")
    result = run("validate", "playbook", cwd=tmp_path)
    lines = [line.removeprefix("playbook/lifecycle/nurture.yaml:") for line in result.stdout.splitlines()]
    expected = [
        "3:8: order: order 1 is already taken by lifecycle state 'lead'",
        "6:13: definition: must be text",
        "12:21: next_states[1]: 'wonn' is not a known lifecycle state (did you mean 'won'?)",
        "12:15: next_states[0]: moving from 'nurture' (sales) to 'lead' (marketing) changes the owning team, but no "
        "handoff says how",
        "13:8: final: 'nurture' is final but has next states",
        "16:14: exit_reasons[0].goes_to: 'won' is not a next state of 'nurture'",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, result.stdout)
    assert len(lines) == len(expected) and result.returncode == 1


def test_validate_loads_neither_the_site_nor_the_other_commands() -> None:
    """`playbook validate` runs on every commit (pre-commit) and every pull request: it starts
    without importing the site's templates, the diff or the CRM export."""
    code = ("import sys\nfrom generator.commands.cli import main\nmain(['validate', 'tests/fixtures/mini'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markdown', 'mkdocs')\n"
            "      or m.startswith(('generator.site', 'generator.changes', 'generator.commands.diff',\n"
            "                       'generator.commands.export', 'generator.commands.crm'))))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout
    assert result.stdout.splitlines()[-1] == "[]", result.stdout.splitlines()[-1]
    # Every command is still there for the help, and each one's own module for its command.
    listed = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True,
                            text=True, timeout=60).stdout
    for command in ("validate", "render", "rules", "diff", "codeowners", "export", "crm-check", "new", "init",
                    "schemas"):
        assert f"    {command} " in listed or f"    {command}\n" in listed, command


def test_the_next_step_names_the_signing_teams_as_the_model_of_the_playbook_does() -> None:
    """`playbook validate` names the teams whose reviewers approve a change from playbook.yaml's
    data, without the model: in the same order and words as the model's settings."""
    import copy
    import dataclasses

    from generator.commands import cli
    from generator.model.from_documents import settings_model
    from generator.source.loader import load_playbook

    loaded = load_playbook(REPO / "playbook")
    assert loaded.settings is not None
    for signing, names in ((None, {}), (["marketing", "sales"], {"sales": "Field Sales", "marketing": "Demand"})):
        data = copy.deepcopy(loaded.settings.data)
        if signing is not None:
            data["signatories"] = signing
        for team, name in names.items():
            data["teams"][team]["name"] = name
        settings = settings_model(dataclasses.replace(loaded, settings=dataclasses.replace(loaded.settings, data=data)))
        expected = " and one of ".join(settings.teams[team].name for team in settings.signing_teams)
        line = cli._next_step(data, None)
        assert f"once a reviewer of {expected} has approved it." in line, line
    assert "a reviewer of Demand and one of Field Sales" in line


def test_each_file_assets_link_is_looked_for_once_and_every_broken_link_is_told(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many assets link the same few files: each relative link is looked for in docs/ once a
    run, and each asset that links a missing file is told so, at its own line."""
    from conftest import make_project

    from generator.rules import references
    from generator.rules.validate import check

    project = make_project(tmp_path / "p", docs={"files/guide.txt": "the guide\n"})
    guide = project / "playbook" / "assets" / "guide.yaml"
    text = guide.read_text(encoding="utf-8")
    for i in range(6):
        link = "files/guide.txt" if i % 2 else "files/gone.txt"
        (guide.parent / f"guide-{i}.yaml").write_text(
            text.replace("https://assets.acme.example/guide", link).replace("id: guide", f"id: guide-{i}"),
            encoding="utf-8")
    looked: list[str] = []
    real = references._is_file

    def counted(docs: Path, link: str) -> bool:
        looked.append(link)
        return real(docs, link)

    monkeypatch.setattr(references, "_is_file", counted)
    _, problems = check(project / "playbook", project / "docs")
    assert sorted(looked) == ["files/gone.txt", "files/guide.txt"]
    told = [(p.file, p.line, p.message) for p in problems if p.rule == "link-not-found"]
    assert told == [(f"{project}/playbook/assets/guide-{i}.yaml", 8, "'files/gone.txt' is not a file in "
                     f"{project}/docs/: add the file there, or link to its https:// address") for i in (0, 2, 4)]

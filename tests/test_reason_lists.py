"""Agreed reason lists: each reason declared once in playbook.yaml with an id, named by its id in the
lifecycle and as [[id]] in texts, so that one reason cannot be written two ways. Checked on copies
of the default playbook, in process."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generator.model.build import build_playbook
from generator.rules.validate import check
from generator.site.render import render_pages


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    (tmp_path / "docs").mkdir()
    return tmp_path / "playbook"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is no longer in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root.parent)
    return [str(p) for p in check(Path("playbook"), Path("docs"))[1]
            if p.rule not in ("review-overdue", "asset-withdrawn", "review-due")]


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _declared() -> dict[str, str]:
    data = yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))
    return {r["id"]: r["text"] for group in data["reasons"] for r in group["reasons"]}


def test_every_reason_of_the_default_lifecycle_is_named_by_an_agreed_id() -> None:
    declared = _declared()
    named = []
    for path in sorted((REPO / "playbook").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.parent.name == "handoffs":
            named += [r["reason"] for r in data["rejection_reasons"]]
        if path.parent.name == "lifecycle":
            named += [r["reason"] for r in data.get("exit_reasons") or ()] + list(data.get("accepts") or ())
    assert len(named) > 80
    assert set(named) <= set(declared), set(named) - set(declared)
    # The closed lost and closed won states take the whole loss and win lists, with their CRM field.
    lists = {g["id"]: g for g in yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text())["reasons"]}
    for state, list_id, field in (("closed-lost", "loss", "Closed Lost Reason"), ("closed-won", "win", "Win Reason")):
        accepts = yaml.safe_load((REPO / "playbook" / "lifecycle" / f"{state}.yaml").read_text())["accepts"]
        assert accepts == [r["id"] for r in lists[list_id]["reasons"]]
        assert lists[list_id]["crm"] == {"object": "Opportunity", "field": field}


def test_a_reason_written_out_or_misspelt_is_reported_with_the_id_to_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    handoff = root / "handoffs" / "sal-to-sql.yaml"
    _replace(handoff, "  - reason: no-problem-named\n", "  - reason: No problem named that Tallybright AP solves.\n")
    _replace(handoff, "  - reason: wrong-contact\n", "  - reason: wrong-contacts\n")
    nurture = root / "lifecycle" / "nurture.yaml"
    _replace(nurture, "  - signed-elsewhere\n", "  - Recently  signed with another vendor\n")
    problems = _problems(root, monkeypatch)
    line = _line(handoff, "No problem named")
    assert (f"playbook/handoffs/sal-to-sql.yaml:{line}:13: rejection_reasons[1].reason: 'No problem named that "
            "Tallybright AP solves.' is the text of the agreed reason 'no-problem-named': write its id, "
            "no-problem-named [unknown-reason]") in problems
    line = _line(handoff, "wrong-contacts")
    assert any(p.startswith(f"playbook/handoffs/sal-to-sql.yaml:{line}:13: rejection_reasons[3].reason: "
                            "'wrong-contacts' is not the id of an agreed reason (did you mean 'wrong-contact'?)")
               for p in problems), problems
    line = _line(nurture, "Recently  signed")
    assert (f"playbook/lifecycle/nurture.yaml:{line}:5: accepts[2]: 'Recently  signed with another vendor' is the "
            "text of the agreed reason 'signed-elsewhere': write its id, signed-elsewhere [unknown-reason]") in problems


def test_a_reason_declared_twice_or_an_id_taken_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    settings = root / "playbook.yaml"
    _replace(settings, "      - id: no-decision\n        text: No decision\n",
             "      - id: no-decision\n        text: No decision\n"
             "      - id: chose-nothing\n        text: \"no  decision\"\n"
             "      - id: bookings-target\n        text: Bookings target missed\n"
             "      - id: chose-competitor\n        text: Chose a rival\n")
    problems = [p for p in _problems(root, monkeypatch) if "[reason-declared-twice]" in p]
    assert len(problems) == 3, problems
    assert "'no  decision' is already the agreed reason 'no-decision'" in problems[0]
    assert "'bookings-target' is already the id of an agreed value" in problems[1]
    assert "'chose-competitor' is already the id of a reason" in problems[2]
    assert all(p.startswith("playbook/playbook.yaml:") for p in problems)


def test_a_quoted_reason_is_a_warning_and_a_named_one_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    term = root / "terms" / "closed-lost.yaml"
    text = term.read_text(encoding="utf-8")
    assert "[[chose-competitor]]" in text
    term.write_text(text.replace("[[chose-competitor]]", "\u201cChose a competitor.\u201d", 1), encoding="utf-8")
    problems = _problems(root, monkeypatch)
    assert [p for p in problems if "[reason-typed-out]" in p] == [
        f"playbook/terms/closed-lost.yaml:{_line(term, 'example:')}:10: warning: example: 'Chose a competitor.' "
        "is the agreed reason 'chose-competitor', quoted here: write [[chose-competitor]] instead, so that it shows "
        "the agreed text and follows it [reason-typed-out]"]
    assert not [p for p in problems if "[unknown-value]" in p]


def test_one_change_to_a_reason_shows_everywhere_it_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "playbook.yaml", "text: No response after the full follow-up cadence\n",
             "text: \"Silent <b>after</b> every touch & call\"\n")
    pages = render_pages(build_playbook(root, today=None), directory_urls=True)
    lifecycle, values, glossary = pages["lifecycle.md"], pages["values.md"], pages["glossary.md"]
    shown = "Silent &#60;b&#62;after&#60;&#47;b&#62; every touch &#38; call"
    # Accepted by nurture, quoted in the handoff's follow-up rule, in what does not qualify as
    # disqualified and in the recycle term: each shows
    # the new text, inert, linked to the reason on the Agreed values page.
    link = f'<a class="pb-value" href="../values/#value-no-response">{shown}</a>'
    assert lifecycle.count(link) == 3, lifecycle.count(shown)
    assert "No response after" not in lifecycle + glossary
    assert link.replace("../values/", "../values/") in glossary or shown in glossary
    assert "<b>" not in lifecycle + values + glossary
    # The Agreed values page lists it under its list, with the CRM field and where it is used.
    part = values[values.index("## Nurture reasons"):values.index("## Loss reasons")]
    assert "on the Lead, in the field Nurture Reason" in part
    entry = part[part.index(shown):]
    entry = entry[:entry.index("###")]
    assert "`no-response` in a handoff or state, `[[no-response]]` in a text" in entry
    assert "[Nurture](lifecycle.md#nurture) (accepts)" in entry
    assert "[Marketing hands an MQL to sales development](lifecycle.md#mql-to-sal) (follow up)" in entry
    # The closed lost state says which list its reasons come from and where the CRM records them.
    lost = lifecycle[lifecycle.index("{ #closed-lost }"):]
    lost = lost[:lost.index("{ #", 20)]
    assert re.search(r"From the agreed loss reasons\*, recorded in the CRM on the Opportunity, in the field "
                     r"Closed Lost Reason: \[the whole list\]\(values\.md#value-loss\)", lost), lost[-600:]

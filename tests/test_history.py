"""The "Recent changes" page and "changed on" lines, from the git history of a real repository
made in the test; and the page outside a git checkout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SITE_CONFIG, run_mkdocs
from htmltext import read_site
from test_diff import Repo

from generator.changes import git
from generator.changes.history import _commit_edits, read_history


@pytest.fixture
def repo_site(tmp_path: Path) -> Path:
    repo = Repo(tmp_path / "repo")
    long = ("A person at a company we sell to, with a name and a way to reach them. We review the contact list "
            "every quarter with both teams. Nobody deletes a contact without asking.")
    repo.edit("terms/contact.yaml", {"definition": long})
    repo.commit("A longer contact", "2026-11-18")
    repo.edit("terms/contact.yaml", {"definition": long.replace("every quarter", "every month")})
    repo.commit("Monthly", "2026-11-19")
    repo.edit("lifecycle/lead.yaml", {"qualifies": ["Gave a work e-mail address on purpose.", "Requested a demo."]})
    repo.edit("handoffs/lead-to-won.yaml", text=("  within: 4\n", "  within: 1\n"))
    repo.commit("Tighter lead <script>alert(1)</script>", "2026-11-20")
    repo.edit("terms/contact.yaml", text=("definition:", "# wording only\ndefinition:"))
    repo.commit("Comment only", "2026-11-21")
    (repo.root / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (repo.root / "docs").mkdir()
    result = run_mkdocs(repo.root, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    return repo.root / "site"


def test_recent_changes_page(repo_site: Path) -> None:
    page = read_site(repo_site)["changes/index.html"]
    text = page.text
    # Newest first; a comment-only commit says nothing about the playbook and is left out.
    assert "Comment only" not in text
    assert "2026-11-20 · Mia Marketer¶ Tighter lead <script>alert(1)</script>" in text
    assert "Lifecycle state Lead: changed qualifies: added 'Requested a demo.'" in text
    assert "Handoff Marketing hands a lead to sales: changed service level: 4 business hours → 1 business hour" in text
    assert "2026-11-01 · Mia Marketer¶ The mini playbook" in text
    assert "Term Contact: added" in text
    assert "../lifecycle/#lead" in page.links and "../lifecycle/#lead-to-won" in page.links
    html = (repo_site / "changes" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    # A changed text, word by word and whole: the changed sentence with its removed and added words,
    # the sentences around it left out.
    assert "Term Contact: changed definition: … We review the contact list every quarter month with both teams. …" \
        in text
    assert "<del>quarter</del> <ins>month</ins>" in html
    assert "<li>definition: " in html
    # Each entry and each field change is an item of its own, never run into the one before.
    assert not re.search(r"\S ?- (Lifecycle state|Handoff|Term|qualifies|definition|service level)", text), text


def test_changed_definitions_say_when(repo_site: Path) -> None:
    lifecycle = read_site(repo_site)["lifecycle/index.html"].text
    assert "Lead¶ Changed on 2026-11-20: see recent changes." in lifecycle
    assert "Marketing hands a lead to sales¶ Changed on 2026-11-20" in lifecycle
    assert "Won¶ Changed on" not in lifecycle  # added, never changed
    glossary = read_site(repo_site)["glossary/index.html"].text
    assert "Contact¶ Changed on 2026-11-21." in glossary  # the file changed, if only in a comment


def test_outside_a_git_checkout_the_page_says_so(build_site: object) -> None:
    site = build_site()  # type: ignore[operator]
    text = read_site(site)["changes/index.html"].text
    assert "This copy of the playbook is not in a git checkout, so its history cannot be shown here." in text


def test_the_history_reads_a_commit_from_git_once_and_its_files_all_at_once(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Every rebuild under `mkdocs serve` reads the history again: before, two git processes for
    # each file of each of the last 20 commits took 3.9 s of every rebuild of the default site.
    repo = Repo(tmp_path / "repo")
    for n in range(12):
        repo.edit("terms/contact.yaml", {"definition": f"Anyone in the CRM, version {n}."})
        repo.edit("lifecycle/lead.yaml", {"qualifies": [f"Requested a demo, round {n}."]})
        repo.commit(f"Round {n}", f"2026-11-{n + 2:02d}")
    runs: list[list[str]] = []
    real = git.subprocess.run

    def counted(args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(git.subprocess, "run", counted)
    first = read_history(repo.root / "playbook")
    assert first is not None and [c.subject for c in first.commits][:2] == ["Round 11", "Round 10"]
    edits = {edit.kind: edit for edit in first.commits[0].edits}
    assert edits["lifecycle"].lines[0].summary == \
        "changed 'Requested a demo, round 10.' → 'Requested a demo, round 11.'"
    assert edits["term"].lines[0].where == "definition"
    # The first commit added every file of the playbook; each commit's files came in one batch.
    added = first.commits[-1]
    assert added.subject == "The mini playbook" and len(added.edits) + added.more > 10
    assert sum(args[3:5] == ["cat-file", "--batch"] for args in runs) == len(first.commits)
    runs.clear()
    again = read_history(repo.root / "playbook")
    assert again == first
    # Where the repository is, the commits, and the day each entry last changed.
    assert [args[3] for args in runs] == ["rev-parse", "log", "log"]
    # A new commit is read, and only it.
    repo.edit("terms/contact.yaml", {"definition": "Anyone in the CRM, for good."})
    repo.commit("For good", "2026-11-30")
    runs.clear()
    newer = read_history(repo.root / "playbook")
    assert newer is not None and newer.commits[0].subject == "For good"
    assert newer.commits[1:] == first.commits[:len(newer.commits) - 1]
    assert [args[3] for args in runs] == ["rev-parse", "log", "diff-tree", "cat-file", "cat-file", "log"]
    # However many files a commit changed, a bounded part of them is held at once: with parts of
    # one file, one `cat-file --batch` a file, and the same history.
    monkeypatch.setattr(git, "BATCH_BYTES", 1)
    _commit_edits.cache_clear()
    runs.clear()
    assert read_history(repo.root / "playbook") == newer
    files = sum(1 for args in runs if args[3:5] == ["cat-file", "--batch"])
    assert files >= len(list((repo.root / "playbook").rglob("*.yaml"))) + 2 * 12

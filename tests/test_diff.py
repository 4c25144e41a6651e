"""`playbook diff` against real git repositories made in the test: field by field, renames, lists
compared as lists, comment-only edits, impact, escaping, and the two-team sign-off check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from generator.changes.git import GitError, write_tree

PLAYBOOK = str(Path(sys.executable).parent / "playbook")


class Repo:
    """A git repository holding a copy of a playbook (the mini one unless told), with commits on
    fixed dates."""

    def __init__(self, root: Path, source: Path = FIXTURES / "mini") -> None:
        self.root = root
        shutil.copytree(source, root / "playbook")
        self.git("init", "-q", "-b", "main")
        self.commit("The mini playbook", "2026-11-01")
        self.git("tag", "base")

    def git(self, *args: str, when: str = "2026-11-01") -> str:
        env = dict(os.environ, GIT_AUTHOR_NAME="Mia Marketer", GIT_AUTHOR_EMAIL="mia@example.com",
                   GIT_COMMITTER_NAME="Mia Marketer", GIT_COMMITTER_EMAIL="mia@example.com",
                   GIT_AUTHOR_DATE=f"{when}T10:00:00+00:00", GIT_COMMITTER_DATE=f"{when}T10:00:00+00:00")
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True,
                              text=True).stdout

    def commit(self, message: str, when: str) -> None:
        self.git("add", "-A", when=when)
        self.git("commit", "-q", "-m", message, when=when)

    def edit(self, name: str, change: dict[str, object] | None = None, text: tuple[str, str] | None = None) -> None:
        path = self.root / "playbook" / name
        if text is not None:
            old = path.read_text(encoding="utf-8")
            assert text[0] in old
            path.write_text(old.replace(*text), encoding="utf-8")
        if change is not None:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data.update(change)
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def diff(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PLAYBOOK, "diff", *args], cwd=self.root, capture_output=True, text=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


def test_field_by_field_in_the_playbooks_words(repo: Repo) -> None:
    repo.edit("handoffs/lead-to-won.yaml", text=("  within: 4\n", "  within: 1\n"))
    repo.edit("lifecycle/lead.yaml", {"qualifies": ["Gave a work e-mail address on purpose.", "Requested a demo."],
                                      "definition": "Someone who asked, in writing, to hear from us."})
    repo.edit("terms/contact.yaml", {"aliases": ["CRM contact", "person"]})
    repo.commit("Tighter lead", "2026-11-20")
    result = repo.diff("base", "HEAD")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## 3 entries changed in the playbook: 3 changed; 2 agreed definitions among them\n")
    assert "### Lifecycle state: Lead · **agreed definition**\n" in out
    assert "- Lead › definition: \\'Someone who asked to hear from us\\.\\' → \\'Someone who asked\\, in " \
           "writing\\, to hear from us\\.\\'\n" in out
    assert "- Lead › qualifies: added \\'Requested a demo\\.\\'\n" in out
    assert "### Handoff: Marketing hands a lead to sales · **agreed definition**\n" in out
    assert "- Marketing hands a lead to sales › service level: 4 business hours → 1 business hour\n" in out
    assert "- Contact › aliases: set to \\[\\'CRM contact\\'\\, \\'person\\'\\]\n" in out
    # Impact: who refers to the lead state, and who uses its name.
    assert "**Impact**: this change touches 1 stage, 1 handoff, 1 term (3 in all):\n\n- Stages: Learning\n" in out
    assert out.index("### Lifecycle state: Lead") < out.index("### Handoff:") < out.index("### Term: Contact")


def test_lists_compared_as_lists(repo: Repo) -> None:
    repo.edit("terms/lead.yaml", {"aliases": ["prospect record", "sales lead", "enquiry"]})
    repo.commit("Aliases", "2026-11-02")
    repo.git("tag", "two")
    repo.edit("terms/lead.yaml", {"aliases": ["enquiry", "prospect record", "sales lead"]})
    repo.commit("Reorder", "2026-11-03")
    out = repo.diff("two", "HEAD").stdout
    assert ("- Lead \\(LD\\) › aliases: reordered\\: \\'enquiry\\'\\, \\'prospect record\\'\\, "
            "\\'sales lead\\'\n") in out
    repo.edit("terms/lead.yaml", {"aliases": ["enquiry", "sales lead"]})
    repo.commit("Remove", "2026-11-04")
    assert "- Lead \\(LD\\) › aliases: removed \\'prospect record\\'\n" in repo.diff("HEAD~1", "HEAD").stdout



def test_items_of_a_list_of_objects_are_matched_by_their_name(repo: Repo) -> None:
    """An item kept in both versions is matched by its reason (or objection, term, name, id, value),
    and what changed inside it is told field by field, not as the whole item replaced."""
    repo.edit("handoffs/lead-to-won.yaml", text=("    goes_to: lead\n", "    goes_to: won\n"))
    repo.edit("lifecycle/won.yaml", {"accepts": ["Not ready to buy."]})
    repo.commit("Not ready goes to won", "2026-11-05")
    out = repo.diff("base", "HEAD").stdout
    assert ("- Marketing hands a lead to sales › rejection reasons › \\'Not ready to buy\\.\\' › goes to: "
            "\\'lead\\' → \\'won\\'\n") in out
    assert "changed \\'Not ready" not in out

def test_comment_and_whitespace_only_edits_give_no_output(repo: Repo) -> None:
    repo.edit("terms/lead.yaml", text=("definition: A person who asked to hear from us.",
                                       "# Reworded after the review.\ndefinition: >-\n  A person who asked\n"
                                       "  to hear   from us."))
    repo.commit("Comment and wrapping", "2026-11-05")
    result = repo.diff("base", "HEAD")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert repo.diff("--check-signoff", "base", "HEAD").stdout == "Sign-off: no agreed definition changed.\n"


def test_a_moved_file_with_a_new_id_is_a_rename(repo: Repo) -> None:
    repo.git("mv", "playbook/assets/guide.yaml", "playbook/assets/buyers-guide.yaml")
    repo.edit("assets/buyers-guide.yaml", text=("id: guide\n", "id: buyers-guide\n"))
    repo.edit("assets/buyers-guide.yaml", text=("review_by: 2027-06-30", "review_by: 2027-09-30"))
    repo.commit("Rename", "2026-11-06")
    out = repo.diff("base", "HEAD").stdout
    assert out.startswith("## 1 entry changed in the playbook: 1 renamed\n")
    assert "### Asset: Anvil buyer\\'s guide (renamed from guide to buyers\\-guide)\n" in out
    assert "- Anvil buyer\\'s guide › review by: \\'2027\\-06\\-30\\' → \\'2027\\-09\\-30\\'" in out
    assert "removed" not in out and "added" not in out


def test_added_and_removed(repo: Repo) -> None:
    (repo.root / "playbook" / "assets" / "guide.yaml").unlink()
    shutil.copy(repo.root / "playbook" / "terms" / "contact.yaml", repo.root / "playbook" / "terms" / "account.yaml")
    repo.edit("terms/account.yaml", {"id": "account", "name": "Account", "definition": "A company we sell to.",
                                     "aliases": [], "related": []})
    repo.commit("Add and remove", "2026-11-07")
    out = repo.diff("base", "HEAD").stdout
    assert "### Term: Account (added)" in out and "### Asset: Anvil buyer\\'s guide (removed)" in out


def test_signoff_fails_until_both_teams_agree_again(repo: Repo) -> None:
    repo.edit("handoffs/lead-to-won.yaml", text=("  within: 4\n", "  within: 1\n"))
    repo.commit("Faster", "2026-11-20")
    result = repo.diff("--check-signoff", "--today", "2026-11-25", "base", "HEAD")
    assert result.returncode == 1
    assert result.stdout == (
        "playbook/handoffs/lead-to-won.yaml:26:9: agreed_by.date: Handoff 'Marketing hands a lead to sales' was "
        "changed (service level), and agreed_by still holds the earlier agreement of 2026-01-15: both teams agree "
        "again, then set agreed_by to their names and a date later than 2026-01-15 [signoff-not-renewed]\n")
    assert result.stderr == "Sign-off: 1 problem with the agreement of both teams.\n"
    # A date renewed, but before the change branched from main (2026-11-01), is not enough: commit dates
    # inside the change are the contributor's, so the branch point is what counts.
    repo.edit("handoffs/lead-to-won.yaml", text=("  date: 2026-01-15", "  date: 2026-10-30"))
    repo.commit("Signed too early", "2026-11-21")
    result = repo.diff("--check-signoff", "--today", "2026-11-25", "base", "HEAD")
    assert result.returncode == 1
    assert "agreed_by is dated 2026-10-30, before this change began (it branched from the protected branch on " \
           "2026-11-01)" in result.stdout
    repo.edit("handoffs/lead-to-won.yaml", text=("  date: 2026-10-30", "  date: 2026-11-22"))
    repo.commit("Agreed by both", "2026-11-22")
    result = repo.diff("--check-signoff", "--today", "2026-11-25", "base", "HEAD")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ("Sign-off: 1 agreed definition changed, each agreed again by both teams.\n"
                             "Approvals: 1 change both teams own needs an approval from each team (checked with "
                             "--approvals in the pull request).\n")
    # Changed again without a new agreement: the date must move on.
    repo.git("tag", "agreed")
    repo.edit("handoffs/lead-to-won.yaml", text=("service_level:\n  within: 1\n", "service_level:\n  within: 2\n"))
    repo.commit("Slower again", "2026-11-22")
    result = repo.diff("--check-signoff", "--today", "2026-11-25", "agreed", "HEAD")
    assert result.returncode == 1
    assert "agreed_by still holds the earlier agreement of 2026-11-22" in result.stdout


def test_signoff_for_uncommitted_changes(repo: Repo) -> None:
    repo.edit("lifecycle/lead.yaml", {"definition": "Someone who asked to hear from us in writing."})
    result = repo.diff("--check-signoff", "--today", "2026-11-23", "base")
    assert result.returncode == 1 and "agreed_by still holds the earlier agreement of 2026-01-15" in result.stdout
    repo.edit("lifecycle/lead.yaml", text=("  date: 2026-01-15", "  date: 2026-11-23"))
    assert repo.diff("--check-signoff", "--today", "2026-11-23", "base").returncode == 0


def test_two_folders(repo: Repo, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(repo.root / "playbook", other)
    (other / "terms" / "contact.yaml").write_text(
        (other / "terms" / "contact.yaml").read_text(encoding="utf-8").replace("owner: sales", "owner: marketing"),
        encoding="utf-8")
    result = repo.diff(str(repo.root / "playbook"), str(other))
    assert result.returncode == 0 and "- Contact › owner: \\'sales\\' → \\'marketing\\'" in result.stdout


def test_text_from_yaml_cannot_act_in_the_comment(repo: Repo) -> None:
    hostile = "[a](javascript:x) @all <img src=x> ![](https://t.example/p)"
    repo.edit("terms/contact.yaml", {"definition": hostile})
    repo.commit("Hostile", "2026-11-08")
    out = repo.diff("base", "HEAD").stdout
    assert ("\\[a\\]\\(javascript\\:x\\) \\@\u2060all \\<img src\\=x\\> "
            "\\!\\[\\]\\(https\\:\\/\\/t\\.example\\/p\\)") in out
    for raw in (r"\]\(", r"<img", r"@all", r"!\["):
        assert not re.search(r"(?<!\\)" + raw, out), raw  # each only with a backslash before it


def test_errors_are_one_line(repo: Repo, tmp_path: Path) -> None:
    result = repo.diff("no-such-branch")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"playbook diff: 'no-such-branch' names no commit in {repo.root}: give a branch, a tag " \
                            "or a commit\n"
    result = repo.diff("--", "--output=/tmp/x")
    assert result.returncode == 1 and "is not a revision" in result.stderr
    outside = tmp_path / "plain"
    shutil.copytree(FIXTURES / "mini", outside / "playbook")
    result = subprocess.run([PLAYBOOK, "diff", "main"], cwd=outside, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("playbook diff: ") and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_revision_that_cannot_be_built(repo: Repo) -> None:
    """Each revision is built into a model before the two are compared. Described, a head that does
    not validate is said to, as for any error in it; checked for sign-off, a head that cannot be
    built fails with what keeps it from being built (never passes); a base that cannot be built is
    an error: there is nothing to compare with."""
    repo.edit("terms/contact.yaml", text=("owner: sales", "owner: [sales]"))
    repo.commit("A list for one owner", "2026-11-09")
    described = repo.diff("base", "HEAD")
    assert described.returncode == 0 and described.stdout.startswith("## This change does not validate: ")
    assert "terms\\/contact\\.yaml, line 5: must be text\\, not a list (rule `wrong-type`)" in described.stdout, \
        described.stdout
    signoff = repo.diff("--check-signoff", "base", "HEAD")
    assert signoff.returncode == 1
    assert signoff.stdout.startswith("playbook/terms/contact.yaml:5:") and "owner" in signoff.stdout, signoff.stdout
    assert signoff.stderr == ("Sign-off: the change cannot be read as a playbook (1 problem), so the agreement of "
                              "both teams cannot be checked: fix the problems first.\n")
    repo.git("tag", "broken")
    repo.edit("terms/contact.yaml", text=("owner: [sales]", "owner: sales"))
    repo.commit("One owner", "2026-11-10")
    for args in (("broken", "HEAD"), ("--check-signoff", "broken", "HEAD")):
        result = repo.diff(*args)
        assert result.returncode == 1 and result.stdout == "", result.stdout
        assert result.stderr.startswith("playbook diff: the playbook at broken (") and \
            "cannot be read as a playbook (1 problem, the first: playbook/terms/contact.yaml:5:" in result.stderr
        assert result.stderr.endswith(": compare with a revision whose playbook validates\n")


def test_a_file_whose_contents_are_not_in_the_clone_is_said_so(repo: Repo, tmp_path: Path) -> None:
    # As in a clone made without every file's contents: git lists the file, but cannot give it.
    blob = repo.git("rev-parse", "HEAD:playbook/terms/contact.yaml").strip()
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    sha = repo.git("rev-parse", "HEAD").strip()
    with pytest.raises(GitError) as raised:
        write_tree(repo.root, sha, "playbook", tmp_path / "out")
    assert str(raised.value) == (f"the contents of terms/contact.yaml at {sha[:12]} are not in this clone: fetch the "
                                 "whole history (git fetch --unshallow, or a checkout with fetch-depth: 0)")
    # `playbook diff` says so in one line, and ends.
    done = repo.diff(sha)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("are not in this clone: fetch the whole history (git fetch --unshallow, "
                                        "or a checkout with fetch-depth: 0)"), done.stderr


def test_true_false_and_null_are_shown_as_yaml_writes_them() -> None:
    # Reviewers compare what the change says with the file, where `independent: true` is written.
    from generator.changes.fielddiff import field_changes

    old = {"values": [{"id": "a", "value": "1 day"}], "final": True}
    new = {"values": [{"id": "a", "value": "1 day"}, {"id": "x", "value": "2 days", "independent": True,
                                                      "note": None}], "final": False}
    said = [change.summary for change in field_changes(old, new)]
    assert said == ["added 'x' (value: '2 days'; independent: true; note: null)", "true → false"], said

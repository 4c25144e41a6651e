"""Agreement you can prove, attacked as a hostile contributor would: each class of attack on the
review diff, the sign-off and the approvals, in a real git repository holding the default
playbook, with `playbook diff` run as the pull-request workflow runs it.

One test per class of attack: a change hidden in the diff, a signature nobody gave, a signature
dated to fit, a change laundered through an agreed value, sign-off switched off by the schemas,
what both teams own changed by one, approvals that are not the right ones, and a comment shaped
by the names and texts in the change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
import test_diff
from conftest import REPO
from github_standin import NUMBER, REPOSITORY, GitHubStandIn, actions_environment, review

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
TODAY = date.today().isoformat()


class Repo(test_diff.Repo):
    """The default playbook on `main`, committed on 2026-11-01, and a pull request's branch."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, REPO / "playbook")
        self.git("checkout", "-q", "-b", "proposal")

    def commit(self, message: str, when: str = TODAY) -> str:  # type: ignore[override]
        super().commit(message, when)
        return self.git("rev-parse", "HEAD").strip()

    def edit(self, name: str, old: str, new: str) -> None:  # type: ignore[override]
        path = self.root / "playbook" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def sign(self, name: str, sales: str, marketing: str, day: str) -> None:
        """Replace the file's agreed_by with these names and this day."""
        path = self.root / "playbook" / name
        text = path.read_text(encoding="utf-8")
        block = re.search(r"agreed_by:\n  sales: .*\n  marketing: .*\n  date: .*\n", text)
        assert block, name
        path.write_text(text.replace(block.group(0), f"agreed_by:\n  sales: {sales}\n  marketing: {marketing}\n"
                                                     f"  date: {day}\n"), encoding="utf-8")

    def diff(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # type: ignore[override]
        return subprocess.run([PLAYBOOK, "diff", *args], cwd=self.root, capture_output=True, text=True, timeout=120,
                              env=env)

    def validate(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PLAYBOOK, "validate", "playbook"], cwd=self.root, capture_output=True, text=True,
                              timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


# ---------------------------------------------------------------- a change hidden in the diff


def test_a_changed_definition_shows_its_changed_words(repo: Repo) -> None:
    """The MQL definition's last sentence, one word changed: the comment shows that sentence with
    the word struck and its replacement in bold, and the two sides are never the same text."""
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.commit("Yearly review")
    out = repo.diff("main", "HEAD").stdout
    line = next(line for line in out.splitlines() if "› definition:" in line)
    assert line == ("- Marketing qualified lead \\(MQL\\) › definition: … Marketing operations and the Head of "
                    "Sales Development review them every ~~quarter~~ **year** and change them only together\\.")
    html = cmarkgfm.github_flavored_markdown_to_html(out)
    assert "<del>quarter</del> <strong>year</strong>" in html
    assert line.count("…") == 1  # the unchanged sentences before it; the changed one is whole


def test_a_long_text_changed_in_many_places_is_never_cut(repo: Repo) -> None:
    """Every changed word of a long text is in the comment, in order, and no side is shortened."""
    words = [f"word{i}" for i in range(3000)]
    old_text = " ".join(words)
    new_words = [f"new{i}" if i % 500 == 250 else w for i, w in enumerate(words)]
    repo.edit("assets/roi-calculator.yaml", "description: >-\n", f"description: >-\n  {old_text}\n")
    repo.commit("Long", "2026-11-01")
    repo.git("branch", "-f", "main")
    repo.edit("assets/roi-calculator.yaml", old_text, " ".join(new_words))
    repo.commit("Six words changed")
    out = repo.diff("main", "HEAD").stdout
    for i in range(250, 3000, 500):
        assert f"~~word{i}~~ **new{i}**" in out, i


def test_an_added_entry_shows_every_field(repo: Repo) -> None:
    source = (repo.root / "playbook" / "assets" / "security-pack.yaml").read_text(encoding="utf-8")
    (repo.root / "playbook" / "assets" / "security-pack-2.yaml").write_text(
        source.replace("id: security-pack", "id: security-pack-2"), encoding="utf-8")
    repo.commit("A second security pack")
    out = repo.diff("main", "HEAD").stdout
    import yaml

    data = yaml.safe_load(source)
    section = out.split("### Asset:")[1]
    for key in data:
        assert f"› {key.replace('_', ' ')}:" in section, key
    for point in data["talking_points"]:
        assert point.split()[-1].rstrip(".").replace("-", "\\-") in section, point


# ---------------------------------------------------------------- signatures nobody gave


@pytest.mark.parametrize(("sales", "marketing", "expected"), [
    ("Nobody Real", "Priya Raman", "agreed_by.sales: 'Nobody Real' is not listed for sales in playbook.yaml"),
    ("TBD", "TBD", "agreed_by.sales: 'TBD' is not listed for sales"),
    ("Priya Raman", "Priya Raman", "agreed_by.sales: 'Priya Raman' signs for marketing, not sales"),
    ("Marcus Okafor", "Marcus Okafor", "agreed_by.marketing: 'Marcus Okafor' signs for sales, not marketing"),
])
def test_only_people_listed_for_their_team_can_sign(repo: Repo, sales: str, marketing: str, expected: str) -> None:
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.sign("lifecycle/mql.yaml", sales, marketing, TODAY)
    repo.commit("Signed by whoever")
    validate = repo.validate()
    assert validate.returncode == 1 and expected in validate.stdout, validate.stdout
    signoff = repo.diff("--check-signoff", "main", "HEAD")
    assert signoff.returncode == 1 and expected.split(": ", 1)[1] in signoff.stdout, signoff.stdout


def test_the_same_person_cannot_sign_for_both_teams(repo: Repo) -> None:
    settings = repo.root / "playbook" / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    # One person listed in both teams still cannot sign twice.
    text = text.replace("      - name: Tom Brennan\n", "      - name: Lena Fischer\n        role: Also in marketing\n"
                        "      - name: Tom Brennan\n", 1)
    settings.write_text(text, encoding="utf-8")
    repo.sign("lifecycle/mql.yaml", "Lena Fischer", "lena fischer", "2026-10-01")
    repo.commit("Both hats")
    result = repo.validate()
    assert result.returncode == 1
    assert "agreed_by: the same person cannot sign for both teams" in result.stdout, result.stdout


def test_a_signer_added_in_the_change_itself_cannot_sign_it(repo: Repo) -> None:
    settings = repo.root / "playbook" / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "      - name: Lena Fischer\n", "      - name: Sam Sneaky\n        handle: \"@sam-sneaky\"\n"
        "      - name: Lena Fischer\n", 1), encoding="utf-8")
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.sign("lifecycle/mql.yaml", "Sam Sneaky", "Priya Raman", TODAY)
    repo.commit("A new signer and a change")
    assert repo.validate().returncode == 0  # listed in this revision
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1  # but not in the base, which the change cannot edit
    assert "'Sam Sneaky' is not listed for sales in playbook.yaml" in result.stdout, result.stdout


# ---------------------------------------------------------------- signatures dated to fit


def test_an_agreement_in_the_future_is_refused(repo: Repo) -> None:
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.sign("lifecycle/mql.yaml", "Marcus Okafor", "Priya Raman", "2099-01-01")
    repo.commit("Locked for ever")
    before = date.today().isoformat()
    validate = repo.validate()
    after = date.today().isoformat()  # the run may cross midnight: its message names its own day
    assert validate.returncode == 1
    assert any(f"agreed_by.date: 2099-01-01 is in the future: write the day both teams agreed, {day} at the latest"
               in validate.stdout for day in (before, after)), validate.stdout
    signoff = repo.diff("--check-signoff", "main", "HEAD")
    assert signoff.returncode == 1 and "dated 2099-01-01, in the future" in signoff.stdout


def test_a_back_dated_agreement_copied_from_elsewhere_is_refused(repo: Repo) -> None:
    """Another definition's agreement copied into a changed file, and the commit back-dated to
    before that agreement: commit dates in the change are not trusted; the branch point is."""
    repo.git("commit", "-q", "--allow-empty", "-m", "Main moves on", when="2026-12-04")
    repo.git("branch", "-f", "main")
    repo.git("reset", "-q", "--hard", "main")
    sal = (repo.root / "playbook" / "lifecycle" / "sal.yaml").read_text(encoding="utf-8")
    copied = re.search(r"agreed_by:\n(  .*\n){3}", sal)
    assert copied
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    mql = repo.root / "playbook" / "lifecycle" / "mql.yaml"
    text = mql.read_text(encoding="utf-8")
    mql.write_text(re.sub(r"agreed_by:\n(  .*\n){3}", copied.group(0), text), encoding="utf-8")
    repo.commit("Back-dated", when="2026-11-02")
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1
    assert "before this change began (it branched from the protected branch on 2026-12-04)" in result.stdout, \
        result.stdout


def test_a_fresh_agreement_after_the_branch_point_passes(repo: Repo) -> None:
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.sign("lifecycle/mql.yaml", "Lena Fischer", "Tom Brennan", TODAY)
    repo.commit("Agreed")
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Sign-off: 1 agreed definition changed, each agreed again by both teams.\n")


# ---------------------------------------------------------------- a change laundered through a value


def test_a_value_written_out_then_changed_still_needs_agreement(repo: Repo) -> None:
    """`within [[mql-accept-within]]` written out as the new text, then the value changed: each
    revision is read with its own values, so SAL and the handoff show a change of their own."""
    repo.edit("lifecycle/sal.yaml", "within [[mql-accept-within]] of routing", "within 2 business days of routing")
    repo.edit("handoffs/mql-to-sal.yaml", "within [[mql-accept-within]] of", "within 2 business days of")
    repo.edit("playbook.yaml", "    value: 1 business day\n", "    value: 2 business days\n")
    repo.commit("Laundered")
    comment = repo.diff("main", "HEAD").stdout
    assert "### Lifecycle state: Sales accepted lead \\(SAL\\) · **agreed definition**" in comment
    assert "within ~~1~~ **2** business ~~day~~ **days** of routing" in comment
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1
    assert re.search(r"playbook/lifecycle/sal\.yaml:\d+:\d+: agreed_by\.date: Lifecycle state 'Sales accepted lead "
                     r"\(SAL\)' was changed \(qualifies\), and agreed_by still holds", result.stdout), result.stdout
    assert "playbook/handoffs/mql-to-sal.yaml:" in result.stdout


def test_a_value_changed_under_a_definition_names_the_value(repo: Repo) -> None:
    repo.edit("playbook.yaml", "    value: 1 business day\n", "    value: 3 business days\n")
    repo.commit("Slower acceptance")
    comment = repo.diff("main", "HEAD").stdout
    assert "(shown through the agreed value 'mql\\-accept\\-within', whose text changed)" in comment
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1
    assert "was changed (qualifies) through the agreed value 'mql-accept-within'" in result.stdout, result.stdout


# ---------------------------------------------------------------- sign-off switched off by the schemas


def test_the_schemas_of_the_change_cannot_switch_sign_off_off(repo: Repo) -> None:
    """The change drops agreed_by from the lifecycle schema and from the MQL file: which kinds
    need agreement is the generator's, so sign-off still asks both teams."""
    shutil.copytree(REPO / "schemas", repo.root / "schemas")
    repo.commit("Schemas", "2026-11-01")
    repo.git("branch", "-f", "main")
    schema_path = repo.root / "schemas" / "lifecycle.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["required"].remove("agreed_by")
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    mql = repo.root / "playbook" / "lifecycle" / "mql.yaml"
    mql.write_text(re.sub(r"agreed_by:\n(  .*\n){3}", "", mql.read_text(encoding="utf-8"))
                   .replace("them every quarter and", "them every year and"), encoding="utf-8")
    repo.commit("No more sign-off")
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1
    assert "was changed (definition) without a name from sales and marketing" in result.stdout, \
        result.stdout


# ---------------------------------------------------------------- what both teams own


def test_a_shared_goal_needs_both_teams(repo: Repo) -> None:
    metric = repo.root / "playbook" / "metrics" / "win-rate.yaml"
    text = metric.read_text(encoding="utf-8")
    changed = re.sub(r"(target:\n  direction: at-least\n  value: )25", r"\g<1>15", text)
    assert changed != text
    metric.write_text(changed, encoding="utf-8")
    repo.commit("A lower bar")
    comment = repo.diff("main", "HEAD").stdout
    assert "### Shared goal: Win rate · **owned by both teams**" in comment
    assert "**Both teams approve this change**" in comment
    signoff = repo.diff("--check-signoff", "main", "HEAD")
    # The goal, and the agreed value taken from its target.
    assert "2 changes both teams own need an approval from each team" in signoff.stdout, signoff.stdout
    with GitHubStandIn() as github:
        head = repo.git("rev-parse", "HEAD").strip()
        github.pull(REPOSITORY, NUMBER, [review("marcus-okafor", "APPROVED", head)])
        result = repo.diff("--check-signoff", "--approvals", "--format", "github", "main", "HEAD",
                           env=_actions_env(repo, github.url, head))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(lines) == 2 and lines[0].startswith("::error file=playbook/metrics/win-rate.yaml,line="), lines
    assert lines[1].startswith("::error file=playbook/playbook.yaml,line="), lines
    assert all("[approval-missing]::" in line for line in lines), lines
    line = lines[0]
    assert "needs an approving review of the latest commit" in line and "from marketing" in line
    assert "Priya Raman (@priya-raman)%3A has not reviewed" not in line  # message text is not a property
    assert "Priya Raman (@priya-raman): has not reviewed" in line


# ---------------------------------------------------------------- approvals, checked where they happen


def _actions_env(repo: Repo, api_url: str, head: str) -> dict[str, str]:
    base = repo.git("rev-parse", "main").strip()
    return dict(os.environ, **actions_environment(repo.root.parent, api_url, head, base))


@pytest.fixture
def signed(repo: Repo) -> tuple[Repo, str, str]:
    """A changed MQL definition signed by Lena Fischer and Tom Brennan, and an older commit."""
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every half year and")
    repo.sign("lifecycle/mql.yaml", "Lena Fischer", "Tom Brennan", TODAY)
    older = repo.commit("First try")
    repo.edit("lifecycle/mql.yaml", "them every half year and", "them every year and")
    head = repo.commit("Agreed")
    return repo, older, head


def _approvals(repo: Repo, reviews: list[dict[str, object]], head: str,
               page_size: int | None = None) -> subprocess.CompletedProcess[str]:
    with GitHubStandIn(page_size=page_size) as github:
        github.pull(REPOSITORY, NUMBER, reviews)
        return repo.diff("--check-signoff", "--approvals", "--format", "github", "main", "HEAD",
                         env=_actions_env(repo, github.url, head))


def test_both_signers_approving_the_latest_commit_pass(signed: tuple[Repo, str, str]) -> None:
    repo, _, head = signed
    result = _approvals(repo, [review("lena-fischer", "APPROVED", head), review("Tom-Brennan", "APPROVED", head)],
                        head)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Approvals: 1 change both teams own, approved by both teams." in result.stdout


@pytest.mark.parametrize(("reviews", "expected"), [
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head)],
                 ["from marketing, and has none: Priya Raman (@priya-raman): has not reviewed"], id="one-team-only"),
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head),
                                      review("tom-brennan", "APPROVED", head),
                                      review("tom-brennan", "CHANGES_REQUESTED", head)],
                 ["Tom Brennan (@tom-brennan): requested changes"], id="changes-requested"),
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head),
                                      review("tom-brennan", "DISMISSED", head)],
                 ["Tom Brennan (@tom-brennan): approval dismissed"], id="dismissed"),
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head),
                                      review("tom-brennan", "APPROVED", older)],
                 [f"Tom Brennan (@tom-brennan): approved an older commit ({'{older}'}"], id="stale"),
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head),
                                      review("nobody-real", "APPROVED", head)],
                 ["from marketing, and has none"], id="approver-not-listed"),
    pytest.param(lambda head, older: [review("lena-fischer", "APPROVED", head),
                                      review("priya-raman", "APPROVED", head)],
                 ["agreed_by names Tom Brennan for marketing, but @tom-brennan has not reviewed",
                  "title=agreed_by.marketing [signer-did-not-approve]::"],
                 id="signer-is-not-the-approver"),
])
def test_approvals_that_do_not_count(signed: tuple[Repo, str, str], reviews: object, expected: list[str]) -> None:
    repo, older, head = signed
    made = reviews(head, older)  # type: ignore[operator]
    result = _approvals(repo, made, head)
    assert result.returncode == 1, result.stdout
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert annotations
    assert all(line.startswith("::error file=playbook/lifecycle/mql.yaml,line=") for line in annotations)
    for text in expected:
        text = text.replace("{older}", older[:7])
        assert any(text in line for line in annotations), (text, annotations)


def test_approvals_are_read_across_pages(signed: tuple[Repo, str, str]) -> None:
    repo, _, head = signed
    noise = [review(f"reader-{i}", "COMMENTED", head) for i in range(7)]
    approved = [review("lena-fischer", "APPROVED", head), review("tom-brennan", "APPROVED", head)]
    result = _approvals(repo, [*noise, *approved], head, page_size=2)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_api_unreadable_is_a_failure_not_a_pass(signed: tuple[Repo, str, str]) -> None:
    repo, _, head = signed
    with GitHubStandIn(token="another-token") as github:
        result = repo.diff("--check-signoff", "--approvals", "main", "HEAD", env=_actions_env(repo, github.url, head))
    assert result.returncode == 1 and "Bad credentials" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- a comment shaped by the change


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._code += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self._code -= tag in ("code", "pre")

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        if not self._code:
            self.text.append(data)


def _rendered(markdown: str) -> _Elements:
    parser = _Elements()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown))
    return parser


HOSTILE = ("[a link](https://evil.example) ![img](https://evil.example/p.png) @octocat mia@evil.example #12 "
           "<!-- hide the rest --> <b>bold</b> `code` *em* https://evil.example/raw www.evil.example")
MENTION = re.compile(r"(?<![\w\u2060])[@#][A-Za-z0-9]")


def _assert_inert(markdown: str) -> None:
    seen = _rendered(markdown)
    assert not {"a", "img", "b", "script", "iframe"} & set(seen.tags), seen.tags
    assert seen.comments == []
    found = [t for t in seen.text if MENTION.search(t) or "mailto" in t]
    assert not found, found


def test_no_name_or_text_in_the_change_shapes_the_comment(repo: Repo) -> None:
    """Hostile texts in a changed definition, an added asset's fields and an entry's label: in
    GitHub's own Markdown engine, the comment has no link, image, HTML, comment or mention."""
    repo.edit("lifecycle/mql.yaml", "them every quarter and", f"them every quarter {HOSTILE.replace('#', '')} and")
    quoted = json.dumps(f"Marketing qualified lead {HOSTILE}")
    repo.edit("terms/mql.yaml", "name: Marketing qualified lead\n", f"name: {quoted}\n")
    source = (repo.root / "playbook" / "assets" / "security-pack.yaml").read_text(encoding="utf-8")
    title = re.search(r"^title: .*$", source, re.M)
    assert title
    (repo.root / "playbook" / "assets" / "a-b.yaml").write_text(
        source.replace("id: security-pack", "id: a-b").replace(title.group(0), f"title: {json.dumps(HOSTILE)}"),
        encoding="utf-8")
    repo.commit("Hostile")
    out = repo.diff("main", "HEAD").stdout
    assert out.count("###") >= 3
    _assert_inert(out)
    assert "<del>" not in out and "~~" in out  # the generator's own marks are there


def test_a_crafted_file_name_cannot_shape_the_comment(repo: Repo) -> None:
    """A file whose name is Markdown: the change does not validate, and the comment says so,
    naming the file inertly, instead of a partial diff."""
    name = "x](https:⁄⁄evil.example) ![i](https:⁄⁄e.example⁄p.png) @octocat <!-- .yaml"
    (repo.root / "playbook" / "assets" / name).write_text("id: x\n", encoding="utf-8")
    repo.edit("lifecycle/mql.yaml", "them every quarter and", "them every year and")
    repo.commit("A name")
    out = repo.diff("main", "HEAD").stdout
    assert out.startswith("## This change does not validate: ")
    assert "› definition" not in out  # no partial diff
    assert "octocat" in out
    _assert_inert(out)


# ---------------------------------------------------------------- cost


def test_pairing_renamed_entries_costs_the_size_of_their_texts(repo: Repo) -> None:
    """Two descriptions of 20 KB changed on both sides of a rename: compared by their words, in
    about the time reading them takes (it took 48 s character by character)."""
    import time

    source = (repo.root / "playbook" / "assets" / "roi-calculator.yaml").read_text(encoding="utf-8")

    def run(size: int) -> float:
        words = " ".join(f"w{i}" for i in range(size))
        old = repo.root / "playbook" / "assets" / "long-sheet.yaml"
        old.write_text(source.replace("id: roi-calculator", "id: long-sheet").replace(
            "description: >-\n", f"description: >-\n  {words}\n"), encoding="utf-8")
        repo.commit(f"Long {size}", "2026-11-01")
        repo.git("tag", "-f", "before")
        changed = old.read_text(encoding="utf-8").replace("id: long-sheet", "id: roi-sheet").replace(
            " w7 ", " seven ")
        old.unlink()
        (old.parent / "roi-sheet.yaml").write_text(changed, encoding="utf-8")
        repo.commit(f"Renamed {size}")
        start = time.perf_counter()
        out = repo.diff("before", "HEAD").stdout
        took = time.perf_counter() - start
        assert "(renamed from long\\-sheet to roi\\-sheet)" in out and "~~w7~~ **seven**" in out, out[:2000]
        repo.git("reset", "-q", "--hard", "main")
        return took

    small, large = run(2500), run(5000)  # about 10 KB and 20 KB
    assert large < 20, large
    assert large < small * 3 + 1.5, (small, large)


def test_the_bound_of_the_word_diff_falls_back_to_before_and_after() -> None:
    from generator.changes import worddiff

    old = " ".join(f"a{i}." for i in range(600))
    new = " ".join(f"b{i}." for i in range(600))
    segments = worddiff.word_diff(old, new)
    assert segments == [("removed", " ".join(f"a{i}." for i in range(600))),
                        ("added", " ".join(f"b{i}." for i in range(600)))]
    assert worddiff.word_diff("One. Two. Three.", "One. Two. Three.") == []
    assert worddiff.word_diff("One. Two. Three. Four.", "One. Too. Three. Four.") == [
        ("gap", "One."), ("removed", "Two."), ("added", "Too."), ("gap", "Three. Four.")]
    assert worddiff.word_diff("Two. Three. Four. Five.", "Too. Three. Four. Fife.") == [
        ("removed", "Two."), ("added", "Too."), ("gap", "Three. Four."), ("removed", "Five."), ("added", "Fife.")]
    assert worddiff.word_diff("We review them every quarter.", "We review them every year.") == [
        ("same", "We review them every"), ("removed", "quarter."), ("added", "year.")]


def test_a_new_agreement_alone_names_people_who_approved(repo: Repo) -> None:
    """Only agreed_by rewritten, to other listed people: they must be the ones who approved."""
    repo.sign("lifecycle/mql.yaml", "Lena Fischer", "Tom Brennan", TODAY)
    head = repo.commit("Signed again")
    result = _approvals(repo, [review("marcus-okafor", "APPROVED", head), review("priya-raman", "APPROVED", head)],
                        head)
    assert result.returncode == 1, result.stdout
    assert "agreed_by names Lena Fischer for sales, but @lena-fischer has not reviewed" in result.stdout
    result = _approvals(repo, [review("lena-fischer", "APPROVED", head), review("tom-brennan", "APPROVED", head)],
                        head)
    assert result.returncode == 0, result.stdout + result.stderr

"""`playbook codeowners`: CODEOWNERS from playbook.yaml, covering every path of the repository,
and validation reading the committed file as GitHub does: it fails at a line that gives a file
fewer owners than the playbook asks for, or when no line owns a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SITE_CONFIG, run_mkdocs

from generator.rules.codeowners import codeowners_problems
from generator.rules.owners import codeowners
from generator.source.loader import load_playbook
from generator.source.ownership import MAX_WILDCARD_LINES, Ownership, TooManyWildcards, parse

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
BOTH = "@acme/sellers @sam @acme/marketers"
EXPECTED = f"""# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again.

# Everything that no line below names: the maintainers. That is the generator, the schemas,
# the workflows, this file itself, mkdocs.yml, docs/, the packaging and anything new.
* @acme/tools

# The playbook's settings, agreed definitions, shared goals, stages and new playbook files: both teams.
/playbook/ {BOTH}
/playbook/lifecycle/ {BOTH}
/playbook/handoffs/ {BOTH}
/playbook/metrics/ {BOTH}
/playbook/stages/ {BOTH}

# Assets, terms and personas: the team that owns each (both teams for a term owned by both).
/playbook/assets/guide.yaml @acme/marketers
/playbook/terms/contact.yaml @acme/sellers @sam
/playbook/terms/lead.yaml {BOTH}
/playbook/personas/buyer.yaml @acme/marketers
"""
# The first line after the written file, where the tests add theirs.
ADDED = len(EXPECTED.splitlines()) + 1
# The repository's own files besides the playbook, as the tests' repositories hold them.
TOOL_FILES = {
    "generator/x.py": "print('tools')\n",
    "schemas/playbook.schema.json": "{}\n",
    ".github/workflows/pull-request.yml": "name: pull request\n",
    "mkdocs.yml": SITE_CONFIG,
    "docs/index.md": "# Home\n",
    "pyproject.toml": "[project]\nname = 'x'\n",
}
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="Mia Marketer", GIT_AUTHOR_EMAIL="mia@example.com",
               GIT_COMMITTER_NAME="Mia Marketer", GIT_COMMITTER_EMAIL="mia@example.com")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, timeout=60)


def with_reviewers(root: Path, maintainers: str | None = '["@acme/tools"]') -> Path:
    """A copy of the mini playbook in root/playbook whose teams declare reviewers."""
    shutil.copytree(FIXTURES / "mini", root / "playbook")
    settings = root / "playbook" / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    for team, handles in (("sales", '["@acme/sellers", "@sam"]'), ("marketing", '["@acme/marketers"]')):
        marker = f"  {team}:\n"
        assert marker in text
        text = text.replace(marker, f"{marker}    reviewers: {handles}\n")
    settings.write_text(text + (f"maintainers: {maintainers}\n" if maintainers else ""), encoding="utf-8")
    return root


def add_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def append(root: Path, *lines: str) -> None:
    with open(root / ".github" / "CODEOWNERS", "a", encoding="utf-8") as file:
        file.write("".join(line + "\n" for line in lines))


def owners(text: str) -> Ownership:
    return Ownership(parse(text))


def fails_with(root: Path, *messages: str) -> None:
    """Validation and `playbook codeowners --check` fail with exactly these problems."""
    result = run("validate", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == "".join(f".github/CODEOWNERS:{m}\n" for m in messages)
    check = run("codeowners", "--check", cwd=root)
    assert check.returncode == 1 and check.stdout == result.stdout


def passes(root: Path) -> None:
    result = run("validate", cwd=root)
    assert result.returncode == 0 and "no problems" in result.stdout, result.stdout + result.stderr
    assert run("codeowners", "--check", cwd=root).stdout == ".github/CODEOWNERS is up to date.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return with_reviewers(tmp_path)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository with the playbook, the tools beside it and CODEOWNERS, all committed."""
    root = with_reviewers(tmp_path / "repo")
    add_files(root, TOOL_FILES)
    assert run("codeowners", cwd=root).returncode == 0
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "The playbook", cwd=root)
    return root


# ---------------------------------------------------------------- the written file


def test_written_from_the_reviewers(project: Path) -> None:
    result = run("codeowners", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ".github/CODEOWNERS written: 10 lines of owners.\n"
    assert (project / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    passes(project)


def test_the_maintainers_own_everything_but_the_playbook(project: Path) -> None:
    assert run("codeowners", cwd=project).returncode == 0
    index = owners((project / ".github" / "CODEOWNERS").read_text(encoding="utf-8"))
    assert index.rules[0].pattern == "*" and index.rules[0].owners == ("@acme/tools",)
    for path in ("generator/x.py", ".github/CODEOWNERS", ".github/workflows/pull-request.yml",
                 "schemas/playbook.schema.json", "mkdocs.yml", "docs/index.md", "pyproject.toml", "new-file.txt"):
        assert index.owners_of(path) == ("@acme/tools",), path
    assert index.owners_of("playbook/assets/guide.yaml") == ("@acme/marketers",)
    assert index.owners_of("playbook/terms/contact.yaml") == ("@acme/sellers", "@sam")
    for path in ("playbook/playbook.yaml", "playbook/stages/learning.yaml", "playbook/assets/new-file.yaml",
                 "playbook/terms/new.yaml", "playbook/lifecycle/lead.yaml"):
        assert index.owners_of(path) == tuple(BOTH.split()), path


def test_without_maintainers_both_teams_own_the_tools(tmp_path: Path) -> None:
    project = with_reviewers(tmp_path, maintainers=None)
    assert run("codeowners", cwd=project).returncode == 0
    text = (project / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert ("# Everything that no line below names: the maintainers (playbook.yaml names none, so both teams). "
            f"That is the generator, the schemas,\n# the workflows, this file itself, mkdocs.yml, docs/, the packaging "
            f"and anything new.\n* {BOTH}\n") in text
    assert owners(text).owners_of("generator/x.py") == tuple(BOTH.split())
    passes(project)


def test_the_playbook_at_the_top(tmp_path: Path) -> None:
    """With the playbook folder as the repository's top there is no `/` line (it would take the
    tools from the maintainers): each playbook folder has its own, and the tools are named again."""
    top = with_reviewers(tmp_path) / "playbook"
    add_files(top, TOOL_FILES | {"README.md": "# The repository\n"})
    loaded = load_playbook(top)
    text = codeowners(loaded, "")
    assert text is not None
    lines = text.splitlines()
    assert lines[4] == "* @acme/tools"
    assert not any(line.startswith("/ ") for line in lines)
    assert f"/playbook.yaml {BOTH}" in lines and f"/assets/ {BOTH}" in lines and f"/stages/ {BOTH}" in lines
    assert lines[-6:] == [f"{path} @acme/tools" for path in
                          ("/.github/", "/generator/", "/schemas/", "/docs/", "/mkdocs.yml", "/pyproject.toml")]
    index = owners(text)
    assert index.owners_of("assets/guide.yaml") == ("@acme/marketers",)
    for path in ("playbook.yaml", "assets/new-file.yaml", "stages/learning.yaml", "terms/lead.yaml"):
        assert index.owners_of(path) == tuple(BOTH.split()), path
    for path in (".github/CODEOWNERS", ".github/workflows/pull-request.yml", "mkdocs.yml", "generator/x.py",
                 "docs/index.md", "pyproject.toml", "README.md", "new-file.yaml"):
        assert index.owners_of(path) == ("@acme/tools",), path
    add_files(top, {".github/CODEOWNERS": text})
    assert codeowners_problems(loaded, top, "") == []
    add_files(top, {".github/CODEOWNERS": text + "/assets/ @acme/sellers @sam\n"})
    [problem] = codeowners_problems(loaded, top, "")
    assert (problem.line, problem.message) == (
        len(lines) + 1, "/assets/guide.yaml and /assets/new-file.yaml (a new file) are owned by @acme/sellers @sam "
        "only: they need @acme/marketers; write `/assets/ @acme/sellers @sam @acme/marketers`")


# ---------------------------------------------------------------- the check


def test_a_new_asset_needs_no_new_line(repository: Path) -> None:
    """Added in the web editor, without `playbook codeowners`: both teams review it under the
    playbook's line, which asks more than its owning team, so nothing fails."""
    before = (repository / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    guide = (repository / "playbook" / "assets" / "guide.yaml").read_text(encoding="utf-8")
    add_files(repository, {"playbook/assets/pricing-faq.yaml": guide.replace("id: guide", "id: pricing-faq")})
    passes(repository)
    git("add", "playbook/assets/pricing-faq.yaml", cwd=repository)
    git("commit", "-q", "-m", "A new asset", cwd=repository)
    passes(repository)
    assert owners(before).owners_of("playbook/assets/pricing-faq.yaml") == tuple(BOTH.split())


def test_the_tools_given_to_one_team_fail_validation_and_the_build(repository: Path) -> None:
    append(repository, "/generator/ @acme/sellers")
    message = (f"{ADDED}:1: /generator/x.py is owned by @acme/sellers only: it needs @acme/tools; "
               "write `/generator/ @acme/tools` [codeowners-owner-missing]")
    fails_with(repository, message)
    # (A generator/ folder here would stand for the real one when MkDocs loads the plugin; git
    # still tracks its file.)
    shutil.rmtree(repository / "generator")
    build = run_mkdocs(repository, "build", "--strict")
    assert build.returncode == 1 and f"CODEOWNERS:{message}" in build.stderr


def test_an_asset_given_to_the_wrong_team_fails(repository: Path) -> None:
    append(repository, "/playbook/assets/guide.yaml @acme/sellers @sam")
    fails_with(repository, f"{ADDED}:1: /playbook/assets/guide.yaml is owned by @acme/sellers @sam only: it needs "
                           "@acme/marketers; write `/playbook/assets/guide.yaml @acme/marketers` "
                           "[codeowners-owner-missing]")


def test_without_the_star_line_nothing_owns_the_tools(repository: Path) -> None:
    path = repository / ".github" / "CODEOWNERS"
    path.write_text(path.read_text(encoding="utf-8").replace("* @acme/tools\n", ""), encoding="utf-8")
    fails_with(repository, "1:1: nothing owns /.github/CODEOWNERS, /.github/workflows/pull-request.yml, "
                           "/docs/index.md and 5 more: add a line `* @acme/tools` at the top "
                           "[codeowners-owner-missing]")


def test_a_line_without_owners_fails(repository: Path) -> None:
    append(repository, "/docs/")
    fails_with(repository, f"{ADDED}:1: /docs/index.md is owned by nobody (the line names no owners): it needs "
                           "@acme/tools; write `/docs/ @acme/tools` [codeowners-owner-missing]")


def test_every_faulty_line_once_in_one_run(repository: Path) -> None:
    append(repository, "*.yaml @acme/sellers @sam", "/generator/ @acme/marketers", "/schemas/ @acme/tools",
           "/mkdocs.yml @acme/marketers")
    fails_with(repository,
               f"{ADDED}:1: /new-file.yaml (a new file), /playbook/assets/guide.yaml, "
               "/playbook/assets/new-file.yaml (a new file) and 15 more are owned by @acme/sellers @sam only: "
               "they need @acme/tools and @acme/marketers; "
               "write `*.yaml @acme/tools @acme/sellers @sam @acme/marketers` [codeowners-owner-missing]",
               f"{ADDED + 1}:1: /generator/x.py is owned by @acme/marketers only: it needs @acme/tools; "
               "write `/generator/ @acme/tools` [codeowners-owner-missing]",
               f"{ADDED + 3}:1: /mkdocs.yml is owned by @acme/marketers only: it needs @acme/tools; "
               "write `/mkdocs.yml @acme/tools` [codeowners-owner-missing]")


def test_more_owners_than_needed_pass(repository: Path) -> None:
    append(repository, f"/playbook/assets/guide.yaml {BOTH}", "/docs/ @acme/tools @acme/marketers",
           "/playbook/terms/ @acme/marketers @acme/sellers @sam")
    passes(repository)


def test_the_header_changes_nothing(repository: Path) -> None:
    path = repository / ".github" / "CODEOWNERS"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    passes(repository)
    append(repository, "/generator/ @acme/sellers")
    fails_with(repository, f"{ADDED - 1}:1: /generator/x.py is owned by @acme/sellers only: it needs @acme/tools; "
                           "write `/generator/ @acme/tools` [codeowners-owner-missing]")


def test_files_git_does_not_track_are_not_asked_about(repository: Path, tmp_path: Path) -> None:
    """In a checkout the files are those git tracks; elsewhere, those a walk finds."""
    add_files(repository, {"scratch/notes.txt": "mine\n"})
    append(repository, "/scratch/ @acme/sellers")
    passes(repository)
    shutil.rmtree(repository / ".git")
    fails_with(repository, f"{ADDED}:1: /scratch/notes.txt is owned by @acme/sellers only: it needs @acme/tools; "
                           "write `/scratch/ @acme/tools` [codeowners-owner-missing]")


def test_a_link_is_not_read(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("* @acme/tools\n/secret-content/ @x\n", encoding="utf-8")
    (project / ".github").mkdir()
    (project / ".github" / "CODEOWNERS").symlink_to(outside)
    fails_with(project, "1:1: is a link: it is not read, and the git host does not follow it; replace it with "
                        "the file itself [codeowners-unreadable]")


def test_no_reviewers_no_file(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    result = run("codeowners", cwd=tmp_path)
    assert result.returncode == 1 and "declare no reviewers" in result.stderr
    assert not (tmp_path / ".github").exists()
    # Without reviewers there is nothing to check a CODEOWNERS written by hand against.
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("* @someone\n", encoding="utf-8")
    assert run("validate", cwd=tmp_path).returncode == 0
    # One this command wrote says the reviewers are gone.
    (tmp_path / ".github" / "CODEOWNERS").write_text(EXPECTED, encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == (
        ".github/CODEOWNERS:1:1: the teams in playbook.yaml declare no reviewers any more: add them back, "
        "or delete this file [codeowners-without-reviewers]\n")


def test_missing(project: Path) -> None:
    result = run("codeowners", "--check", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (".github/CODEOWNERS:1:1: missing: run `playbook codeowners` and commit the file "
                             "[codeowners-missing]\n")
    assert run("validate", cwd=project).returncode == 0  # validation asks for no CODEOWNERS


def test_never_writes_through_a_link(project: Path, tmp_path: Path) -> None:
    (project / ".github").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    (project / ".github" / "CODEOWNERS").symlink_to(outside)
    result = run("codeowners", cwd=project)
    assert result.returncode == 1 and "is a link" in result.stderr
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_the_repository_file_is_current() -> None:
    result = run("codeowners", "--check", cwd=REPO)
    assert result.returncode == 0, result.stdout


# ---------------------------------------------------------------- reading CODEOWNERS as GitHub does


@pytest.mark.parametrize(("pattern", "matched", "not_matched"), [
    # A leading slash anchors to the top; without a trailing one, a file or a folder and what it holds.
    ("/docs", ["docs", "docs/a.md", "docs/a/b.md"], ["a/docs", "docsx", "docs.md"]),
    # A trailing slash: the folder and everything under it, not a file of that name.
    ("/docs/", ["docs/a.md", "docs/a/b.md"], ["docs", "a/docs/b.md"]),
    # No slash but a trailing one: at any depth.
    ("docs/", ["docs/a.md", "a/docs/b.md", "a/b/docs/c/d.md"], ["docs", "a/docs"]),
    ("CODEOWNERS", ["CODEOWNERS", ".github/CODEOWNERS", "CODEOWNERS/x"], ["CODEOWNERS.md", "x/CODEOWNERS2"]),
    ("*.md", ["a.md", "docs/a.md", "docs/a/b.md"], ["a.mdx", "md"]),
    # A slash inside anchors too.
    ("docs/guide", ["docs/guide", "docs/guide/a.md"], ["a/docs/guide"]),
    # `*` within one segment; a lone `*` segment does not reach deeper.
    ("/docs/*.md", ["docs/a.md"], ["docs/a/b.md", "a/docs/a.md"]),
    ("/docs/*", ["docs/a.md", "docs/a"], ["docs/a/b.md", "docs"]),
    ("/*/index.md", ["docs/index.md"], ["index.md", "a/b/index.md"]),
    ("/playbook/assets/guide?.yaml", ["playbook/assets/guide1.yaml"], ["playbook/assets/guide.yaml",
                                                                        "playbook/assets/guide/.yaml"]),
    # `**` across segments: leading, inside, trailing.
    ("**/logs", ["logs", "a/logs", "a/b/logs/c.txt"], ["alogs", "logs.txt"]),
    ("/docs/**/index.md", ["docs/index.md", "docs/a/index.md", "docs/a/b/index.md"], ["index.md", "a/docs/index.md"]),
    ("/docs/**", ["docs/a.md", "docs/a/b.md"], ["docs", "a/docs/b.md"]),
    ("*", ["a", "a/b/c"], []),
    # A backslash makes the next character plain.
    ("/docs/a\\*b.md", ["docs/a*b.md"], ["docs/axb.md", "docs/ab.md"]),
    ("/my\\ file.md", ["my file.md"], ["my", "my\\ file.md"]),
])
def test_patterns(pattern: str, matched: list[str], not_matched: list[str]) -> None:
    index = owners(f"{pattern} @o\n")
    assert [index.owners_of(path) for path in matched] == [("@o",)] * len(matched)
    assert [index.owners_of(path) for path in not_matched] == [None] * len(not_matched)


def test_the_last_matching_line_wins() -> None:
    index = owners("* @all\n/docs/ @docs\n*.md @writers\n/docs/api/ @api\n# a comment\n\n/docs/api/old.md\n")
    assert index.owners_of("README.md") == ("@writers",)
    assert index.owners_of("setup.py") == ("@all",)
    assert index.owners_of("docs/x.py") == ("@docs",)
    assert index.owners_of("docs/x.md") == ("@writers",)
    assert index.owners_of("docs/api/x.md") == ("@api",)
    # A pattern without owners: matched, and owned by nobody.
    assert index.owners_of("docs/api/old.md") == ()
    rule = index.rule_for("docs/api/old.md")
    assert rule is not None and rule.line == 7
    assert owners("/docs/ @docs\n").owners_of("README.md") is None


def test_comments_and_lines_github_skips() -> None:
    text = "\ufeff# owners\n/a/ @x # the a team\n/a/ @y\n!/a/b @z\n/[ab]/ @z\n  /c/\t@c1   @c2  \n/c/\\#d @d\n"
    rules = parse(text)
    assert [(r.line, r.pattern, r.owners) for r in rules] == [
        (2, "/a/", ("@x",)), (3, "/a/", ("@y",)), (6, "/c/", ("@c1", "@c2")), (7, "/c/\\#d", ("@d",))]
    index = Ownership(rules)
    assert index.owners_of("a/b") == ("@y",)  # negation is no pattern on GitHub: the line is skipped
    assert index.owners_of("c/#d") == ("@d",)


def test_thousands_of_lines_are_looked_up_not_tried() -> None:
    """The written file has a line per asset, term and persona: each path costs a look-up per
    folder, not a try per line."""
    text = "* @tools\n/playbook/ @both\n" + "".join(f"/playbook/assets/a{i}.yaml @team{i % 2}\n" for i in range(5000))
    index = owners(text)
    paths = [f"playbook/assets/a{i}.yaml" for i in range(5000)] * 10 + [f"generator/m{i}.py" for i in range(50_000)]
    started = time.perf_counter()
    found = [index.owners_of(path) for path in paths]
    assert time.perf_counter() - started < 5
    assert found[:3] == [("@team0",), ("@team1",), ("@team0",)] and found[-1] == ("@tools",)


def test_wildcard_lines_are_bounded() -> None:
    text = "* @tools\n" + "".join(f"/docs/*{i}.md @writers\n" for i in range(MAX_WILDCARD_LINES + 1))
    with pytest.raises(TooManyWildcards) as raised:
        owners(text)
    assert raised.value.line == MAX_WILDCARD_LINES + 2

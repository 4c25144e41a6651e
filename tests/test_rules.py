"""Every rule in the registry, proved by its own documentation: its failing example, written over
the mini playbook, is reported by the real checker as that rule and no other, and its passing
example is reported as nothing at all. A rule whose failing input is no short file has a test of
its own, named in the rule and below. Then: levels set in playbook.yaml, and `playbook rules`."""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import test_diff
from conftest import FIXTURES, REPO
from github_standin import NUMBER, REPOSITORY, GitHubStandIn, actions_environment, review

import generator.rules
import generator.source
from generator.rules.anchors import PAGE_NAMES, PAGED, is_page_name
from generator.rules.entries import STAGE_ID_RESERVED
from generator.rules.registry import RULES, ExampleFile, documented, examples, find
from generator.rules.validate import check
from generator.site.pages.paging import PARTS, part_page
from generator.site.urls import GENERATED
from generator.source.ownership import MAX_WILDCARD_LINES
from generator.source.problems import Problem, Rule

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
BAD = Path(__file__).resolve().parent / "bad"
# The end of every line of a report: the rule's id.
RULE_ID = re.compile(r" \[([a-z0-9]+(?:-[a-z0-9]+)*)\]$", re.MULTILINE)
# An example a change writes (rules checked on a change) or one file a checker reads.
ON_CHANGE = [r for r in RULES if r.on_change and not r.test]
ON_VALIDATE = [r for r in RULES if not r.on_change and not r.test]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def merged(base: str, fields: str) -> str:
    """The text of a file with the top-level fields of `fields` in place of its own of the same
    names (the others kept as they were), and any new ones at the end."""
    names = set(re.findall(r"^([A-Za-z_][\w-]*):", fields, re.MULTILINE))
    kept, skipping = [], False
    for line in base.splitlines(keepends=True):
        field = re.match(r"([A-Za-z_][\w-]*):", line)
        if field or (line.strip() and not line[0].isspace() and not line.startswith("-")):
            skipping = bool(field) and field.group(1) in names
        if not skipping:
            kept.append(line)
    return "".join(kept) + fields


def write(top: Path, files: tuple[ExampleFile, ...]) -> None:
    """Write an example's files into the repository at top."""
    for file in files:
        path = top / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if file.fields and path.exists():
            path.write_text(merged(path.read_text(encoding="utf-8"), file.text), encoding="utf-8")
        else:
            path.write_text(file.text, encoding="utf-8")


def project(tmp_path: Path) -> Path:
    """A repository holding the mini playbook and an empty docs folder."""
    top = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", top / "playbook")
    (top / "docs").mkdir()
    return top


def checked(top: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    monkeypatch.chdir(top)
    return check(Path("playbook"), Path("docs"))[1]


def proposal(tmp_path: Path) -> test_diff.Repo:
    """The mini playbook committed on main on 2026-11-01, and a branch for a change."""
    repo = test_diff.Repo(tmp_path / "repo")
    repo.git("switch", "-q", "-c", "proposal")
    return repo


def example(rule: Rule, passes: bool) -> tuple[ExampleFile, ...]:
    [found] = [e.files for e in examples(rule) if e.passes == passes][:1]
    return found


# ---------------------------------------------------------------- the registry


def test_ids_are_unique_and_written_as_ids() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", id) for id in ids), ids
    assert all(rule.level in ("error", "warning") and rule.summary and rule.text for rule in RULES)


def test_every_rule_declared_is_registered() -> None:
    declared = set()
    for package in (generator.source, generator.rules):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            found = importlib.import_module(module.name)
            declared |= {value.id for value in vars(found).values() if isinstance(value, Rule)}
    assert declared == {rule.id for rule in RULES}


def test_every_rule_has_a_runnable_example_or_a_named_test() -> None:
    for rule in RULES:
        if rule.test:
            file, _, name = rule.test.partition("::")
            source = (REPO / file).read_text(encoding="utf-8")
            lines = source.splitlines()
            # Each test with its decorators: a parametrized case may be where the rule shows.
            tests = {node.name: "\n".join(lines[min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1:
                                                 node.end_lineno])
                     for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}
            assert name in tests, (rule.id, rule.test)
            assert rule.id in tests[name], f"{rule.test} does not show {rule.id}"
            # A rule without examples says in words what fails and what passes.
            assert "Fails when" in rule.text and "Passes" in rule.text, rule.id
        else:
            found = examples(rule)
            assert [e.passes for e in found].count(False) == 1, rule.id
            assert any(e.passes for e in found), rule.id
            assert all(f.path.startswith(("playbook/", "docs/", ".github/")) for e in found for f in e.files), rule.id


def test_the_schema_offers_editors_every_rule_that_can_be_changed() -> None:
    schema = json.loads((REPO / "schemas" / "playbook.schema.json").read_text(encoding="utf-8"))
    offered = schema["properties"]["rules"]["properties"]
    assert list(offered) == [rule.id for rule in RULES if rule.adjustable]
    assert all(f"`playbook rules {id}`" in field["description"] for id, field in offered.items())


def test_a_page_of_rules_has_what_it_needs() -> None:
    pages = documented()
    assert [page.rule for page in pages] == list(RULES)
    unknown = next(page for page in pages if page.rule.id == "unknown-reference")
    assert unknown.family == "references" and unknown.explanation.startswith("Entries name each other by id")
    assert "Fails," not in unknown.explanation
    assert unknown.examples[0].files[0] == ExampleFile("playbook/personas/buyer.yaml", "stages: [learnin]\n", True)


def test_a_stage_may_take_no_name_of_a_page_the_site_makes() -> None:
    # The names stage-id-reserved refuses (rules/, which cannot read site/) are every page's.
    assert ("index", *(page.removesuffix(".md") for page in GENERATED)) == PAGE_NAMES
    assert tuple(first.removesuffix(".md") for first, _ in PARTS.values()) == PAGED
    assert all(is_page_name(part_page(kind, n).removesuffix(".md")) for kind in PARTS for n in range(12))
    assert not any(map(is_page_name, ("renewal", "onboarding", "assets-two", "metrics-2", "stages", "start")))
    # Its documentation names each of them.
    assert all(f"`{name}`" in STAGE_ID_RESERVED.text for name in (*PAGE_NAMES, *(f"{p}-2" for p in PAGED)))


# ---------------------------------------------------------------- the examples, run


def test_the_base_of_the_examples_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert checked(project(tmp_path), monkeypatch) == []


@pytest.mark.parametrize("rule", ON_VALIDATE, ids=lambda r: r.id)
def test_the_failing_example_is_reported_as_its_rule_alone(rule: Rule, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, example(rule, passes=False))
    problems = checked(top, monkeypatch)
    assert {p.rule for p in problems} == {rule.id}, [str(p) for p in problems]


@pytest.mark.parametrize("rule", ON_VALIDATE, ids=lambda r: r.id)
def test_the_passing_example_is_reported_as_nothing(rule: Rule, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for passing in (e for e in examples(rule) if e.passes):
        top = project(tmp_path / str(id(passing)))
        write(top, passing.files)
        assert [str(p) for p in checked(top, monkeypatch)] == []


@pytest.mark.parametrize("rule", ON_CHANGE, ids=lambda r: r.id)
def test_a_change_written_as_each_example_is_judged_by_its_rule(rule: Rule, tmp_path: Path) -> None:
    """The failing change is reported as its rule alone; the passing one as nothing, and it validates."""
    for passes in (False, True):
        repo = proposal(tmp_path / str(passes))
        write(repo.root, example(rule, passes))
        repo.commit("The change", "2026-11-22")
        result = repo.diff("--check-signoff", "main", "HEAD")
        assert result.returncode == (0 if passes else 1), result.stdout
        assert set(RULE_ID.findall(result.stdout)) == (set() if passes else {rule.id}), result.stdout
    assert run("validate", "playbook", cwd=repo.root).returncode == 0


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_every_problem_of_the_bad_cases_carries_a_registered_rule(case: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    for source in (BAD / case).rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = top / "playbook" / source.relative_to(BAD / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    problems = checked(top, monkeypatch)
    assert problems and all(find(p.rule) is not None for p in problems), [(p.rule, str(p)) for p in problems]
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    assert set(RULE_ID.findall(expected)) == {p.rule for p in problems}


# ---------------------------------------------------------------- rules shown by tests of their own


def test_a_link_out_of_the_playbook_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\nname: Secret\ndefinition: Not for the site.\nowner: sales\n", encoding="utf-8")
    (top / "playbook" / "terms" / "secret.yaml").symlink_to(secret)
    problems = checked(top, monkeypatch)
    assert [(p.rule, p.file) for p in problems] == [("link-outside", "playbook/terms/secret.yaml")]
    assert "Not for the site" not in str(problems)


def test_a_link_that_leads_nowhere_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    (top / "playbook" / "terms" / "deal.yaml").symlink_to(top / "playbook" / "terms" / "moved.yaml")
    assert [(p.rule, p.file) for p in checked(top, monkeypatch)] == [("link-broken", "playbook/terms/deal.yaml")]


def test_a_playbook_without_settings_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    (top / "playbook" / "playbook.yaml").unlink()
    assert {p.rule for p in checked(top, monkeypatch)} == {"settings-missing"}


def test_a_file_over_the_limit_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    path = top / "playbook" / "terms" / "contact.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    assert {p.rule for p in checked(top, monkeypatch)} == {"file-too-large"}


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    path = top / "playbook" / "terms" / "contact.yaml"
    path.write_bytes(path.read_bytes().replace(b"Anyone", b"Anyone caf\xe9"))
    problems = checked(top, monkeypatch)
    assert [(p.rule, p.line) for p in problems] == [("not-utf8", 4)]


def test_a_playbook_without_stages_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    shutil.rmtree(top / "playbook" / "stages")
    (top / "playbook" / "stages").mkdir()
    # The references to the stages are reported as such; the playbook as a whole lacks any.
    problems = checked(top, monkeypatch)
    assert "no-stages" in {p.rule for p in problems}
    assert {p.rule for p in problems} == {"no-stages", "unknown-reference"}


def test_codeowners_with_too_many_wildcards_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, next(e for e in examples(find("codeowners-owner-missing") or RULES[0]) if e.passes).files)
    codeowners = top / ".github" / "CODEOWNERS"
    lines = "".join(f"/docs/*{i}.md @acme/sellers @acme/marketers\n" for i in range(MAX_WILDCARD_LINES + 1))
    codeowners.write_text(codeowners.read_text(encoding="utf-8") + lines, encoding="utf-8")
    problems = checked(top, monkeypatch)
    assert [(p.rule, p.line) for p in problems] == [("codeowners-too-many-wildcards", MAX_WILDCARD_LINES + 2)]


def test_a_signer_without_a_handle_cannot_be_checked(tmp_path: Path) -> None:
    """The leader of sales signs, without a handle in playbook.yaml; another person of sales, who
    has one, approved: whose approval the signature stands for cannot be told."""
    repo = test_diff.Repo(tmp_path / "repo")
    write(repo.root, (ExampleFile("playbook/playbook.yaml", """\
teams:
  sales:
    name: Sales
    leader: Sam Seller
    description: Closes deals.
    people: [{name: Sid Sales, handle: "@sid-sales"}]
  marketing:
    name: Marketing
    leader: Mia Marketer
    description: Makes demand.
    people: [{name: Mia Marketer, handle: "@mia-marketer"}]
""", True),))
    repo.commit("People with handles", "2026-11-01")
    repo.git("switch", "-q", "-c", "proposal")
    write(repo.root, example(find("signoff-not-renewed") or RULES[0], passes=True))
    repo.commit("A new definition, agreed", "2026-11-22")
    head = repo.git("rev-parse", "HEAD").strip()
    with GitHubStandIn() as github:
        github.pull(REPOSITORY, NUMBER, [review("sid-sales", "APPROVED", head),
                                         review("mia-marketer", "APPROVED", head)])
        env = dict(os.environ, **actions_environment(tmp_path, github.url, head, repo.git("rev-parse", "main").strip()))
        result = subprocess.run([PLAYBOOK, "diff", "--check-signoff", "--approvals", "main", "HEAD"], cwd=repo.root,
                                capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    assert RULE_ID.findall(result.stdout) == ["signer-without-handle"], result.stdout
    assert "agreed_by names Sam Seller for sales, who has no handle in playbook.yaml" in result.stdout


# ---------------------------------------------------------------- levels


LEVELS = """\
rules:
  review-overdue: error
  persona-without-assets: off
  value-typed-out: "off"
"""


def test_a_company_raises_a_warning_and_turns_another_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, (ExampleFile("playbook/assets/guide.yaml", "review_by: 2026-09-30\n", True),
                ExampleFile("playbook/personas/buyer.yaml", "stages: [learning, adoption]\n", True)))
    before = checked(top, monkeypatch)
    assert [(p.rule, p.severity) for p in before] == [("review-overdue", "warning")]
    write(top, (ExampleFile("playbook/playbook.yaml", LEVELS, True),))
    assert [(p.rule, p.severity) for p in checked(top, monkeypatch)] == [("review-overdue", "error")]
    # A gap in coverage is told once the playbook is otherwise sound; turned off, it is not told.
    write(top, (ExampleFile("playbook/personas/user.yaml", example(find("persona-without-assets") or RULES[0],
                                                                   passes=False)[0].text, False),
                ExampleFile("playbook/assets/guide.yaml", "review_by: 2027-06-30\n", True)))
    assert checked(top, monkeypatch) == []


def test_the_command_the_site_and_the_diff_agree_on_levels(tmp_path: Path) -> None:
    top = project(tmp_path)
    write(top, (ExampleFile("playbook/assets/guide.yaml", "review_by: 2026-09-30\n", True),
                ExampleFile("playbook/playbook.yaml", "rules:\n  review-overdue: error\n", True)))
    result = run("validate", "playbook", cwd=top)
    assert result.returncode == 1
    assert result.stdout.startswith("playbook/assets/guide.yaml:12:12: review_by: review overdue: 2026-09-30 passed")
    assert result.stdout.rstrip().endswith("[review-overdue]")
    report = json.loads(run("validate", "--format", "json", "playbook", cwd=top).stdout)
    assert [(p["rule"], p["severity"]) for p in report["problems"]] == [("review-overdue", "error")]
    # Turned off, --fail-on-stale does not turn it back on.
    write(top, (ExampleFile("playbook/playbook.yaml", "rules:\n  review-overdue: off\n", True),))
    assert run("validate", "--fail-on-stale", "playbook", cwd=top).returncode == 0


def test_fail_on_stale_makes_every_freshness_warning_an_error(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, (ExampleFile("playbook/assets/guide.yaml", "review_by: 2026-09-30\nexpires: 2026-12-01\n", True),))
    monkeypatch.chdir(top)
    found = check(Path("playbook"), Path("docs"), stale_fails=True)[1]
    assert [(p.rule, p.severity) for p in found] == [("review-overdue", "error"), ("asset-expiring", "error")]


def test_levels_that_are_not_levels_are_the_schemas_to_report(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, (ExampleFile("playbook/playbook.yaml", "rules:\n  review-overdue: eror\n", True),))
    [problem] = checked(top, monkeypatch)
    assert (problem.rule, problem.path) == ("not-allowed-value", "rules.review-overdue")
    assert problem.message == "'eror' is not one of: error, warning, off, false (did you mean 'error'?)"


def test_a_rule_that_cannot_be_changed_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = project(tmp_path)
    write(top, example(find("rule-not-adjustable") or RULES[0], passes=False))
    [problem] = checked(top, monkeypatch)
    assert str(problem) == (
        "playbook/playbook.yaml:21:3: rules.unknown-reference: the level of 'unknown-reference' cannot be changed: "
        "the site links every reference; one to nothing would be a broken link, or an entry left out; remove it "
        "from rules [rule-not-adjustable]")


# ---------------------------------------------------------------- playbook rules


def test_the_list_names_every_rule_with_its_level(tmp_path: Path) -> None:
    result = run("rules", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["RULE", "LEVEL", "CAN", "BE", "CHANGED", "WHAT", "IT", "FINDS"]
    rows = {line.split()[0]: line.split()[1:3] for line in lines[1:len(RULES) + 1]}
    assert list(rows) == [rule.id for rule in RULES]
    assert rows["review-overdue"] == ["warning", "yes"] and rows["unknown-reference"] == ["error", "no"]
    listed = json.loads(run("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [r["id"] for r in listed] == [rule.id for rule in RULES]
    assert listed[0].keys() >= {"id", "level", "adjustable", "summary", "documentation", "examples"}


def test_one_rule_is_explained_with_its_examples(tmp_path: Path) -> None:
    result = run("rules", "review-overdue", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("review-overdue: an asset or persona whose review date has passed\n\nLevel: "
                                    "warning. A company may change it in playbook.yaml")
    assert "Fails, with these fields in `playbook/assets/guide.yaml`:\n\n    review_by: 2026-09-30\n" in result.stdout
    fixed = run("rules", "unknown-reference", cwd=tmp_path).stdout
    assert "Level: error. It cannot be changed: the site links every reference" in fixed


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion(tmp_path: Path) -> None:
    result = run("rules", "review-overdu", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("playbook rules: 'review-overdu' is not a rule (did you mean 'review-overdue'?); "
                             "`playbook rules` lists every rule\n")
    hostile = run("rules", "\x1b[2Kx", cwd=tmp_path)
    assert hostile.returncode == 2 and "\x1b" not in hostile.stderr

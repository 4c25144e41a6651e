"""The repository kit: the pull-request and Pages workflows, the pull-request template, the pre-commit
hooks and the editor settings. Each file parses, calls only commands and options that exist, keeps
text from a pull request out of its scripts, and does what it says when run here. The workflows'
permissions, pins and the comment's way from the sign-off job to the pull request are in
test_workflows.py."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomllib
import yaml
from conftest import REPO
from github_standin import NUMBER, REPOSITORY, TOKEN, GitHubStandIn, actions_environment, review

BIN = Path(sys.executable).parent
PLAYBOOK = str(BIN / "playbook")
WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PAGES = WORKFLOWS / "pages.yml"
YAML_FILES = [PULL_REQUEST, PAGES, REPO / ".pre-commit-hooks.yaml", REPO / ".pre-commit-config.yaml"]
JSON_FILES = [REPO / ".vscode" / "settings.json", REPO / ".vscode" / "extensions.json"]
SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))
OPERATORS = {"|", "||", "&&", ";", "&"}
REDIRECTS = {">", ">>", "<", "2>", "2>>", "&>"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 reads the key `on` as true.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def scripts(workflow: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every script a step runs: `run:` and the inline script of github-script."""
    for _, step in steps(workflow):
        if "run" in step:
            yield step.get("name", step["run"]), step["run"]
        if "script" in step.get("with", {}):
            yield step.get("name", "script"), step["with"]["script"]


def commands(script: str) -> Iterator[list[str]]:
    """Each simple command of a shell script as its words: operators, redirections and leading
    VAR=value assignments taken off."""
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        skip = False
        for token in [*lexer, ";"]:
            if skip:
                skip = False
            elif token in REDIRECTS:
                skip = True
            elif token in OPERATORS:
                while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
                    words.pop(0)
                if words:
                    yield words
                words = []
            else:
                words.append(token)


def run_commands() -> list[tuple[Path, list[str]]]:
    found = []
    for path in (PULL_REQUEST, PAGES):
        for _, step in steps(load(path)):
            if "run" in step:
                found += [(path, words) for words in commands(step["run"])]
    return found


def playbook_help(*args: str) -> str:
    result = subprocess.run([PLAYBOOK, *args, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------- every file parses


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_yaml_files_parse(path: Path) -> None:
    assert load(path)


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_json_files_parse(path: Path) -> None:
    assert json.loads(path.read_text(encoding="utf-8"))


def test_the_pull_request_template_has_its_checklist() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for words in ("What changes", "Why", "For whom", "sales", "marketing", "agreed_by", "talking points",
                  "review_by", "semantic diff"):
        assert words in text, words
    assert text.count("- [ ]") >= 5


# ---------------------------------------------------------------- the workflows' commands exist


def test_workflows_run_commands_that_exist() -> None:
    """Each `playbook SUBCOMMAND` is in `playbook --help`, and each of its options, with the value
    given where the option has a closed list, in `playbook SUBCOMMAND --help`."""
    listed = set(re.findall(r"^ {4}([a-z][a-z-]+)(?:\s|$)", playbook_help(), re.M))
    used = [(path, words) for path, words in run_commands() if words[0] == "playbook"]
    assert {words[1] for _, words in used} >= {"validate", "diff", "codeowners"}
    for path, words in used:
        assert words[1] in listed, f"{path.name}: `playbook {words[1]}` is not a command: {sorted(listed)}"
        usage = playbook_help(words[1])
        for i, word in enumerate(words[2:], start=2):
            if not word.startswith("-"):
                continue
            assert re.search(rf"(^|[\s\[]){re.escape(word)}([\s\]=]|$)", usage, re.M), \
                f"{path.name}: `playbook {words[1]}` has no option {word}"
            choices = re.search(rf"{re.escape(word)} \{{([^}}]*)\}}", usage)
            if choices:
                assert words[i + 1] in choices.group(1).split(","), f"{path.name}: {word} {words[i + 1]}"


def test_the_workflows_validate_with_annotations_check_signoff_codeowners_and_the_build() -> None:
    found = [" ".join(words) for _, words in run_commands()]
    assert "playbook validate playbook --format github" in found
    assert ("playbook diff --playbook playbook --check-signoff --approvals --format github $BASE_SHA $HEAD_SHA"
            in found)
    assert "playbook diff --playbook playbook $BASE_SHA $HEAD_SHA" in found
    assert "playbook codeowners --check" in found
    installs = [" ".join(words) for path, words in run_commands() if path == PULL_REQUEST and "install" in words]
    assert installs == ["python -m pip install -e .", "python -m pip install ./base"]


def test_mkdocs_always_builds_strictly_and_never_quietly() -> None:
    builds = [(path, words) for path, words in run_commands() if words[0] == "mkdocs"]
    assert {path for path, _ in builds} == {PULL_REQUEST, PAGES}
    for path, words in builds:
        assert words[1] == "build", (path.name, words)
        assert "--strict" in words, (path.name, words)
        assert not [w for w in words if w == "--quiet" or re.fullmatch(r"-[a-z]*q[a-z]*", w)], (path.name, words)


@pytest.mark.parametrize("path", [PULL_REQUEST, PAGES], ids=lambda p: p.name)
def test_no_text_from_the_event_reaches_a_script(path: Path) -> None:
    """Titles and branch names are chosen by whoever opens the pull request: written into a script,
    they would run as commands. Values reach scripts only through environment variables."""
    workflow = load(path)
    found = list(scripts(workflow))
    assert found
    for name, script in found:
        assert "${{ github.event" not in script, name
        assert "${{" not in script, f"{name}: pass the value in env: and use the variable"


def test_the_pages_workflow() -> None:
    workflow = load(PAGES)
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    used = [step.get("uses", "").split("@")[0] for _, step in steps(workflow)]
    assert "actions/upload-pages-artifact" in used and "actions/deploy-pages" in used
    build = next(words for path, words in run_commands() if path == PAGES and words[0] == "mkdocs")
    upload = next(step for _, step in steps(workflow) if step.get("uses", "").startswith("actions/upload-pages"))
    site = build[build.index("--site-dir") + 1]
    assert upload["with"]["path"] == site.replace("$RUNNER_TEMP", "${{ runner.temp }}")


# ---------------------------------------------------------------- editors and pre-commit


def test_vscode_maps_every_schema_to_files_that_exist() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert sorted(mapping) == [f"./schemas/{p.name}" for p in SCHEMAS]
    for schema, pattern in mapping.items():
        assert (REPO / schema).is_file(), schema
        matched = sorted(REPO.glob(pattern))
        assert matched, f"{pattern} matches no file"
        kind = schema.removeprefix("./schemas/").removesuffix(".schema.json")
        for path in matched:  # each file's own first line names the same schema
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert (path.parent / first.split("$schema=")[1]).resolve() == (REPO / schema).resolve(), (kind, path)
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def hook_definition() -> dict[str, Any]:
    hooks = load(REPO / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["playbook-validate"]
    hook: dict[str, Any] = hooks[0]
    return hook


def test_the_pre_commit_hook() -> None:
    hook = hook_definition()
    assert hook["language"] == "python"
    assert hook["entry"] == "playbook validate"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in REPO.joinpath("playbook").rglob("*.yaml"):
        assert files.search(path.relative_to(REPO).as_posix()), path
    assert files.search("playbook/terms/x.yml")
    for other in ("schemas/term.schema.json", "mkdocs.yml", "docs/index.md", "tests/fixtures/mini/playbook.yaml",
                  ".github/workflows/pages.yml"):
        assert not files.search(other), other


def test_the_pre_commit_hook_passes_on_this_repository() -> None:
    """Run exactly as pre-commit would: the entry and its args, from the repository's top."""
    hook = hook_definition()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([*shlex.split(hook["entry"]), *hook.get("args", [])], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


def test_this_repositorys_pre_commit_config() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    local = next(repo for repo in config["repos"] if repo["repo"] == "local")
    own = next(h for h in local["hooks"] if h["id"] == "playbook-validate")
    hook = hook_definition()
    for key in ("files", "pass_filenames", "language"):
        assert own[key] == hook[key], key
    # The hook's environment gets the dependencies of pyproject.toml; the code is this copy's.
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert own["additional_dependencies"] == project["dependencies"]
    words = shlex.split(own["entry"])
    assert words[0] == "python"
    result = subprocess.run([sys.executable, *words[1:]], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    ruff = [h["id"] for repo in config["repos"] if "ruff" in repo["repo"] for h in repo["hooks"]]
    assert ruff


# ---------------------------------------------------------------- the pull-request workflow, run here


class Checkout:
    """A git repository like the one the workflow checks out: main pushed to `origin`, and a pull
    request's branch checked out on top of it."""

    def __init__(self, root: Path) -> None:
        self.root = root / "repo"
        self.root.mkdir()
        for name in ("playbook", "schemas", "docs", ".github"):
            shutil.copytree(REPO / name, self.root / name, symlinks=True)
        for name in ("mkdocs.yml", "pyproject.toml"):
            shutil.copyfile(REPO / name, self.root / name)
        self.env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", NO_MKDOCS_2_WARNING="1",
                        GIT_AUTHOR_NAME="Mia Marketer", GIT_AUTHOR_EMAIL="mia@example.com",
                        GIT_COMMITTER_NAME="Mia Marketer", GIT_COMMITTER_EMAIL="mia@example.com")
        # The repository has its CODEOWNERS committed, as `playbook codeowners` writes it.
        self.run([PLAYBOOK, "codeowners"])
        self.git("init", "-q", "-b", "main")
        self.commit("The playbook", "2026-11-01")
        self.git("init", "-q", "--bare", str(root / "origin.git"), cwd=root)
        self.git("remote", "add", "origin", str(root / "origin.git"))
        self.git("push", "-q", "origin", "main")
        self.git("fetch", "-q", "origin")
        self.git("checkout", "-q", "-b", "proposal")

    def run(self, args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.root, env=env or self.env, capture_output=True, text=True, timeout=300)

    def git(self, *args: str, when: str = "2026-11-01", cwd: Path | None = None) -> None:
        env = dict(self.env, GIT_AUTHOR_DATE=f"{when}T10:00:00+00:00", GIT_COMMITTER_DATE=f"{when}T10:00:00+00:00")
        subprocess.run(["git", *args], cwd=cwd or self.root, env=env, check=True, capture_output=True, timeout=60)

    def commit(self, message: str, when: str) -> None:
        self.git("add", "-A", when=when)
        self.git("commit", "-q", "-m", message, when=when)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / "playbook" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # What the expressions in the steps' env: stand for here. The sign-off job's two checkouts, base/
    # and pr/, are both this one repository: the base is main, the pull request its HEAD.
    EXPRESSIONS = {
        "${{ github.event.pull_request.base.sha }}": "main",
        "${{ github.event.pull_request.head.sha }}": "HEAD",
        "${{ github.token }}": TOKEN,
    }

    def actions(self, tmp: Path, api: str) -> dict[str, str]:
        """The standard Actions environment of a pull request event for the branch's head commit."""
        head, base = (subprocess.run(["git", "rev-parse", name], cwd=self.root, capture_output=True, text=True,
                                     check=True).stdout.strip() for name in ("HEAD", "main"))
        return actions_environment(tmp, api, head, base)

    def workflow_steps(self, tmp: Path, api: str = "http://127.0.0.1:9") -> dict[str, subprocess.CompletedProcess[str]]:
        """Run every `run:` step of the build and the sign-off jobs after the installations, as GitHub
        runs them (bash -e -o pipefail), with the expressions of their env: filled in: the build's at
        the top of the repository, the sign-off's in pr/, which is the repository here too. Returns
        each step's result by name, and the run's summary."""
        summary, output = tmp / "summary.md", tmp / "output"
        summary.write_text("", encoding="utf-8")
        output.write_text("", encoding="utf-8")
        workflow = load(PULL_REQUEST)
        results = {}
        for job_name, folder in (("build", "."), ("signoff", "pr")):
            for step in workflow["jobs"][job_name]["steps"]:
                if "run" not in step or "pip install" in step["run"]:
                    continue
                assert step.get("working-directory", ".") == folder, (job_name, step["name"])
                env = dict(self.env, GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output), RUNNER_TEMP=str(tmp),
                           **self.actions(tmp, api))
                for key, value in step.get("env", {}).items():
                    env[key] = str(value)
                    for expression, stand_in in self.EXPRESSIONS.items():
                        env[key] = env[key].replace(expression, stand_in)
                    assert "${{" not in env[key], value
                results[step["name"]] = self.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                                  step["run"]], env)
        results["summary"] = subprocess.CompletedProcess([], 0, summary.read_text(encoding="utf-8"), "")
        return results


def test_the_pull_request_workflow_passes_a_good_change_and_stops_an_unsigned_one(tmp_path: Path) -> None:
    """The workflow's own steps, run in order on a copy of this repository: a changed talking point
    passes every check, with the change in the summary; a changed definition without a renewed
    `agreed_by` fails the sign-off step, and only that one."""
    checkout = Checkout(tmp_path)
    checkout.edit("assets/roi-calculator.yaml", "Let us fill it in with your numbers, not ours.",
                  "Let us fill it in with your own numbers.")
    checkout.commit("A warmer first talking point", "2026-11-20")
    results = checkout.workflow_steps(tmp_path)
    for name, result in results.items():
        assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"
    assert "ROI calculator" in results["summary"].stdout
    validate = next(r for name, r in results.items() if name.startswith("Validate"))
    assert all(line.startswith("::warning ") for line in validate.stdout.splitlines()[:-1]), validate.stdout

    checkout.edit("lifecycle/mql.yaml", "definition: >-\n", "definition: >-\n  Changed without asking.\n")
    checkout.commit("A new MQL definition", "2026-11-21")
    with GitHubStandIn() as github:
        github.pull(REPOSITORY, NUMBER, [])
        results = checkout.workflow_steps(tmp_path, github.url)
    failed = {name for name, result in results.items() if result.returncode != 0}
    assert failed == {"Check sign-off and approvals"}, failed
    signoff = results["Check sign-off and approvals"].stdout
    annotations = [line for line in signoff.splitlines() if line.startswith("::error file=playbook/lifecycle/mql.yaml")]
    assert any("agreed_by still holds the earlier agreement" in line for line in annotations), signoff
    assert any("from sales, and has none" in line for line in annotations), signoff
    assert any("from marketing, and has none" in line for line in annotations), signoff
    assert "~~" in results["summary"].stdout or "**Changed without asking" in results["summary"].stdout

    # Both teams agree, sign, and approve the commit that carries their names: every check passes.
    today = date.today().isoformat()
    mql = checkout.root / "playbook" / "lifecycle" / "mql.yaml"
    mql.write_text(re.sub(r"agreed_by:\n  sales: .*\n  marketing: .*\n  date: .*\n",
                          f"agreed_by:\n  sales: Lena Fischer\n  marketing: Priya Raman\n  date: {today}\n",
                          mql.read_text(encoding="utf-8")), encoding="utf-8")
    checkout.commit("Agreed by both teams", today)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout.root, capture_output=True, text=True,
                          check=True).stdout.strip()
    with GitHubStandIn() as github:
        github.pull(REPOSITORY, NUMBER, [review("lena-fischer", "APPROVED", head),
                                         review("priya-raman", "APPROVED", head)])
        results = checkout.workflow_steps(tmp_path, github.url)
        asked = [request.path for request in github.requests]
    for name, result in results.items():
        assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"
    assert asked == [f"/repos/{REPOSITORY}/pulls/{NUMBER}/reviews"]
    approvals = results["Check sign-off and approvals"].stdout
    assert "Approvals: 1 change both teams own, approved by both teams." in approvals
